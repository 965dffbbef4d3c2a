// `npm run bench:signing`: what one ID token costs to sign, the way the login server signs it
// (jose, ES256, through WebCrypto) and as bare signatures of the same bytes. WebCrypto signs on
// libuv's thread pool, so each cost is read three ways: wall time, the main thread's CPU (what the
// server's event loop pays) and the whole process's CPU (what the machine pays, the hand-offs
// between threads included). A server under load sits between the "one after another" and the
// "at a time" rows: its signatures overlap some of the time. A benchmark: it prints figures only.
import {createPrivateKey, sign as nodeSign, type JsonWebKey} from 'node:crypto';
import type {SigningKeyStore, StoredSigningKey} from '../server/db/signing-key-store.ts';
import {createTokenSigner} from '../server/tokens/token-signer.ts';
import {statCpuSeconds} from './login-stack.ts';

const TOKENS = Number(process.env.SIGNING_TOKENS ?? 5000);
const AT_ONCE = 50;

/** CPU milliseconds (user + system) of this process's main thread so far, or null off Linux. */
function mainThreadCpuMs(): number | null {
  try {
    // The main thread's id is the process id.
    return statCpuSeconds(`/proc/self/task/${process.pid}/stat`) * 1000;
  } catch {
    return null;
  }
}

/** Runs `work` and prints its cost per token. */
async function measure(label: string, work: () => Promise<unknown>): Promise<void> {
  const mainBefore = mainThreadCpuMs();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallUs = ((performance.now() - started) * 1000) / TOKENS;
  const cpu = process.cpuUsage(cpuBefore);
  const mainAfter = mainThreadCpuMs();
  const mainUs =
    mainBefore === null || mainAfter === null ? 'n/a' : `${(((mainAfter - mainBefore) * 1000) / TOKENS).toFixed(0)} µs`;
  console.log(
    `  ${label.padEnd(44)} wall ${wallUs.toFixed(0).padStart(4)} µs, main thread ${mainUs.padStart(6)}, ` +
      `process ${((cpu.user + cpu.system) / TOKENS).toFixed(0).padStart(4)} µs`,
  );
}

const keys: StoredSigningKey[] = [];
const memoryStore: SigningKeyStore = {
  async list() {
    return keys;
  },
  async add(key) {
    keys.push(key);
  },
  async addFirst(key) {
    if (keys.length === 0) keys.push(key);
  },
  async fingerprint() {
    return keys.map((key) => key.kid).join(',');
  },
  async remove() {
    return false;
  },
};
const signer = await createTokenSigner({store: memoryStore, issuer: 'https://login.example.com'});
const user = {id: 'wwcorp0001:zhangsan', corpId: 'wwcorp0001', userId: 'zhangsan', name: '张三', usertype: 1 as const};
const context = {
  audience: 'acme',
  authorizedParty: 'https://shop.example.com',
  nonce: 'n0nce-of-the-element-123',
  amr: 'qr' as const,
};
const signOne = () => signer.sign(user, context);

// The same signing input and key, for the bare signatures: WebCrypto's, and OpenSSL's through
// node:crypto, which signs on the main thread.
const sample = await signOne();
const signingInput = Buffer.from(sample.slice(0, sample.lastIndexOf('.')));
const privateJwk = keys[0]!.privateJwk as JsonWebKey;
const cryptoKey = await crypto.subtle.importKey('jwk', privateJwk, {name: 'ECDSA', namedCurve: 'P-256'}, false, [
  'sign',
]);
const privateKey = createPrivateKey({key: privateJwk, format: 'jwk'});

for (let i = 0; i < 1000; i++) await signOne(); // warm up V8 and the thread pool

console.log(`ID-token signing, ${TOKENS} tokens each (ES256, the server's claims)`);
await measure('jose SignJWT, one after another', async () => {
  for (let i = 0; i < TOKENS; i++) await signOne();
});
await measure(`jose SignJWT, ${AT_ONCE} at a time`, async () => {
  for (let i = 0; i < TOKENS; i += AT_ONCE) await Promise.all(Array.from({length: AT_ONCE}, signOne));
});
await measure('WebCrypto sign of the same bytes (no JWT)', async () => {
  for (let i = 0; i < TOKENS; i++) await crypto.subtle.sign({name: 'ECDSA', hash: 'SHA-256'}, cryptoKey, signingInput);
});
await measure('node:crypto sign of the same bytes (no JWT)', async () => {
  for (let i = 0; i < TOKENS; i++) nodeSign('sha256', signingInput, {key: privateKey, dsaEncoding: 'ieee-p1363'});
});
