import {loadConfig} from '../config.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login wait-ready`. */
export const WAIT_READY_HELP = `Usage: wecom-sp-login [--env-file FILE] wait-ready [--timeout SECONDS]

Waits until the server of these settings (HOST and PORT) answers /readyz, then exits 0; exits 1
after SECONDS (30). The systemd unit runs it as ExecStartPost, so that "systemctl restart" returns
only once the process takes requests: restarting the units one after the other then always leaves
one answering.`;

/** Runs `wait-ready`; returns the exit code. */
export async function runWaitReady(args: string[], io: CliIo): Promise<number> {
  const [flag, value] = args;
  if (
    flag === '--help' ||
    flag === '-h' ||
    (flag !== undefined && flag !== '--timeout') ||
    (flag === '--timeout' && !/^\d{1,4}$/.test(value ?? ''))
  ) {
    io.out(WAIT_READY_HELP);
    return flag === '--help' || flag === '-h' ? 0 : 1;
  }
  const config = loadConfig(io.env);
  const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/readyz`;
  const deadline = Date.now() + Number(value ?? 30) * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, {signal: AbortSignal.timeout(1_000)});
      if (response.ok) {
        io.out(`${url}: ready`);
        return 0;
      }
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last =
        (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  io.out(`${url}: not ready after ${value ?? 30} s (${last})`);
  return 1;
}
