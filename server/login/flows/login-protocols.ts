import {createLegacyProtocol} from './legacy-protocol.ts';
import type {LoginProtocols} from './login-flow.ts';
import {createServiceAppProtocol, type ServiceAppDeps} from './service-app-protocol.ts';

/** Both flows' protocols over the same WeCom client and token caches. */
export function createLoginProtocols(deps: ServiceAppDeps & {wecomSsoBase: string}): LoginProtocols {
  return {'legacy': createLegacyProtocol(deps), 'service-app': createServiceAppProtocol(deps)};
}
