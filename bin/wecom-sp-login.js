#!/usr/bin/env node
// The package runs its TypeScript sources directly through tsx (a runtime dependency): no build step to forget.
import {register} from 'tsx/esm/api';

register();
const {runFromProcess} = await import('../server/cli/cli.ts');
await runFromProcess();
