import {randomBytes, randomInt} from 'node:crypto';
import {decodeEncodingAesKey, encryptMessage, messageSignature} from '../../server/wecom/message-crypto.ts';
import type {LoginSuiteState, SimulatedLoginSuite} from './login-suites.ts';

/** What the provider's callback answered one request of the pusher. */
export interface CallbackDelivery {
  kind: 'verify' | 'push';
  suiteId: string;
  status: number;
  body: string;
  /** The body was exactly what WeCom requires (the echostr's plaintext, or `success`). */
  accepted: boolean;
  /** The pushed ticket (pushes only). */
  ticket?: string;
}

/**
 * How the pusher reaches the provider's callback: global fetch, or one that trusts a test CA (the production-shape
 * suite).
 */
export type CallbackFetch = (
  url: string,
  init?: {method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal},
) => Promise<{status: number; text(): Promise<string>}>;

/**
 * The WeCom → provider direction of the 登录授权 callback (wecom-serviceapp.md §2.2, §2.3): the URL
 * check when the callback is saved, and the encrypted suite_ticket push, on a schedule and on demand
 * (刷新Ticket). No retries, as WeCom documents none.
 */
export function createTicketPusher(suites: LoginSuiteState, options: {now?: () => number; fetch?: CallbackFetch} = {}) {
  const now = options.now ?? Date.now;
  const fetch: CallbackFetch = options.fetch ?? globalThis.fetch;
  const deliveries: CallbackDelivery[] = [];
  let timer: NodeJS.Timeout | undefined;

  function callbackOf(suiteId: string): {
    suite: SimulatedLoginSuite;
    callback: NonNullable<SimulatedLoginSuite['callback']>;
    key: Buffer;
  } {
    const suite = suites.suite(suiteId);
    if (!suite?.callback) throw new Error(`Suite ${suiteId} has no callback configured.`);
    const key = decodeEncodingAesKey(suite.callback.encodingAesKey);
    if (!key) throw new Error(`Suite ${suiteId} has an invalid EncodingAESKey.`);
    return {suite, callback: suite.callback, key};
  }

  function signedUrl(url: string, token: string, encrypted: string, extra: Record<string, string> = {}): string {
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = String(randomInt(1e9, 1e10));
    const target = new URL(url);
    for (const [name, value] of Object.entries({
      msg_signature: messageSignature(token, timestamp, nonce, encrypted),
      timestamp,
      nonce,
      ...extra,
    }))
      target.searchParams.set(name, value);
    return target.href;
  }

  async function deliver(
    delivery: Omit<CallbackDelivery, 'status' | 'body' | 'accepted'>,
    expected: string,
    request: () => ReturnType<CallbackFetch>,
  ): Promise<CallbackDelivery> {
    let status = 0;
    let body = '';
    try {
      // WeCom waits about a second.
      const response = await request();
      status = response.status;
      body = await response.text();
    } catch (error) {
      body = (error as Error).message;
    }
    const done = {...delivery, status, body, accepted: status === 200 && body === expected};
    deliveries.push(done);
    return done;
  }

  /**
   * POSTs `message` to the suite's callback as WeCom does: encrypted for `receiveId`, in the
   * envelope naming it (with `agentId`), signed, and expected to be answered `success` within 1 s.
   */
  function post(
    delivery: Omit<CallbackDelivery, 'status' | 'body' | 'accepted'>,
    message: string,
    receiveId: string,
    agentId: string,
  ): Promise<CallbackDelivery> {
    const {callback, key} = callbackOf(delivery.suiteId);
    const encrypted = encryptMessage(key, message, receiveId, randomBytes(16));
    const envelope =
      `<xml><ToUserName><![CDATA[${receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]>` +
      `</Encrypt><AgentID><![CDATA[${agentId}]]></AgentID></xml>`;
    return deliver(delivery, 'success', () =>
      fetch(signedUrl(callback.url, callback.token, encrypted), {
        method: 'POST',
        headers: {'content-type': 'text/xml'},
        body: envelope,
        signal: AbortSignal.timeout(1_000),
      }),
    );
  }

  return {
    /** Every request so far, oldest first. */
    deliveries,
    /**
     * "Save config": GET the callback URL with an encrypted echostr; receiveid is the provider CorpID unless
     * `receiveId` says suite.
     */
    async verifyCallback(
      suiteId: string,
      {receiveId = 'corp'}: {receiveId?: 'corp' | 'suite'} = {},
    ): Promise<CallbackDelivery> {
      const {suite, callback, key} = callbackOf(suiteId);
      const plaintext = String(randomInt(1e9, 1e10)) + String(randomInt(1e8, 1e9));
      const echostr = encryptMessage(key, plaintext, receiveId === 'corp' ? suite.corpId : suite.suiteId);
      const url = signedUrl(callback.url, callback.token, echostr, {echostr});
      return deliver({kind: 'verify', suiteId}, plaintext, () => fetch(url, {signal: AbortSignal.timeout(1_000)}));
    },
    /** Mints a new suite_ticket and POSTs it, encrypted for the SuiteID, as WeCom's envelope. */
    async pushTicket(suiteId: string): Promise<CallbackDelivery> {
      const {suite} = callbackOf(suiteId);
      const ticket = suites.issueTicket(suiteId);
      // WeCom's own example has a space before InfoType's CDATA.
      const message =
        `<xml><SuiteId><![CDATA[${suite.suiteId}]]></SuiteId><InfoType> ` +
        `<![CDATA[suite_ticket]]></InfoType><TimeStamp>${Math.floor(now() / 1000)}</TimeStamp><SuiteTicket>` +
        `<![CDATA[${ticket}]]></SuiteTicket></xml>`;
      return post({kind: 'push', suiteId, ticket}, message, suite.suiteId, '');
    },
    /**
     * An app suite's 指令回调 event for enterprise `corpId` (create_auth carries a fresh AuthCode, as
     * do reset_permanent_code's), encrypted for the SuiteID like a ticket.
     */
    async pushSuiteEvent(suiteId: string, infoType: string, corpId: string): Promise<CallbackDelivery> {
      const {suite} = callbackOf(suiteId);
      const authCode =
        infoType === 'create_auth' || infoType === 'reset_permanent_code'
          ? `<AuthCode><![CDATA[${randomBytes(24).toString('base64url')}]]></AuthCode>`
          : '';
      const message =
        `<xml><SuiteId><![CDATA[${suite.suiteId}]]></SuiteId>${authCode}<InfoType>` +
        `<![CDATA[${infoType}]]></InfoType><TimeStamp>${Math.floor(now() / 1000)}</TimeStamp><AuthCorpId>` +
        `<![CDATA[${corpId}]]></AuthCorpId></xml>`;
      return post({kind: 'push', suiteId}, message, suite.suiteId, '');
    },
    /** An enterprise's 数据回调 event (say unlicensed_notify), encrypted for that enterprise's CorpID. */
    async pushDataEvent(suiteId: string, corpId: string, event: string, userId = ''): Promise<CallbackDelivery> {
      const message =
        `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[${userId}]]>` +
        `</FromUserName><CreateTime>${Math.floor(now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
        `<Event><![CDATA[${event}]]></Event><AgentID>1000015</AgentID></xml>`;
      return post({kind: 'push', suiteId}, message, corpId, '1000015');
    },
    /** Pushes every suite's ticket now and then every `intervalMs` (WeCom: ten minutes). */
    start(intervalMs = 10 * 60_000): void {
      const pushAll = () =>
        Promise.all(suites.suites.filter((suite) => suite.callback).map((suite) => this.pushTicket(suite.suiteId)));
      void pushAll();
      timer = setInterval(() => void pushAll(), intervalMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

/** The pusher of one simulator. */
export type TicketPusher = ReturnType<typeof createTicketPusher>;
