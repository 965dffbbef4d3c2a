// A reference for `npm run bench`: the least a login server must do, with no database, no session
// cookie, no signing and no audit. authorize answers the same navigate JSON, and the callback makes
// the same get_login_info call and answers the same result JSON. Its login rate tells how much of
// the benchmark is the driver and the simulator, and how much is the real server.
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import {request as wecomPost} from 'undici';

const env = process.env;
const publicUrl = env.PUBLIC_URL!;
const states = new Map<string, string>();
let token: Promise<string> | null = null;

async function providerToken(): Promise<string> {
  token ??= wecomPost(`${env.WECOM_API_BASE}/cgi-bin/service/get_provider_token`, {
    method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({corpid: env.MINIMAL_CORP_ID, provider_secret: env.MINIMAL_PROVIDER_SECRET}),
  }).then(async (response) => ((await response.body.json()) as {provider_access_token: string}).provider_access_token);
  return token;
}

const page = (id: string, value: unknown) => `<!doctype html><script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;

http.createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', publicUrl);
  response.setHeader('content-type', 'text/html; charset=utf-8');
  if (url.pathname === '/healthz') return response.end('ok');
  if (url.pathname.endsWith('/authorize')) {
    const state = randomBytes(24).toString('base64url');
    states.set(state, url.searchParams.get('nonce')!);
    const qr = new URL('/wwopen/sso/3rd_qrConnect', env.WECOM_SSO_BASE);
    qr.search = new URLSearchParams({appid: env.MINIMAL_CORP_ID!, redirect_uri: `${publicUrl}${url.pathname.replace('/authorize', '/callback')}`, state, usertype: 'member'}).toString();
    response.setHeader('referrer-policy', 'origin');
    return response.end(page('wecom-sp-login-navigate', {url: qr.href}));
  }
  if (url.pathname.endsWith('/callback')) {
    const nonce = states.get(url.searchParams.get('state') ?? '');
    states.delete(url.searchParams.get('state') ?? '');
    const info = await wecomPost(`${env.WECOM_API_BASE}/cgi-bin/service/get_login_info?access_token=${await providerToken()}`, {
      method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({auth_code: url.searchParams.get('auth_code')}),
    });
    const body = (await info.body.json()) as {user_info?: {userid?: string; name?: string}};
    return response.end(page('wecom-sp-login-result', {type: 'wecom-sp-login:success', nonce, idToken: 'a.b.c', user: {id: body.user_info?.userid ?? '', name: body.user_info?.name ?? ''}}));
  }
  response.statusCode = 404;
  response.end();
}).listen(Number(env.PORT), '127.0.0.1');
