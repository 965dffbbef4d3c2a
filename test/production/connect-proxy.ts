import http from 'node:http';
import net from 'node:net';
import {listenOnFreePort} from '../helpers/local-ports.ts';

/**
 * A forward proxy that answers CONNECT host:port by connecting to 127.0.0.1:port: how a program
 * without Chromium's --host-resolver-rules (Apache's mod_auth_openidc, through libcurl) reaches the
 * test's host names, which all live on this machine. TLS goes through it end to end, so the client
 * still checks the certificate for the name it asked for. Returns the proxy's address and a closer.
 */
export async function startConnectProxy(): Promise<{address: string; close: () => Promise<void>}> {
  const server = http.createServer((_request, response) => response.writeHead(405).end());
  const sockets = new Set<net.Socket>();
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const port = Number(new URL(`http://${request.url}`).port || 443);
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const closers: Array<() => Promise<void> | void> = [];
  const port = await listenOnFreePort(server, closers);
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      for (const closer of closers) await closer();
    },
  };
}
