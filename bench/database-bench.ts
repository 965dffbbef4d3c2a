import pg from 'pg';
import {startPostgres} from '../test/helpers/postgres-server.ts';
import {startLatencyProxy} from './latency-proxy.ts';
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

type Setup = 'sqlite1' | 'sqlite2' | 'postgres1' | 'postgres2' | 'postgresFar';

/** What one measured run of a setup gave. */
interface DatabaseRun {
  perSecond: number;
  /**
   * Milliseconds of CPU (user + system) per login of the login servers, the PostgreSQL cluster (0 on
   * SQLite, which runs inside the servers), the simulator and this driver: all on the same cores.
   */
  cpuMs: {server: number; database: number; simulator: number; driver: number};
  /** PostgreSQL: statements committed per login, everything the servers sent included; else null. */
  roundTrips: number | null;
}

/** One-way delay of the proxy in front of PostgreSQL in the `postgresFar` setup. */
const FAR_DELAY_MS = 1;

/**
 * The login rate on SQLite beside a throw-away PostgreSQL server with PostgreSQL's defaults (fsync
 * and synchronous_commit on for the cluster, as in production), with one server process and with
 * two sharing the database, every login crossing them, and with one process whose database is
 * behind a proxy that adds 1 ms each way (another machine). Logins are the three-exchange shape
 * (auth codes issued first), so the database's share of the work shows. Each round measures the
 * setups back to back; medians are printed, with PostgreSQL's statements per login (counted by
 * pg_stat_statements: everything the servers sent, background work included, divided by the
 * logins), the CPU per login of each process on these cores (the servers, the PostgreSQL cluster,
 * the simulator, and this driver, whose figure includes the latency proxy), and PostgreSQL against
 * SQLite as the median of the round-by-round ratios.
 */
export async function benchDatabases(options: DatabaseBenchOptions): Promise<void> {
  const postgres = await startPostgres({fsync: true, statementStats: true});
  const stacks = {} as Record<Setup, LoginStack>;
  const databases: Partial<Record<Setup, string>> = {};
  const proxy = await startLatencyProxy(postgres.port, FAR_DELAY_MS);
  const monitor = new pg.Client(postgres.url());
  await monitor.connect();
  await monitor.query('CREATE EXTENSION pg_stat_statements');
  /** Statements the servers have sent to `url`'s database so far: each one a round trip. */
  const statements = async (url: string) => {
    const {rows} = await monitor.query<{n: string}>(
      'SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database ' +
        'WHERE datname = $1)',
      [new URL(url).pathname.slice(1)],
    );
    return Number(rows[0]!.n);
  };
  try {
    stacks.sqlite1 = await startLoginStack({servers: 1, identities: options.identities});
    stacks.sqlite2 = await startLoginStack({servers: 2, identities: options.identities});
    for (const [setup, servers] of [
      ['postgres1', 1],
      ['postgres2', 2],
      ['postgresFar', 1],
    ] as const) {
      const url = await postgres.createDatabase();
      databases[setup] = url;
      const far = new URL(url);
      far.port = String(proxy.port);
      stacks[setup] = await startLoginStack({
        servers,
        identities: options.identities,
        databaseUrl: setup === 'postgresFar' ? far.href : url,
      });
    }
    const setups = Object.keys(stacks) as Setup[];
    const measure = async (setup: Setup, count: number): Promise<DatabaseRun> => {
      const database = databases[setup];
      const statementsBefore = database ? await statements(database) : 0;
      const before = {...stacks[setup].cpuSeconds(), database: postgres.cpuSeconds(), driver: process.cpuUsage()};
      const run = await runLogins(stacks[setup], {
        count,
        concurrency: options.concurrency,
        identities: options.identities,
        issuedCodes: true,
      });
      if (run.failures.length)
        throw new Error(`${setup}: ${run.failures.length} logins failed, first: ${run.failures[0]}`);
      const after = {...stacks[setup].cpuSeconds(), database: postgres.cpuSeconds()};
      const driver = process.cpuUsage(before.driver);
      const perLoginMs = (seconds: number) => (seconds / run.succeeded) * 1000;
      return {
        perSecond: run.succeeded / (run.elapsedMs / 1000),
        cpuMs: {
          server: perLoginMs(after.servers - before.servers),
          // The cluster serves every PostgreSQL setup, but only the measured one has logins running.
          database: database ? perLoginMs(after.database - before.database) : 0,
          simulator: perLoginMs(after.simulator - before.simulator),
          driver: perLoginMs((driver.user + driver.system) / 1e6),
        },
        roundTrips: database ? (await statements(database)) - statementsBefore : null,
      };
    };
    for (const setup of setups) await measure(setup, options.warmUpLogins);
    const rounds: Array<Record<Setup, DatabaseRun>> = [];
    for (let round = 0; round < options.rounds; round++) {
      const results = {} as Record<Setup, DatabaseRun>;
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
      `${rounds.map((r) => r[setup].perSecond.toFixed(0)).join(', ')})` +
      (databases[setup]
        ? `, ${median(rounds.map((r) => r[setup].roundTrips! / options.logins)).toFixed(2)} statements per login`
        : '');
    const cpu = (setup: Setup) => {
      const of = (part: keyof DatabaseRun['cpuMs']) => median(rounds.map((r) => r[setup].cpuMs[part]));
      const total = median(rounds.map(({[setup]: {cpuMs: c}}) => c.server + c.database + c.simulator + c.driver));
      return (
        `server ${of('server').toFixed(2)}, ${databases[setup] ? `PostgreSQL ${of('database').toFixed(2)}, ` : ''}` +
        `simulator ${of('simulator').toFixed(2)}, driver ${of('driver').toFixed(2)}; in all ${total.toFixed(2)} ms`
      );
    };
    const ratio = (a: Setup, b: Setup) =>
      `${median(rounds.map((r) => (r[a].perSecond / r[b].perSecond) * 100)).toFixed(0)} %`;
    console.log(
      `databases: three-exchange logins at concurrency ${options.concurrency}, ${options.warmUpLogins} to ` +
        `warm up, then ${options.rounds} rounds of ${options.logins}; PostgreSQL a throw-away server on this ` +
        `machine with its defaults (fsync and synchronous_commit on)`,
    );
    const labels: Record<Setup, string> = {
      sqlite1: 'SQLite, one process',
      sqlite2: 'SQLite, two processes',
      postgres1: 'PostgreSQL, one process',
      postgres2: 'PostgreSQL, two processes',
      postgresFar: `PostgreSQL ${FAR_DELAY_MS} ms away`,
    };
    for (const setup of setups) {
      console.log(`  ${`${labels[setup]}:`.padEnd(28)}${line(setup)}`);
      console.log(`    ${'its CPU per login:'.padEnd(26)}${cpu(setup)}`);
    }
    console.log(
      `  ${'PostgreSQL / SQLite:'.padEnd(28)}${ratio('postgres1', 'sqlite1')} with one process, ` +
        `${ratio('postgres2', 'sqlite2')} with two, ${ratio('postgresFar', 'sqlite1')} with one ${FAR_DELAY_MS} ms ` +
        `away (medians of the round-by-round ratios; the goal is 80 % with one process)`,
    );
  } finally {
    await Promise.all(Object.values(stacks).map((stack) => stack.stop()));
    await monitor.end();
    await proxy.close();
    await postgres.stop();
  }
}
