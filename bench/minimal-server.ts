// A reference for `npm run bench`: the least a login server must do, with no database, no session
// cookie and no audit. authorize answers the same navigate JSON, and the callback makes the same
// get_login_info call and answers the same result JSON. With MINIMAL_SIGN=1 the result carries an
// ES256 ID token signed with jose as ours is; without it, a placeholder. Its login rate tells how
// much of the benchmark is the driver and the simulator, and how much is the real server.
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import {generateKeyPair, SignJWT} from 'jose';
import {request as wecomPost} from 'undici';

const env = process.env;
const publicUrl = env.PUBLIC_URL!;
const states = new Map<string, string>();
const signingKey = env.MINIMAL_SIGN ? (await generateKeyPair('ES256')).privateKey : null;

/** The ID token: the same claims and signature as ours when signing, else a placeholder. */
async function idToken(user: {id: string; name: string}, nonce: string | undefined, corpId: string): Promise<string> {
  if (!signingKey) return 'a.b.c';
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({azp: 'http://shop.load.test', corp_id: corpId, name: user.name, usertype: 1, nonce, userid: user.id})
    .setProtectedHeader({alg: 'ES256', kid: 'minimal', typ: 'JWT'})
    .setIssuer(publicUrl).setAudience('load').setSubject(user.id).setIssuedAt(issuedAt).setExpirationTime(issuedAt + 300)
    .sign(signingKey);
}
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
    const body = (await info.body.json()) as {user_info?: {userid?: string; name?: string}; corp_info?: {corpid?: string}};
    const user = {id: body.user_info?.userid ?? '', name: body.user_info?.name ?? ''};
    return response.end(page('wecom-sp-login-result', {type: 'wecom-sp-login:success', nonce, idToken: await idToken(user, nonce, body.corp_info?.corpid ?? ''), user}));
  }
  response.statusCode = 404;
  response.end();
}).listen(Number(env.PORT), '127.0.0.1');
