import type http from 'node:http';
import {createServer, type AddressInfo} from 'node:net';

/** A port free on 127.0.0.1 right now, for a process that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `url` until it answers 2xx; throws with `log()` (the process's output) after 15 s. */
export async function waitUntilUp(url: string, log: () => string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (
      await fetch(url).then(
        (response) => response.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up:\n${log()}`);
}

/**
 * Listens on a free port of 127.0.0.1 and registers, in `closers`, the server's close (its open
 * connections cut first, so a test's end never waits on a keep-alive); returns the port.
 */
export async function listenOnFreePort(
  server: http.Server,
  closers: Array<() => Promise<void> | void>,
): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}
