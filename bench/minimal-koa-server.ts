// A reference for `npm run bench` on the login server's own framework: bench/minimal-login.ts
// behind Koa, @koa/router and koa-session, with the browser binding ours keeps in the session
// cookie, and no database, no audit, no input checks and no security headers. Against the
// node:http reference it shows what the framework costs; against ours, what the rest of ours costs.
import Router from '@koa/router';
import Koa from 'koa';
import {createCookieKeys} from '../server/cookie-keys.ts';
import {randomToken} from '../server/crypto/random-token.ts';
import {browserBinding, installSession} from '../server/session.ts';
import {finishLogin, startLogin} from './minimal-login.ts';

const app = new Koa();
// The server's own session as it is: its key ring (HMAC-SHA256, timingSafeEqual) and koa-session
// with its options, not secure because the bench runs on plain http.
app.keys = createCookieKeys([randomToken(32)]);
app.use(installSession(app, false));

const router = new Router();
router.get('/healthz', (ctx) => {
  ctx.body = 'ok';
});
router.get('/connections/:identifier/authorize', (ctx) => {
  const binding = browserBinding(ctx);
  ctx.set('Referrer-Policy', 'origin');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = startLogin(ctx.params.identifier!, String(ctx.query.nonce ?? ''), binding);
});
router.get('/connections/:identifier/callback', async (ctx) => {
  const result = await finishLogin(
    String(ctx.query.state ?? ''),
    String(ctx.query.auth_code ?? ''),
    typeof ctx.session!.binding === 'string' ? ctx.session!.binding : '',
  );
  ctx.type = 'text/html; charset=utf-8';
  ctx.status = result === null ? 400 : 200;
  ctx.body = result ?? 'invalid state';
});
app.use(router.routes());
app.listen(Number(process.env.PORT), '127.0.0.1');
