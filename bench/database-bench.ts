import {startPostgres} from '../test/helpers/postgres-server.ts';
import {quantile, runLogins} from './login-driver.ts';
import {startLoginStack, type LoginStack} from './login-stack.ts';

/** How the database comparison runs. */
export interface DatabaseBenchOptions {
  logins: number;
  rounds: number;
  warmUpLogins: number;
  concurrency: number;
  identities: number;
}

type Setup = 'sqlite1' | 'sqlite2' | 'postgres1' | 'postgres2';

/**
 * The login rate on SQLite beside a throw-away PostgreSQL server (fsync off, synchronous_commit on:
 * see docs/postgres.md), with one server process and with two sharing the database, every login
 * crossing them. Logins are the three-exchange shape (auth codes issued first), so the database's
 * share of the work shows. Each round measures the four setups back to back; medians are printed,
 * and PostgreSQL against SQLite as the median of the round-by-round ratios.
 */
export async function benchDatabases(options: DatabaseBenchOptions): Promise<void> {
  const postgres = await startPostgres();
  const stacks = {} as Record<Setup, LoginStack>;
  try {
    stacks.sqlite1 = await startLoginStack({servers: 1, identities: options.identities});
    stacks.sqlite2 = await startLoginStack({servers: 2, identities: options.identities});
    stacks.postgres1 = await startLoginStack({
      servers: 1,
      identities: options.identities,
      databaseUrl: await postgres.createDatabase(),
    });
    stacks.postgres2 = await startLoginStack({
      servers: 2,
      identities: options.identities,
      databaseUrl: await postgres.createDatabase(),
    });
    const setups = Object.keys(stacks) as Setup[];
    const measure = async (setup: Setup, count: number) => {
      const before = stacks[setup].cpuSeconds().servers;
      const run = await runLogins(stacks[setup], {
        count,
        concurrency: options.concurrency,
        identities: options.identities,
        issuedCodes: true,
      });
      if (run.failures.length)
        throw new Error(`${setup}: ${run.failures.length} logins failed, first: ${run.failures[0]}`);
      return {
        perSecond: run.succeeded / (run.elapsedMs / 1000),
        serverCpuMs: ((stacks[setup].cpuSeconds().servers - before) / run.succeeded) * 1000,
      };
    };
    for (const setup of setups) await measure(setup, options.warmUpLogins);
    const rounds: Array<Record<Setup, {perSecond: number; serverCpuMs: number}>> = [];
    for (let round = 0; round < options.rounds; round++) {
      const results = {} as Record<Setup, {perSecond: number; serverCpuMs: number}>;
      for (const setup of setups) results[setup] = await measure(setup, options.logins);
      rounds.push(results);
    }
    const median = (values: number[]) =>
      quantile(
        [...values].sort((a, b) => a - b),
        0.5,
      );
    const line = (setup: Setup) =>
      `${median(rounds.map((r) => r[setup].perSecond)).toFixed(0)} logins/s (rounds: ` +
      `${rounds.map((r) => r[setup].perSecond.toFixed(0)).join(', ')}), server CPU ` +
      `${median(rounds.map((r) => r[setup].serverCpuMs)).toFixed(2)} ms per login`;
    const ratio = (a: Setup, b: Setup) =>
      `${median(rounds.map((r) => (r[a].perSecond / r[b].perSecond) * 100)).toFixed(0)} %`;
    console.log(
      `databases: three-exchange logins at concurrency ${options.concurrency}, ${options.warmUpLogins} to ` +
        `warm up, then ${options.rounds} rounds of ${options.logins}; PostgreSQL a throw-away server (fsync ` +
        `off, synchronous_commit on) on this machine`,
    );
    const labels: Record<Setup, string> = {
      sqlite1: 'SQLite, one process',
      sqlite2: 'SQLite, two processes',
      postgres1: 'PostgreSQL, one process',
      postgres2: 'PostgreSQL, two processes',
    };
    for (const setup of setups) console.log(`  ${`${labels[setup]}:`.padEnd(28)}${line(setup)}`);
    console.log(
      `  ${'PostgreSQL / SQLite:'.padEnd(28)}${ratio('postgres1', 'sqlite1')} with one process, ` +
        `${ratio('postgres2', 'sqlite2')} with two (medians of the round-by-round ratios)`,
    );
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
    await postgres.stop();
  }
}
