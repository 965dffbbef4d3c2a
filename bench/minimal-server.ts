// A reference for `npm run bench` on node:http alone, with no framework, no session cookie and no
// database: bench/minimal-login.ts behind the least HTTP handling that serves it. Its login rate
// tells how much of the benchmark is the driver and the simulator, and how much is the real server.
import http from 'node:http';
import {finishLogin, startLogin} from './minimal-login.ts';

const env = process.env;

http
  .createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', env.PUBLIC_URL);
    response.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/healthz') return response.end('ok');
    const login = /^\/connections\/([^/]+)\/(authorize|callback)$/.exec(url.pathname);
    if (login?.[2] === 'authorize') {
      response.setHeader('referrer-policy', 'origin');
      return response.end(startLogin(login[1]!, url.searchParams.get('nonce') ?? '', null));
    }
    if (login?.[2] === 'callback') {
      const result = await finishLogin(
        url.searchParams.get('state') ?? '',
        url.searchParams.get('auth_code') ?? '',
        null,
      );
      if (result === null) response.statusCode = 400;
      return response.end(result ?? 'invalid state');
    }
    response.statusCode = 404;
    response.end();
  })
  .listen(Number(env.PORT), '127.0.0.1');
