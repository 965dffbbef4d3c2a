import type Router from '@koa/router';
import type Koa from 'koa';
import type {AppDeps} from '../app-deps.ts';
import type {ConnectionWithSecret} from '../connections/connection.ts';
import {AppError} from '../errors.ts';
import {PROTOCOL_NAMES, PROTOCOLS, type ProtocolName, type SuiteCallback} from '../login/flows/protocol-catalogue.ts';
import {MAX_CALLBACK_XML_LENGTH, readXmlField, readXmlFields} from '../wecom/callback-xml.ts';
import {isWecomValue} from '../wecom/wecom-value.ts';
import {assertSignature, decodeEncodingAesKey, decryptMessage, MessageCryptoError} from '../wecom/message-crypto.ts';
import {queryParam} from './http.ts';
import {readCappedBody} from './request-body.ts';

/** How far ahead of our clock a suite_ticket push may be dated. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * What WeCom's URL check encrypts: a random number (18 or 19 digits in every capture; letters are
 * allowed in case). Anything else, a captured push's XML above all, is not echoed: the URL check
 * must not decrypt messages for whoever replays them.
 */
const ECHOSTR_PLAINTEXT = /^[A-Za-z0-9]{1,64}$/;

/** Every refusal looks the same from outside: which check failed is for the log, not the caller. */
const refused = () => new AppError('callback_refused');

/** A CorpID, the shape an enterprise's data callbacks are encrypted for. */
const CORP_ID = /^w[wx][A-Za-z0-9]{4,62}$/;

/** What a suite callback is read with: the connection, its SuiteID, Token and AES key. */
interface SuiteKeys {
  connection: ConnectionWithSecret;
  suiteId: string;
  token: string;
  aesKey: Buffer;
}

/**
 * GET and POST /connections/:identifier/<path> for every suite callback of the protocol catalogue:
 * `wecom-callback`, the 登录授权 callback of a service-app connection, and `app-callback`, the
 * 指令回调 and 数据回调 URL of a connection's app suite. GET is WeCom's URL check (answer the
 * decrypted echostr, exactly); POST delivers suite_tickets every ten minutes and, for an app suite,
 * install events and enterprises' data callbacks (answer exactly `success`). All are signed with the
 * suite's Token and encrypted with its EncodingAESKey; anything else is a 400 that stores nothing.
 */
export function addSuiteCallbackRoutes(router: Router, deps: AppDeps): void {
  for (const name of PROTOCOL_NAMES) {
    const callback = PROTOCOLS[name].callback;
    if (callback) addSuiteCallbackRoute(router, deps, name, callback);
  }
}

function addSuiteCallbackRoute(router: Router, deps: AppDeps, protocol: ProtocolName, callback: SuiteCallback): void {
  const path = `/connections/:identifier/${callback.path}`;
  router.get(path, async (ctx) => {
    const {connection, suiteId, token, aesKey} = await suiteKeys(deps, ctx.params.identifier!, protocol, callback);
    const [signature, timestamp, nonce, echostr] = signedQuery(ctx, [
      'msg_signature',
      'timestamp',
      'nonce',
      'echostr',
    ] as const);
    // receiveid of a URL check: the provider CorpID by WeCom staff's account, the SuiteID by the
    // docs; an app suite's 数据回调 URL may be checked for an enterprise's CorpID too. Ours are
    // accepted, and for an app suite any CorpID: the Token and AES key are what prove the sender.
    const {message, receiveId} = openMessage(() => {
      assertSignature(signature, token, timestamp, nonce, echostr);
      return decryptMessage(
        aesKey,
        echostr,
        (id) => id === connection.corpId || id === suiteId || (callback.appEvents && CORP_ID.test(id)),
      );
    });
    if (!ECHOSTR_PLAINTEXT.test(message)) throw refused();
    const receiveid =
      receiveId === connection.corpId ? 'corp_id' : receiveId === suiteId ? 'suite_id' : 'enterprise_corp_id';
    deps.log.info('WeCom checked the callback URL', {
      connection: connection.identifier,
      callback: callback.path,
      receiveid,
    });
    sendPlain(ctx, message);
  });

  router.post(path, async (ctx) => {
    const keys = await suiteKeys(deps, ctx.params.identifier!, protocol, callback);
    const [signature, timestamp, nonce] = signedQuery(ctx, ['msg_signature', 'timestamp', 'nonce'] as const);
    // WeCom does not document the Content-Type: the body is read raw, whatever it says.
    const body = await readCappedBody(ctx, MAX_CALLBACK_XML_LENGTH);
    // Only the ciphertext is read before the signature is checked over it: an unsigned request costs
    // a few index scans and a SHA-1, never a parse of whatever else it holds.
    const encrypted = readXmlField(body, 'Encrypt');
    if (!encrypted) throw refused();
    const {message, receiveId} = openMessage(() => {
      assertSignature(signature, keys.token, timestamp, nonce, encrypted);
      // Suite events are encrypted for the SuiteID (create_auth was once seen for the provider
      // CorpID); an app suite's data callbacks for the enterprise's CorpID.
      return decryptMessage(
        keys.aesKey,
        encrypted,
        (id) => id === keys.suiteId || (callback.appEvents && (id === keys.connection.corpId || CORP_ID.test(id))),
      );
    });
    const envelope = readXmlFields(body, ['ToUserName']);
    // The envelope names whom the message was encrypted for; a mismatch is a message moved between envelopes.
    if (!envelope || (envelope.ToUserName !== undefined && envelope.ToUserName !== receiveId)) throw refused();
    // Suite events carry an InfoType; data callbacks (even from the provider's own enterprise) do not.
    if (receiveId === keys.suiteId || readXmlField(message, 'InfoType'))
      await receiveSuiteEvent(deps, keys, callback, message);
    else receiveDataCallback(deps, keys, receiveId, message);
    sendPlain(ctx, 'success');
  });
}

