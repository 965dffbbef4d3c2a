import {execFile, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import pg from 'pg';
import {freePort} from './local-ports.ts';

const run = promisify(execFile);

/** A PostgreSQL server of the tests' own: a fresh cluster on a free port, thrown away at the end. */
export interface ThrowAwayPostgres {
  port: number;
  /** The URL of `database` (the `postgres` database by default), as user postgres without a password. */
  url(database?: string): string;
  /** Creates an empty database with a random name and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server at once, as a crash would (`-m immediate`: no shutdown checkpoint), and starts it again. */
  restart(options?: {downMs?: number}): Promise<void>;
  /**
   * CPU seconds (user + system) the cluster has used so far (Linux /proc): the postmaster, the
   * backends and background workers alive now, and those it has already reaped.
   */
  cpuSeconds(): number;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

/** How to get PostgreSQL when it is missing: printed by every suite that needs it. */
export const POSTGRES_MISSING =
  'PostgreSQL is not installed. On Debian: apt-get install -y --no-install-recommends postgresql ' +
  '(the tests start their own throw-away server on a free port; nothing else needs to run). ' +
  'Elsewhere, set POSTGRES_BIN to the folder holding initdb and pg_ctl.';

/** The folder of initdb and pg_ctl: POSTGRES_BIN, else Debian's newest /usr/lib/postgresql/N/bin. */
export function postgresBin(): string {
  if (process.env.POSTGRES_BIN) {
    if (!fs.existsSync(path.join(process.env.POSTGRES_BIN, 'initdb')))
      throw new Error(`POSTGRES_BIN=${process.env.POSTGRES_BIN} has no initdb. ${POSTGRES_MISSING}`);
    return process.env.POSTGRES_BIN;
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error(POSTGRES_MISSING);
  return path.join(root, versions[0]!, 'bin');
}

/**
 * Starts a throw-away cluster (initdb, then pg_ctl start; about two seconds): trust authentication on
 * 127.0.0.1 only, its socket in its own folder, fsync off (an OS crash may corrupt it: it is thrown
 * away) but synchronous_commit on, so a commit the server acknowledged survives a crash of the server,
 * which the restart tests rely on. `fsync: true` keeps PostgreSQL's defaults (fsync and full page
 * writes on), as a production cluster has them: what the bench measures; `statementStats` loads
 * pg_stat_statements, which counts every statement a client sends as it ends. initdb refuses to run
 * as root, so as root it runs as `postgres`.
 */
export async function startPostgres({
  fsync = false,
  statementStats = false,
}: {fsync?: boolean; statementStats?: boolean} = {}): Promise<ThrowAwayPostgres> {
  const bin = postgresBin();
  const asRoot = process.getuid?.() === 0;
  const as = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args])
      : run(path.join(bin, command), args);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgtest-'));
  if (asRoot) fs.chownSync(dir, ...postgresIds());
  const data = path.join(dir, 'data');
  await as('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const options =
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${fsync ? '' : '-c fsync=off -c full_page_writes=off '}` +
    `-c max_connections=300${statementStats ? ' -c shared_preload_libraries=pg_stat_statements' : ''}`;
  const start = () =>
    as('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', options, 'start']);
  const stopNow = () => as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
  await start();
  // A test process that dies without its after() hooks still stops its server.
  const stopOnExit = () => {
    spawnSync(asRoot ? 'runuser' : path.join(bin, 'pg_ctl'), [
      ...(asRoot ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl')] : []),
      '-D',
      data,
      '-m',
      'immediate',
      'stop',
    ]);
  };
  process.once('exit', stopOnExit);
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase() {
      const name = `test_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client(url());
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async restart({downMs = 0} = {}) {
      await stopNow();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    cpuSeconds() {
      const postmaster = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return processTreeCpuSeconds(postmaster);
    },
    async stop() {
      process.removeListener('exit', stopOnExit);
      await stopNow();
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

/**
 * CPU seconds of `pid` and its children: the fields of /proc/<pid>/stat after the command name are
 * state, ppid, … with utime, stime, cutime and cstime (reaped children) the 12th to 15th, in clock
 * ticks (100 per second here). A child that ends while /proc is listed may be missed or counted
 * twice; a pool's backends live on, so that is rare.
 */
function processTreeCpuSeconds(pid: number): number {
  const fields = (id: string) => {
    try {
      return fs.readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1]!.split(' ');
    } catch {
      return null; // ended since the listing
    }
  };
  const own = fields(String(pid));
  if (!own) return 0;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const id of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(id)) continue;
    const child = fields(id);
    if (child && Number(child[1]) === pid) ticks += Number(child[11]) + Number(child[12]);
  }
  return ticks / 100;
}

function postgresIds(): [number, number] {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error(`There is no postgres user. ${POSTGRES_MISSING}`);
  const [, , uid, gid] = line.split(':');
  return [Number(uid), Number(gid)];
}
