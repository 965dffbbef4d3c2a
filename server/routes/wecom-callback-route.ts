import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import type {ConnectionWithSecret} from '../connections/connection.ts';
import {AppError} from '../errors.ts';
import {MAX_CALLBACK_XML_LENGTH, readXmlField, readXmlFields} from '../wecom/callback-xml.ts';
import {assertSignature, decodeEncodingAesKey, decryptMessage, MessageCryptoError} from '../wecom/message-crypto.ts';
import {queryParam} from './http.ts';

/** How far ahead of our clock a suite_ticket push may be dated. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * What WeCom's URL check encrypts: a random number (18 or 19 digits in every capture; letters are
 * allowed in case). Anything else, a captured push's XML above all, is not echoed: the URL check
 * must not decrypt messages for whoever replays them.
 */
const ECHOSTR_PLAINTEXT = /^[A-Za-z0-9]{1,64}$/;

/** Every refusal looks the same from outside: which check failed is for the log, not the caller. */
const refused = () => new AppError('invalid_callback', 400, 'This message was not accepted.');

/**
 * GET and POST /connections/:identifier/wecom-callback: the 登录授权 callback URL of a service-app
 * connection. GET is WeCom's URL check (answer the decrypted echostr, exactly); POST delivers the
 * suite_ticket every ten minutes (answer exactly `success`). Both are signed with the connection's
 * Token and encrypted with its EncodingAESKey; anything else is a 400 that stores nothing.
 */
export function addWecomCallbackRoute(router: Router, deps: AppDeps): void {
  router.get('/connections/:identifier/wecom-callback', async (ctx) => {
    const {connection, aesKey} = await callbackConnection(deps, ctx.params.identifier!);
    const [signature, timestamp, nonce, echostr] = ['msg_signature', 'timestamp', 'nonce', 'echostr'].map((name) => queryParam(ctx, name) ?? '');
    // receiveid of a URL check: the provider CorpID by WeCom staff's account, the SuiteID by the
    // docs. Both are ours, so both are accepted (and the log says which).
    const {message, receiveId} = openMessage(() => {
      assertSignature(signature, connection.callbackToken!, timestamp, nonce, echostr);
      return decryptMessage(aesKey, echostr, [connection.corpId, connection.suiteId!]);
    });
    if (!ECHOSTR_PLAINTEXT.test(message)) throw refused();
    deps.log.info('WeCom checked the callback URL', {connection: connection.identifier, receiveid: receiveId === connection.corpId ? 'corp_id' : 'suite_id'});
    sendPlain(ctx, message);
  });

  router.post('/connections/:identifier/wecom-callback', async (ctx) => {
    const {connection, aesKey} = await callbackConnection(deps, ctx.params.identifier!);
    const [signature, timestamp, nonce] = ['msg_signature', 'timestamp', 'nonce'].map((name) => queryParam(ctx, name) ?? '');
    // WeCom does not document the Content-Type: the body is read raw, whatever it says.
    const body = await readRawBody(ctx);
    // Only the ciphertext is read before the signature is checked over it: an unsigned request costs
    // a few index scans and a SHA-1, never a parse of whatever else it holds.
    const encrypted = readXmlField(body, 'Encrypt');
    if (!encrypted) throw refused();
    const {message} = openMessage(() => {
      assertSignature(signature, connection.callbackToken!, timestamp, nonce, encrypted);
      return decryptMessage(aesKey, encrypted, [connection.suiteId!]);
    });
    const envelope = readXmlFields(body, ['ToUserName']);
    if (!envelope || (envelope.ToUserName !== undefined && envelope.ToUserName !== connection.suiteId)) throw refused();
    const event = readXmlFields(message, ['SuiteId', 'InfoType', 'TimeStamp', 'SuiteTicket']);
    // Keyed by the decrypted SuiteId, which must be this connection's: a ticket of another suite
    // stored here would only ever earn 40085.
    if (!event || event.SuiteId !== connection.suiteId) throw refused();
    if (event.InfoType === 'suite_ticket') {
      const ticket = event.SuiteTicket ?? '';
      const pushedAt = Number(event.TimeStamp) * 1000;
      if (ticket === '' || ticket.length > 512 || !/^[\x21-\x7e]+$/.test(ticket) || !Number.isSafeInteger(pushedAt) || pushedAt <= 0) throw refused();
      // Newer pushes replace older ones, so a push dated ahead would pin its ticket until the clock
      // caught up; WeCom's clock and ours agree to within minutes.
      if (pushedAt > (deps.now ?? Date.now)() + MAX_CLOCK_AHEAD_MS) throw refused();
      const outcome = await deps.store.suiteTickets.record(connection.suiteId!, ticket, pushedAt);
      deps.log.info('WeCom pushed a suite_ticket', {connection: connection.identifier, suiteId: connection.suiteId, pushedAt: new Date(pushedAt).toISOString(), outcome});
    }
    // Any other well-signed event of the login suite (none is documented) is acknowledged and ignored.
    sendPlain(ctx, 'success');
  });
}

/** The service-app connection and its AES key; a connection of another flow has no callback here. */
async function callbackConnection(deps: AppDeps, identifier: string): Promise<{connection: ConnectionWithSecret; aesKey: Buffer}> {
  const connection = await deps.store.connections.getForExchange(identifier);
  const aesKey = connection.flow === 'service-app' && connection.callbackToken !== null && connection.encodingAesKey !== null ? decodeEncodingAesKey(connection.encodingAesKey) : null;
  if (aesKey === null || connection.suiteId === null) throw refused();
  return {connection, aesKey};
}

function openMessage<T>(open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof MessageCryptoError) throw refused();
    throw error;
  }
}

/** The answer WeCom compares byte for byte: no quotes, no BOM, no newline. */
function sendPlain(ctx: Koa.Context, text: string): void {
  ctx.status = 200;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = text;
}

/** The body as text, refused with 413 as soon as it declares or passes MAX_CALLBACK_XML_LENGTH bytes. */
async function readRawBody(ctx: Koa.Context): Promise<string> {
  const tooLarge = () => {
    // Closing rather than reading the rest: a body that is refused anyway costs nothing more.
    ctx.set('Connection', 'close');
    return new AppError('invalid_request', 413, 'The request body is too large.');
  };
  if (Number(ctx.get('Content-Length')) > MAX_CALLBACK_XML_LENGTH) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_CALLBACK_XML_LENGTH) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
