// The login of the bench's minimal reference servers, whatever serves its HTTP: the least a login
// server must do, with no database and no audit. authorize records the state in memory and answers
// the navigate JSON; the callback takes the state back, makes the same get_login_info call as ours
// and answers the same result JSON. With MINIMAL_SIGN=1 the result carries an ES256 ID token signed
// with jose as ours is; without it, a placeholder.
import {randomBytes} from 'node:crypto';
import {generateKeyPair, SignJWT} from 'jose';
import {request as wecomPost} from 'undici';

const env = process.env;
const publicUrl = env.PUBLIC_URL!;
const signingKey = env.MINIMAL_SIGN ? (await generateKeyPair('ES256')).privateKey : null;

/** A login in flight: its nonce, and the browser binding when the front-end keeps one. */
interface MinimalTransaction {
  nonce: string;
  binding: string | null;
}

const transactions = new Map<string, MinimalTransaction>();
let providerToken: Promise<string> | null = null;

/** The navigate page of authorize: records the transaction and points the browser at WeCom's QR page. */
export function startLogin(connection: string, nonce: string, binding: string | null): string {
  const state = randomBytes(24).toString('base64url');
  transactions.set(state, {nonce, binding});
  const qr = new URL('/wwopen/sso/3rd_qrConnect', env.WECOM_SSO_BASE);
  qr.search = new URLSearchParams({
    appid: env.MINIMAL_CORP_ID!,
    redirect_uri: `${publicUrl}/connections/${connection}/callback`,
    state,
    usertype: 'member',
  }).toString();
  return page('wecom-sp-login-navigate', {url: qr.href});
}

/**
 * The result page of the callback, or null when the state is unknown or was started in another
 * browser (`binding` differs). The state is single-use either way.
 */
export async function finishLogin(state: string, authCode: string, binding: string | null): Promise<string | null> {
  const transaction = transactions.get(state);
  transactions.delete(state);
  if (!transaction || transaction.binding !== binding) return null;
  const info = await wecomPost(
    `${env.WECOM_API_BASE}/cgi-bin/service/get_login_info?access_token=${await getProviderToken()}`,
    {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({auth_code: authCode}),
    },
  );
  const body = (await info.body.json()) as {
    user_info?: {userid?: string; name?: string};
    corp_info?: {corpid?: string};
  };
  const user = {id: body.user_info?.userid ?? '', name: body.user_info?.name ?? ''};
  const idToken = await signIdToken(user, transaction.nonce, body.corp_info?.corpid ?? '');
  return page('wecom-sp-login-result', {type: 'wecom-sp-login:success', nonce: transaction.nonce, idToken, user});
}

/** The ID token: the same claims and signature as ours when signing, else a placeholder. */
async function signIdToken(user: {id: string; name: string}, nonce: string, corpId: string): Promise<string> {
  if (!signingKey) return 'a.b.c';
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({
    azp: 'http://shop.load.test',
    corp_id: corpId,
    name: user.name,
    usertype: 1,
    nonce,
    userid: user.id,
  })
    .setProtectedHeader({alg: 'ES256', kid: 'minimal', typ: 'JWT'})
    .setIssuer(publicUrl)
    .setAudience('load')
    .setSubject(user.id)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 300)
    .sign(signingKey);
}

async function getProviderToken(): Promise<string> {
  providerToken ??= wecomPost(`${env.WECOM_API_BASE}/cgi-bin/service/get_provider_token`, {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({corpid: env.MINIMAL_CORP_ID, provider_secret: env.MINIMAL_PROVIDER_SECRET}),
  }).then(async (response) => ((await response.body.json()) as {provider_access_token: string}).provider_access_token);
  return providerToken;
}

function page(id: string, value: unknown): string {
  return (
    `<!doctype html><script type="application/json" ` +
    `id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`
  );
}
