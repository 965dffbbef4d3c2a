import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** Debian's nginx, or NGINX_PATH. */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** Options of startNginx. */
export interface NginxOptions {
  /** A fresh folder for the configuration, logs and temporary files. */
  folder: string;
  /** The shipped site configuration (deploy/nginx/…), as an operator copies it. */
  siteConfig: string;
  /** Exact replacements an operator makes in it (host name, ports, certificate paths); each must occur. */
  edits: Array<[from: string, to: string]>;
  /** Further server blocks of this machine's other sites (the shop, WeCom's stand-in). */
  otherServers: string;
}

/** A running nginx. */
export interface NginxProxy {
  /** Lines of the access log of the other servers: `host uri status upstream`. */
  accessLog(): string[];
  /** Lines of a log file in the folder (the site's own access log, where the edits put it). */
  readLog(file: string): string[];
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground with the shipped site configuration, edited as the README tells an
 * operator to, inside a main configuration of the test's own (its folder for pid, logs and
 * temporary files, and an access log that names the upstream that answered each request).
 */
export async function startNginx({folder, siteConfig, edits, otherServers}: NginxOptions): Promise<NginxProxy> {
  if (!existsSync(NGINX))
    throw new Error(
      `nginx was not found at ${NGINX}. Install Debian's package:\n  sudo apt-get update && sudo apt-get ` +
        `install -y nginx-light\nor point NGINX_PATH at an nginx binary.`,
    );
  let site = readFileSync(siteConfig, 'utf8');
  for (const [from, to] of edits) {
    if (!site.includes(from))
      throw new Error(`${siteConfig} no longer contains "${from}": update the production-shape test with it.`);
    site = site.replaceAll(from, to);
  }
  mkdirSync(join(folder, 'temp'), {recursive: true});
  writeFileSync(join(folder, 'site.conf'), site);
  const temp = (name: string) => `${name}_temp_path ${join(folder, 'temp', name)};`;
  writeFileSync(
    join(folder, 'nginx.conf'),
    `# Written by the production-shape test.
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${join(folder, 'nginx.pid')};
error_log ${join(folder, 'error.log')} warn;
events { worker_connections 512; }
http {
  log_format upstreams '$host $request_uri $status $upstream_addr';
  access_log ${join(folder, 'access.log')} upstreams;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  include ${join(folder, 'site.conf')};
${otherServers}
}
`,
  );
  const nginx = spawn(
    NGINX,
    ['-p', folder, '-e', join(folder, 'error.log'), '-c', join(folder, 'nginx.conf'), '-g', 'daemon off;'],
    {stdio: ['ignore', 'ignore', 'pipe']},
  );
  let stderr = '';
  nginx.stderr!.on('data', (chunk) => (stderr += chunk));
  await waitForPidFile(
    'nginx',
    nginx,
    join(folder, 'nginx.pid'),
    () => `${stderr}${readIfExists(join(folder, 'error.log'))}`,
  );
  return {
    accessLog: () => readIfExists(join(folder, 'access.log')).trim().split('\n').filter(Boolean),
    readLog: (file) => readIfExists(join(folder, file)).trim().split('\n').filter(Boolean),
    stop: () => stopProcess(nginx),
  };
}

/** Sends SIGTERM and waits for the exit. */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Waits until `child` (`name`, a server that writes a pid file once it listens) is up; throws with
 * its log if it exits.
 */
export async function waitForPidFile(
  name: string,
  child: ChildProcess,
  pidFile: string,
  log: () => string,
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log()}`);
    if (existsSync(pidFile)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not start:\n${log()}`);
}

/** The file's text, or '' when it is not there (yet). */
export function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