/** The connection's keys for this callback; a connection that does not use the protocol has no callback here. */
async function suiteKeys(
  deps: AppDeps,
  identifier: string,
  protocol: ProtocolName,
  callback: SuiteCallback,
): Promise<SuiteKeys> {
  const connection = await deps.store.connections.getForExchange(identifier);
  // A QR flow's callback belongs to connections of that flow; an in-client one to any that has its suite.
  if (PROTOCOLS[protocol].kind === 'qr' && connection.flow !== protocol) throw refused();
  const suiteId = connection[callback.suiteId];
  const token = connection[callback.token];
  const encodingAesKey = connection[callback.aesKey];
  const aesKey = encodingAesKey === null ? null : decodeEncodingAesKey(encodingAesKey);
  if (suiteId === null || token === null || aesKey === null) throw refused();
  return {connection, suiteId, token, aesKey};
}

/**
 * A suite's own event: a suite_ticket is stored (keyed by the decrypted SuiteId, which must be this
 * suite's: a ticket of another suite stored here would only ever earn 40085). An app suite's install
 * events are acknowledged and logged without their codes; login needs none of them. Any other
 * well-signed event is acknowledged and ignored.
 */
async function receiveSuiteEvent(
  deps: AppDeps,
  {connection, suiteId}: SuiteKeys,
  callback: SuiteCallback,
  message: string,
): Promise<void> {
  const event = readXmlFields(message, ['SuiteId', 'InfoType', 'TimeStamp', 'SuiteTicket', 'AuthCorpId']);
  if (!event || event.SuiteId !== suiteId) throw refused();
  if (event.InfoType === 'suite_ticket') {
    const ticket = event.SuiteTicket ?? '';
    const pushedAt = Number(event.TimeStamp) * 1000;
    if (!isWecomValue(ticket) || !Number.isSafeInteger(pushedAt) || pushedAt <= 0) throw refused();
    // Newer pushes replace older ones, so a push dated ahead would pin its ticket until the clock
    // caught up; WeCom's clock and ours agree to within minutes.
    if (pushedAt > (deps.now ?? Date.now)() + MAX_CLOCK_AHEAD_MS) throw refused();
    const outcome = await deps.store.suiteTickets.record(suiteId, ticket, pushedAt);
    deps.log.info('WeCom pushed a suite_ticket', {
      connection: connection.identifier,
      callback: callback.path,
      suiteId,
      pushedAt: new Date(pushedAt).toISOString(),
      outcome,
    });
  } else if (callback.appEvents && event.InfoType !== undefined) {
    // create_auth must be answered within 1 s, so nothing is fetched here; its AuthCode (like
    // reset_permanent_code's) is a credential and is never logged.
    deps.log.info('WeCom sent an app suite event', {
      connection: connection.identifier,
      suiteId,
      infoType: event.InfoType.slice(0, 40),
      authCorpId: event.AuthCorpId?.slice(0, 64),
    });
  }
}

/** An enterprise's data callback (a member's event in the app): acknowledged and logged, nothing kept. */
function receiveDataCallback(deps: AppDeps, {connection}: SuiteKeys, corpId: string, message: string): void {
  const event = readXmlFields(message, ['MsgType', 'Event']);
  if (!event) throw refused();
  deps.log.info('WeCom sent a data callback', {
    connection: connection.identifier,
    corpId,
    msgType: event.MsgType?.slice(0, 40),
    event: event.Event?.slice(0, 40),
  });
}

/** The named query parameters, '' where absent (a missing one then fails the signature check). */
function signedQuery<const Names extends readonly string[]>(
  ctx: Koa.Context,
  names: Names,
): {[I in keyof Names]: string} {
  return names.map((name) => queryParam(ctx, name) ?? '') as {[I in keyof Names]: string};
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
