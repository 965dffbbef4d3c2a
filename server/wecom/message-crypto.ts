import {createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual} from 'node:crypto';

/**
 * WeCom's callback message crypto (WXBizMsgCrypt, doc 91144): AES-256-CBC keyed by the
 * EncodingAESKey, the first 16 key bytes as IV, PKCS#7 padding to 32-byte blocks, and a plaintext of
 * 16 random bytes, the message length (uint32 BE), the message and the receiveid. Our own ~60 lines
 * rather than @wecom/crypto, which checks neither the padding, the lengths nor the receiveid.
 */

/** Why a message was refused; the callback route answers 4xx and stores nothing. */
export class MessageCryptoError extends Error {
  constructor(readonly reason: 'signature' | 'aes_key' | 'decrypt' | 'padding' | 'length' | 'receiveid') {
    super(`WeCom callback message refused: ${reason}`);
    this.name = 'MessageCryptoError';
  }
}

/** WeCom pads to 32-byte blocks, not AES's 16: OpenSSL's own unpadding refuses half of all messages. */
const BLOCK = 32;

/**
 * The 32-byte key of a 43-character EncodingAESKey, or null. Decoding rather than a strict base64
 * round trip: WeCom's official sample key ends in a character whose low bits are not zero, which a
 * round-trip check wrongly refuses though WeCom (and every SDK) decodes it.
 */
export function decodeEncodingAesKey(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]{43}$/.test(value)) return null;
  const key = Buffer.from(`${value}=`, 'base64');
  return key.length === 32 ? key : null;
}

/** msg_signature: hex SHA-1 of token, timestamp, nonce and the ciphertext, sorted as strings and joined. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** Throws MessageCryptoError('signature') unless `signature` is the message's, compared in constant time. */
export function assertSignature(
  signature: string,
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): void {
  const expected = Buffer.from(messageSignature(token, timestamp, nonce, encrypted));
  const given = Buffer.from(signature.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new MessageCryptoError('signature');
}

/** Encrypts `message` for `receiveId` (the simulator's side, and tests). */
export function encryptMessage(
  aesKey: Buffer,
  message: string,
  receiveId: string,
  random: Buffer = randomBytes(16),
): string {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = Buffer.concat([random, length, body, Buffer.from(receiveId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
    'base64',
  );
}

/**
 * Decrypts a message and checks it whole: the padding, the declared length, and a receiveid that is
 * one of `receiveIds` (or that it accepts). A wrong key, a truncated or altered ciphertext is refused, never
 * returned as garbage.
 */
export function decryptMessage(
  aesKey: Buffer,
  encrypted: string,
  receiveIds: readonly string[] | ((receiveId: string) => boolean),
): {message: string; receiveId: string} {
  const data = /^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) ? Buffer.from(encrypted, 'base64') : Buffer.alloc(0);
  if (data.length === 0 || data.length % 16 !== 0) throw new MessageCryptoError('decrypt');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new MessageCryptoError('decrypt');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK || pad > plain.length || !plain.subarray(plain.length - pad).every((byte) => byte === pad))
    throw new MessageCryptoError('padding');
  const unpadded = plain.subarray(0, plain.length - pad);
  if (unpadded.length < 20) throw new MessageCryptoError('length');
  const length = unpadded.readUInt32BE(16);
  if (20 + length > unpadded.length) throw new MessageCryptoError('length');
  const receiveId = unpadded.subarray(20 + length).toString('utf8');
  if (!(typeof receiveIds === 'function' ? receiveIds(receiveId) : receiveIds.includes(receiveId)))
    throw new MessageCryptoError('receiveid');
  return {message: unpadded.subarray(20, 20 + length).toString('utf8'), receiveId};
}
