import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import type {ConnectionWithSecret} from '../connections/connection.ts';
import {AppError} from '../errors.ts';
import {readXmlFields} from '../wecom/callback-xml.ts';
import {assertSignature, decodeEncodingAesKey, decryptMessage, MessageCryptoError} from '../wecom/message-crypto.ts';
import {queryParam} from './http.ts';

/** The longest callback body read: WeCom's envelopes are well under 2 KB. */
const MAX_BODY_BYTES = 64 * 1024;

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
    deps.log.info('WeCom checked the callback URL', {connection: connection.identifier, receiveid: receiveId === connection.corpId ? 'corp_id' : 'suite_id'});
    sendPlain(ctx, message);
  });

  router.post('/connections/:identifier/wecom-callback', async (ctx) => {
    const {connection, aesKey} = await callbackConnection(deps, ctx.params.identifier!);
    const [signature, timestamp, nonce] = ['msg_signature', 'timestamp', 'nonce'].map((name) => queryParam(ctx, name) ?? '');
    // WeCom does not document the Content-Type: the body is read raw, whatever it says.
    const envelope = readXmlFields(await readRawBody(ctx), ['ToUserName', 'Encrypt']);
    if (!envelope?.Encrypt || (envelope.ToUserName !== undefined && envelope.ToUserName !== connection.suiteId)) throw refused();
    const {message} = openMessage(() => {
      assertSignature(signature, connection.callbackToken!, timestamp, nonce, envelope.Encrypt!);
      return decryptMessage(aesKey, envelope.Encrypt!, [connection.suiteId!]);
    });
    const event = readXmlFields(message, ['SuiteId', 'InfoType', 'TimeStamp', 'SuiteTicket']);
    // Keyed by the decrypted SuiteId, which must be this connection's: a ticket of another suite
    // stored here would only ever earn 40085.
    if (!event || event.SuiteId !== connection.suiteId) throw refused();
    if (event.InfoType === 'suite_ticket') {
      const ticket = event.SuiteTicket ?? '';
      const pushedAt = Number(event.TimeStamp);
      if (ticket === '' || ticket.length > 512 || !/^[\x21-\x7e]+$/.test(ticket) || !Number.isSafeInteger(pushedAt) || pushedAt <= 0) throw refused();
      const outcome = await deps.store.suiteTickets.record(connection.suiteId!, ticket, pushedAt * 1000);
      deps.log.info('WeCom pushed a suite_ticket', {connection: connection.identifier, suiteId: connection.suiteId, pushedAt: new Date(pushedAt * 1000).toISOString(), outcome});
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

async function readRawBody(ctx: Koa.Context): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new AppError('invalid_request', 413, 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
