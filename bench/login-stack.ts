import {spawn, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * A running stack for load and benchmark runs: the simulator and 1+ login servers, each its own process, on one
 * database.
 */
export interface LoginStack {
  /** Every login server process's base URL; all share PUBLIC_URL = serverUrls[0]. */
  serverUrls: string[];
  simulatorUrl: string;
  /** The SQLite file the servers share (unused when databaseUrl is set). */
  databasePath: string;
  /** The PostgreSQL database the servers share instead, when the stack was started with one. */
  databaseUrl?: string;
  /** Log lines the login servers wrote at warn or error level (an SQLITE_BUSY would show here). */
  problems: string[];
  /** Every line the login servers wrote. */
  output: string[];
  corpId: string;
  /** The simulated provider's ProviderSecret (the benchmark calls WeCom's API directly with it). */
  providerSecret: string;
  adminToken: string;
  /** CPU seconds (user + system) the login-server processes and the simulator have used so far (Linux /proc). */
  cpuSeconds(): {servers: number; simulator: number};
  /** Kills login server `index` with SIGKILL (no shutdown at all), as a crash would. */
  killServer(index: number): Promise<void>;
  /** Starts login server `index` again on the same port and database, and waits until it is healthy. */
  restartServer(index: number): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function start(script: string, env: Record<string, string>): ChildProcess {
  // BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") reaches the login servers only.
  const extra = script.startsWith('server/')
    ? (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
    : [];
  return spawn(process.execPath, [...extra, '--import', 'tsx', join(ROOT, script)], {
    env: {...process.env, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
}

/** Keeps every line a server writes, and apart the lines of its JSON log at warn or error level. */
function collectOutput(child: ChildProcess, output: string[], problems: string[]): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop()!;
      output.push(...lines);
      for (const line of lines) if (/"level":"(warn|error)"|SQLITE_BUSY|Error/.test(line)) problems.push(line);
    });
  }
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * Starts the WeCom simulator and `servers` login-server processes (`server/main.ts`, configured only
 * by environment variables, as in production) on a fresh database, and creates the `load` connection.
 */
export async function startLoginStack(options: {
  servers: number;
  identities: number;
  /**
   * A minimal reference instead of the real server: bench/minimal-server.ts on node:http, where
   * `unsigned` answers a placeholder token and `signed` signs an ES256 ID token with jose as ours
   * does; or `koa`, bench/minimal-koa-server.ts, which signs too, on Koa with a session cookie.
   */
  minimal?: 'unsigned' | 'signed' | 'koa';
  /** An empty PostgreSQL database (DATABASE_URL) instead of a fresh SQLite file. */
  databaseUrl?: string;
  /** Further settings of the login servers (METRICS_TOKEN, LAUNCH_CALLS_PER_MINUTE …). */
  env?: Record<string, string>;
}): Promise<LoginStack> {
  const databasePath = join(mkdtempSync(join(tmpdir(), 'wecom-load-')), 'login.db');
  const corpId = 'wwloadprovider0001';
  const providerSecret = `load-secret-${randomBytes(8).toString('hex')}`;
  const adminToken = randomBytes(24).toString('base64url');
  const secretKey = randomBytes(32).toString('base64');
  const ports = await Promise.all(Array.from({length: options.servers}, freePort));
  const serverUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  const children: ChildProcess[] = [];
  const problems: string[] = [];
  const output: string[] = [];

  const simulator = start('bench/simulator-main.ts', {
    SIM_CORP_ID: corpId,
    SIM_PROVIDER_SECRET: providerSecret,
    SIM_LOGIN_HOSTS: new URL(serverUrls[0]!).host,
    SIM_IDENTITIES: String(options.identities),
  });
  children.push(simulator);
  const simulatorUrl = await new Promise<string>((resolve, reject) => {
    simulator.stdout!.on('data', (chunk: Buffer) => {
      const match = /simulator listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    simulator.once('exit', (code) => reject(new Error(`simulator exited ${code}`)));
  });
  simulator.stderr!.pipe(process.stderr);
  const serverEnv = (port: number) => ({
    PORT: String(port),
    PUBLIC_URL: serverUrls[0]!,
    DATABASE_PATH: databasePath,
    ...(options.databaseUrl && {DATABASE_URL: options.databaseUrl}),
    SECRET_KEY: secretKey,
    ADMIN_TOKEN: adminToken,
    WECOM_API_BASE: simulatorUrl,
    WECOM_SSO_BASE: simulatorUrl,
    // Not NODE_ENV=production: that demands https behind a proxy, and changes nothing else the bench measures.
    // Every virtual visitor comes from 127.0.0.1: the per-IP limit would measure itself.
    RATE_LIMIT_PER_MINUTE: '0',
    // The simulator is not WeCom: its 10,000-a-minute limit does not apply, and the guard's default
    // 3,000 calls per CorpID and minute would cut a bench's warm-up short with wecom_unavailable.
    WECOM_CALLS_PER_MINUTE: '1000000',
    ...options.env,
  });
  const startServer = (port: number) => {
    const server = options.minimal
      ? start(options.minimal === 'koa' ? 'bench/minimal-koa-server.ts' : 'bench/minimal-server.ts', {
          ...serverEnv(port),
          MINIMAL_CORP_ID: corpId,
          MINIMAL_PROVIDER_SECRET: providerSecret,
          MINIMAL_SIGN: options.minimal === 'unsigned' ? '' : '1',
        })
      : start('server/main.ts', serverEnv(port));
    collectOutput(server, output, problems);
    return server;
  };
  for (const port of ports) children.push(startServer(port));
  await Promise.all(serverUrls.map((url) => waitFor(`${url}/healthz`)));
  if (!options.minimal) await createLoadConnection(serverUrls[0]!, adminToken, corpId, providerSecret);
  return {
    serverUrls,
    simulatorUrl,
    databasePath,
    databaseUrl: options.databaseUrl,
    problems,
    output,
    corpId,
    providerSecret,
    adminToken,
    async killServer(index) {
      const child = children[index + 1]!;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    async restartServer(index) {
      children[index + 1] = startServer(ports[index]!);
      await waitFor(`${serverUrls[index]}/healthz`);
    },
    cpuSeconds() {
      return {
        servers: children.slice(1).reduce((sum, child) => sum + processCpuSeconds(child), 0),
        simulator: processCpuSeconds(simulator),
      };
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** CPU seconds (user + system) a child process has used. */
function processCpuSeconds(child: ChildProcess): number {
  return statCpuSeconds(`/proc/${child.pid}/stat`);
}

/**
 * CPU seconds (user + system) in a Linux `stat` file of a process (/proc/<pid>/stat) or of one of
 * its threads (/proc/<pid>/task/<tid>/stat): fields 14 and 15, in clock ticks (100 per second here).
 */
export function statCpuSeconds(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Creates the `load` connection through the admin API, as an operator would. */
async function createLoadConnection(
  server: string,
  adminToken: string,
  corpId: string,
  providerSecret: string,
): Promise<void> {
  const response = await fetch(`${server}/api/connections`, {
    method: 'POST',
    headers: {authorization: `Bearer ${adminToken}`, 'content-type': 'application/json'},
    body: JSON.stringify({
      identifier: 'load',
      displayName: 'Load',
      corpId,
      providerSecret,
      allowedOrigins: ['http://shop.load.test'],
      launchUrl: null,
    }),
  });
  if (response.status !== 201) throw new Error(`could not create the connection: ${await response.text()}`);
}
