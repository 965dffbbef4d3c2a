import {decodeEncodingAesKey, encryptMessage, messageSignature} from '../../server/wecom/message-crypto.ts';
import {CALLBACK_TOKEN, ENCODING_AES_KEY, SUITE_ID, type Harness} from './login-harness.ts';

/** The 登录授权 callback's EncodingAESKey as bytes. */
export const AES_KEY = decodeEncodingAesKey(ENCODING_AES_KEY)!;

/** The 登录授权 callback URL of a service-app connection. */
export const callbackUrl = (h: Harness, identifier = 'acme-sa') =>
  `${h.baseUrl}/connections/${identifier}/wecom-callback`;

/** A request as WeCom signs it: msg_signature over the token, timestamp, nonce and ciphertext. */
export function signed(
  url: string,
  encrypted: string,
  {token = CALLBACK_TOKEN, timestamp = '1796000000', nonce = '1372623149'} = {},
): string {
  const target = new URL(url);
  target.search = new URLSearchParams({
    msg_signature: messageSignature(token, timestamp, nonce, encrypted),
    timestamp,
    nonce,
  }).toString();
  return target.href;
}

/** A suite_ticket push's plaintext, as WeCom writes it. */
export function ticketMessage({
  suiteId = SUITE_ID,
  ticket = 'ticket-0001',
  timestamp = 1796000000,
  infoType = ' <![CDATA[suite_ticket]]>',
} = {}): string {
  return `<xml><SuiteId><![CDATA[${suiteId}]]></SuiteId><InfoType>${infoType}</InfoType><TimeStamp>${timestamp}</TimeStamp><SuiteTicket><![CDATA[${ticket}]]></SuiteTicket></xml>`;
}

/** POSTs a push to the 登录授权 callback, encrypted and signed as WeCom does (each part replaceable). */
export async function postToCallback(
  h: Harness,
  {
    message = ticketMessage(),
    receiveId = SUITE_ID,
    toUserName = SUITE_ID,
    contentType = 'text/xml',
    token = CALLBACK_TOKEN,
    body,
  }: {
    message?: string;
    receiveId?: string;
    toUserName?: string;
    contentType?: string;
    token?: string;
    body?: string;
  } = {},
) {
  const encrypted = encryptMessage(AES_KEY, message, receiveId);
  const envelope =
    body ??
    `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID>` +
      `<![CDATA[]]></AgentID></xml>`;
  const response = await fetch(signed(callbackUrl(h), encrypted, {token}), {
    method: 'POST',
    headers: {'content-type': contentType},
    body: envelope,
  });
  return {status: response.status, type: response.headers.get('content-type'), text: await response.text()};
}
