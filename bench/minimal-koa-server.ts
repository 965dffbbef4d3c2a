// A reference for `npm run bench` on the login server's own framework: bench/minimal-login.ts
// behind Koa, @koa/router and koa-session, with the browser binding ours keeps in the session
// cookie, and no database, no audit, no input checks and no security headers. Against the
// node:http reference it shows what the framework costs; against ours, what the rest of ours costs.
import Router from '@koa/router';
import Koa from 'koa';
import session from 'koa-session';
import {createCookieKeys} from '../server/cookie-keys.ts';
import {randomToken} from '../server/crypto/random-token.ts';
import {finishLogin, startLogin} from './minimal-login.ts';

const app = new Koa();
// The key ring ours signs cookies with (HMAC-SHA256, timingSafeEqual), which costs less per cookie than Keygrip's default.
app.keys = createCookieKeys([randomToken(32)]);
// The options of ours (server/session.ts), secure aside: the bench runs on plain http.
app.use(session({key: 'wecom_sp_login', maxAge: 60 * 60 * 1000, httpOnly: true, signed: true, sameSite: 'lax'}, app));

const router = new Router();
router.get('/healthz', (ctx) => {
  ctx.body = 'ok';
});
router.get('/connections/:identifier/authorize', (ctx) => {
  const binding = typeof ctx.session!.binding === 'string' ? ctx.session!.binding : randomToken(32);
  ctx.session!.binding = binding;
  ctx.set('Referrer-Policy', 'origin');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = startLogin(ctx.params.identifier!, String(ctx.query.nonce ?? ''), binding);
});
router.get('/connections/:identifier/callback', async (ctx) => {
  const result = await finishLogin(String(ctx.query.state ?? ''), String(ctx.query.auth_code ?? ''), typeof ctx.session!.binding === 'string' ? ctx.session!.binding : '');
  ctx.type = 'text/html; charset=utf-8';
  ctx.status = result === null ? 400 : 200;
  ctx.body = result ?? 'invalid state';
});
app.use(router.routes());
app.listen(Number(process.env.PORT), '127.0.0.1');
