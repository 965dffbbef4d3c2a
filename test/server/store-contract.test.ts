import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, it} from 'node:test';
import type {ConnectionInput} from '../../server/connections/connection.ts';
import {createSecretBox} from '../../server/crypto/secret-box.ts';
import {reseal} from '../../server/db/sealed-columns.ts';
import type {Store} from '../../server/db/store.ts';
import type {SigningAlg} from '../../server/db/signing-key-store.ts';
import type {OidcClient} from '../../server/db/oidc-client-store.ts';
import type {WecomIdentity} from '../../server/db/user-store.ts';
import {AppError, UnknownConnection} from '../../server/errors.ts';
import {assertNoneIn} from '../helpers/absence.ts';
import {storeBackends} from '../helpers/store-backends.ts';

// One contract, written against the Store interface only, held by every backend. Where a test needs
// two server processes, it opens two stores on one database.

const connectionInput = (identifier = 'acme', fields: Partial<ConnectionInput> = {}): ConnectionInput => ({
  identifier,
  displayName: 'Acme 企业微信',
  corpId: 'wwprovider00000001',
  providerSecret: 'ProviderSecret-plaintext-0001',
  callbackUrl: '',
  loginMode: 'login-and-register',
  usertype: 'member',
  allowedOrigins: ['https://shop.example'],
  launchUrl: null,
  ...fields,
});

const ann: WecomIdentity = {corpId: 'wwcorp0001', openUserId: 'woAnn0001', userId: 'ann', name: 'Ann Lee', usertype: 1};
const transaction = {
  connection: 'acme',
  protocol: 'legacy',
  nonce: 'n'.repeat(24),
  origin: 'https://shop.example',
  mode: 'popup',
  returnTo: null,
  browserBinding: 'b'.repeat(22),
  codeChallenge: null,
} as const;

async function auditCount(store: Store, event?: string): Promise<number> {
  return (await store.audit.list({event, limit: 10_000})).items.length;
}

for (const backend of storeBackends()) {
  describe(`the Store contract on ${backend.name}`, () => {
    describe('connections', () => {
      it('lists in byte order of the identifier', async () => {
        const store = await (await backend.createDatabase()).open();
        for (const id of ['beta', 'Zeta', 'alpha', 'a-b', 'a_b']) await store.connections.create(connectionInput(id));

        assert.deepEqual(
          (await store.connections.list()).map((c) => c.identifier),
          ['Zeta', 'a-b', 'a_b', 'alpha', 'beta'],
        );
      });

      it('refuses a taken identifier with 409 naming the field', async () => {
        const store = await (await backend.createDatabase()).open();
        await store.connections.create(connectionInput('alpha'));

        await assert.rejects(
          store.connections.create(connectionInput('alpha')),
          (error: AppError) => error.status === 409 && error.field === 'identifier',
        );
      });

      it('removes a connection with its users and login states, after which it is unknown', async () => {
        const store = await (await backend.createDatabase()).open();
        await store.connections.create(connectionInput('alpha'));
        const {user} = (await store.users.recordLogin('alpha', ann, {allowCreate: true, ip: '203.0.113.1'}))!;
        await store.loginStates.createTransaction(
          'state-of-alpha-0000000000',
          {...transaction, connection: 'alpha'},
          60_000,
        );

        await store.connections.remove('alpha');

        await assert.rejects(store.connections.get('alpha'), UnknownConnection);
        await assert.rejects(store.connections.remove('alpha'), UnknownConnection);
        assert.equal(await store.users.get(user.id), null);
        assert.equal(await store.loginStates.consumeTransaction('state-of-alpha-0000000000'), null);
      });

      it('creates a connection answering without its secret', async () => {
        const store = await (await backend.createDatabase()).open();

        const created = await store.connections.create(connectionInput('acme', {allowedCorpIds: ['wwcorp0001']}));

        assert.equal('providerSecret' in created, false);
        assert.deepEqual(created.allowedCorpIds, ['wwcorp0001']);
      });

      it('changes nothing when the check before an update fails', async () => {
        const store = await (await backend.createDatabase()).open();
        await store.connections.create(connectionInput('acme'));

        await assert.rejects(
          store.connections.update('acme', {displayName: 'Changed'}, () => {
            throw new AppError('display_name_invalid');
          }),
        );

        assert.equal((await store.connections.get('acme')).displayName, 'Acme 企业微信');
      });

      it('updates for every process on the database, stamping the time', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput('acme'));
        db.clock.time += 5_000;

        const updated = await store.connections.update('acme', {
          displayName: 'Changed',
          allowedOrigins: ['https://a.example', 'https://b.example'],
        });

        assert.equal(updated.updatedAt, db.clock.time);
        assert.deepEqual((await (await db.open()).connections.get('acme')).allowedOrigins, [
          'https://a.example',
          'https://b.example',
        ]);
      });

      it('keeps the secret through an update without one, and returns it only from getForExchange', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput('acme'));

        await store.connections.update('acme', {displayName: 'Changed'});
        const other = await db.open();

        assert.equal((await other.connections.getForExchange('acme')).providerSecret, 'ProviderSecret-plaintext-0001');
        assertNoneIn(JSON.stringify(await other.connections.list()), 'Changed', ['ProviderSecret'], 'the list');
      });

      it('replaces the secret when a new one comes', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput('acme'));

        await store.connections.update('acme', {providerSecret: 'ProviderSecret-plaintext-0002'});

        assert.equal(
          (await (await db.open()).connections.getForExchange('acme')).providerSecret,
          'ProviderSecret-plaintext-0002',
        );
      });
    });

    describe('secrets at rest', () => {
      it('seals every secret at rest, which another key cannot open', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput());
        await store.signingKeys.add({
          kid: 'k1',
          privateJwk: {d: 'private-d-value'},
          publicJwk: {x: 'public'},
          createdAt: 1,
          signsFrom: 1,
          alg: 'ES256' as const,
        });
        await store.accessTokens.write('wwprovider00000001', {
          token: 'provider-token-plaintext',
          expiresAt: db.clock.time + 7_200_000,
        });

        const sealed = await store.sampleSealed();
        assert.deepEqual(
          sealed.map((value) => value.column.table),
          ['connections', 'signing_keys', 'access_tokens'],
        );
        const stranger = createSecretBox(randomBytes(32));
        for (const value of sealed) {
          assert.doesNotMatch(value.sealed, /plaintext|private-d-value/);
          assert.throws(() => stranger.open(value.sealed, value.column.context(value.key)));
          db.box.open(value.sealed, value.column.context(value.key));
        }
        await assert.rejects(db.open(stranger), /SECRET_KEY: does not open the secrets/);
      });

      it('re-seals every secret under a new key, which alone opens them after', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput());
        await store.signingKeys.add({
          kid: 'k1',
          privateJwk: {d: 'dd'},
          publicJwk: {x: 'x'},
          createdAt: 1,
          signsFrom: 1,
          alg: 'ES256' as const,
        });
        const newKey = randomBytes(32);
        const counts = await store.resealAll((value) => reseal(createSecretBox(newKey, [db.masterKey]), value));
        assert.deepEqual(counts, {
          connections: 1,
          signing_keys: 1,
          access_tokens: 0,
          suite_tickets: 0,
          oidc_clients: 0,
          oidc_artifacts: 0,
        });
        const reopened = await db.open(createSecretBox(newKey));
        assert.equal(
          (await reopened.connections.getForExchange('acme')).providerSecret,
          'ProviderSecret-plaintext-0001',
        );
        assert.deepEqual((await reopened.signingKeys.list())[0]!.privateJwk, {d: 'dd'});
        await assert.rejects(db.open(), /SECRET_KEY/);
      });
    });

    describe('login states and tickets', () => {
      it('lets exactly one of 10 concurrent callbacks on two processes consume a state', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        await one.connections.create(connectionInput());
        await one.loginStates.createTransaction('state-0000000000000000000001', transaction, 60_000);

        const states = await Promise.all(
          Array.from({length: 10}, (_, i) =>
            (i % 2 ? one : two).loginStates.consumeTransaction('state-0000000000000000000001'),
          ),
        );

        assert.equal(states.filter(Boolean).length, 1);
        assert.deepEqual(states.find(Boolean), transaction);
      });

      it('lets exactly one of 10 concurrent redemptions on two processes consume a ticket', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        await one.connections.create(connectionInput());
        const {user} = (await one.users.recordLogin('acme', ann, {allowCreate: true, ip: '203.0.113.1'}))!;
        await one.loginStates.createTicket(
          'ticket-00000000000000000000001',
          {
            connection: 'acme',
            userId: user.id,
            origin: 'https://shop.example',
            nonce: null,
            codeChallenge: 'c'.repeat(43),
            amr: 'launch',
          },
          60_000,
        );

        const tickets = await Promise.all(
          Array.from({length: 10}, (_, i) =>
            (i % 2 ? one : two).loginStates.consumeTicket('ticket-00000000000000000000001'),
          ),
        );

        assert.equal(tickets.filter(Boolean).length, 1);
        assert.equal(tickets.find(Boolean)!.codeChallenge, 'c'.repeat(43));
      });

      it('lets a state be peeked at without using it up', async () => {
        const store = await (await backend.createDatabase()).open();
        await store.connections.create(connectionInput());
        await store.loginStates.createTransaction('state-0000000000000000000002', transaction, 1_000);

        assert.deepEqual(await store.loginStates.peekTransaction('state-0000000000000000000002'), transaction);
        assert.deepEqual(await store.loginStates.consumeTransaction('state-0000000000000000000002'), transaction);
      });

      it('answers null for an expired or never-issued state', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput());
        await store.loginStates.createTransaction('state-0000000000000000000002', transaction, 1_000);

        db.clock.time += 1_001;

        assert.equal(await store.loginStates.peekTransaction('state-0000000000000000000002'), null);
        assert.equal(await store.loginStates.consumeTransaction('state-0000000000000000000002'), null);
        assert.equal(await store.loginStates.consumeTransaction('never-issued-0000000000000'), null);
      });
    });

    describe('the provider-token cache and its refresh lease', () => {
      it('grants the refresh lease to one of 20 concurrent claimers until it ends', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        const claims = await Promise.all(
          Array.from({length: 20}, (_, i) => (i % 2 ? one : two).accessTokens.claimRefresh('wwcorp', 10_000)),
        );
        assert.equal(claims.filter(Boolean).length, 1);
        assert.equal(await one.accessTokens.claimRefresh('wwcorp', 10_000), false);
        await two.accessTokens.releaseRefresh('wwcorp');
        assert.equal(await one.accessTokens.claimRefresh('wwcorp', 10_000), true);
        db.clock.time += 10_001;
        assert.equal(await two.accessTokens.claimRefresh('wwcorp', 10_000), true, "a crashed holder's lease runs out");
        assert.equal(await two.accessTokens.claimRefresh('other-corp', 10_000), true, 'leases are per key');
      });

      it('shares the token between processes and drops it only while it is still the token that failed', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        assert.equal(await one.accessTokens.read('wwcorp'), null);
        await one.accessTokens.write('wwcorp', {token: 'first', expiresAt: 5});
        assert.deepEqual(await two.accessTokens.read('wwcorp'), {token: 'first', expiresAt: 5});
        await two.accessTokens.write('wwcorp', {token: 'second', expiresAt: 6});
        await one.accessTokens.drop('wwcorp', 'first');
        assert.deepEqual(await one.accessTokens.read('wwcorp'), {token: 'second', expiresAt: 6});
        await one.accessTokens.drop('wwcorp', 'second');
        assert.equal(await two.accessTokens.read('wwcorp'), null);
      });
    });

    describe('users', () => {
      for (const [kind, identity] of [
        ['open_userid', ann],
        ['userid alone', {corpId: 'wwcorp0001', userId: 'bob', name: 'Bob', usertype: 1}],
      ] as const) {
        it(`makes 20 concurrent first logins of one person (${kind}) one user`, async () => {
          const db = await backend.createDatabase();
          const [one, two] = [await db.open(), await db.open()];
          await one.connections.create(connectionInput());
          const results = await Promise.all(
            Array.from({length: 20}, (_, i) =>
              (i % 2 ? one : two).users.recordLogin('acme', identity, {allowCreate: true, ip: '203.0.113.9'}),
            ),
          );
          assert.equal(new Set(results.map((result) => result!.user.id)).size, 1);
          assert.equal(results.filter((result) => result!.created).length, 1);
          assert.equal(Math.max(...results.map((result) => result!.user.loginCount)), 20);
          const audit = (await one.audit.list({event: 'login_succeeded', limit: 100})).items;
          assert.equal(audit.length, 20);
          assert.equal(audit.filter((entry) => entry.detail === 'user created').length, 1);
          assert.ok(audit.every((entry) => entry.ip === '203.0.113.9' && entry.userId === results[0]!.user.id));
        });
      }

      it('refreshes WeCom fields on a later login', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput());
        const first = (await store.users.recordLogin('acme', ann, {allowCreate: true, ip: '203.0.113.1'}))!;
        db.clock.time += 1_000;
        const again = (await store.users.recordLogin(
          'acme',
          {...ann, userId: undefined, name: 'Ann Li', avatar: 'https://wework.qpic.cn/a.png'},
          {allowCreate: false, ip: '203.0.113.2'},
        ))!;
        assert.equal(again.created, false);
        assert.deepEqual(
          {...again.user},
          {
            ...first.user,
            userId: 'ann',
            name: 'Ann Li',
            avatar: 'https://wework.qpic.cn/a.png',
            lastLoginAt: db.clock.time,
            loginCount: 2,
          },
        );
        assert.deepEqual(await store.users.get(first.user.id), again.user);
      });

      it('answers null for a stranger when creation is not allowed, writing nothing', async () => {
        const store = await (await backend.createDatabase()).open();
        await store.connections.create(connectionInput());
        await store.users.recordLogin('acme', ann, {allowCreate: true, ip: '203.0.113.1'});
        const before = await auditCount(store);

        assert.equal(
          await store.users.recordLogin(
            'acme',
            {...ann, openUserId: 'woStranger'},
            {allowCreate: false, ip: '203.0.113.3'},
          ),
          null,
        );
        assert.equal(
          await store.users.recordLogin(
            'acme',
            {corpId: 'wwcorp0001', userId: 'stranger', name: 'S', usertype: 1},
            {allowCreate: false, ip: '203.0.113.3'},
          ),
          null,
        );
        assert.equal(await auditCount(store), before);
        assert.equal((await store.users.list('acme', {limit: 10})).items.length, 1);
      });

      /** A store whose `acme` has seven users, created in this order, and a search by name or id. */
      async function withUsers() {
        const store = await (await backend.createDatabase()).open();
        await store.connections.create(connectionInput());
        const names = ['Ann Lee', 'ANNA', 'Bob', '100% Carl', 'Dan_Smith', 'DanXSmith', '张伟'];
        for (const [i, name] of names.entries())
          await store.users.recordLogin(
            'acme',
            {corpId: 'wwcorp0001', openUserId: `wo${i}`, userId: `user${i}`, name, usertype: 1},
            {allowCreate: true, ip: '203.0.113.1'},
          );
        const search = async (query: string) =>
          (await store.users.list('acme', {query, limit: 50})).items.map((user) => user.name);
        return {store, search};
      }

      it('searches names and ids ignoring ASCII case', async () => {
        const {search} = await withUsers();

        assert.deepEqual(await search('ann'), ['ANNA', 'Ann Lee']);
        assert.deepEqual(await search('张'), ['张伟']);
        assert.deepEqual(await search('USER2'), ['Bob']);
        assert.deepEqual(await search('WO3'), ['100% Carl']);
      });

      it('treats % and _ in a search literally', async () => {
        const {search} = await withUsers();

        assert.deepEqual(await search('%'), ['100% Carl']);
        assert.deepEqual(await search('n_s'), ['Dan_Smith']);
      });

      it('pages users newest first, to a last page without a cursor', async () => {
        const {store} = await withUsers();

        const first = await store.users.list('acme', {limit: 3});
        const second = await store.users.list('acme', {limit: 3, cursor: first.nextCursor!});
        const last = await store.users.list('acme', {limit: 3, cursor: second.nextCursor!});

        assert.deepEqual(
          first.items.map((user) => user.name),
          ['张伟', 'DanXSmith', 'Dan_Smith'],
        );
        assert.deepEqual(
          second.items.map((user) => user.name),
          ['100% Carl', 'Bob', 'ANNA'],
        );
        assert.deepEqual(last, {items: [last.items[0]!], nextCursor: null});
      });
    });

    describe('the audit log', () => {
      it('pages newest first and filters by connection and event', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        for (let i = 0; i < 7; i++)
          await store.audit.record({
            event: i % 2 ? 'login_failed' : 'connection_updated',
            connection: i < 4 ? 'acme' : 'other',
            code: i % 2 ? 'expired_code' : null,
            wecomErrcode: i % 2 ? 40029 : null,
            detail: `#${i}`,
            ip: '203.0.113.1',
          });
        const page1 = await store.audit.list({limit: 3});
        assert.deepEqual(
          page1.items.map((entry) => entry.detail),
          ['#6', '#5', '#4'],
        );
        const page2 = await store.audit.list({limit: 3, cursor: page1.nextCursor!});
        assert.deepEqual(
          page2.items.map((entry) => entry.detail),
          ['#3', '#2', '#1'],
        );
        const page3 = await store.audit.list({limit: 3, cursor: page2.nextCursor!});
        assert.deepEqual([page3.items.map((entry) => entry.detail), page3.nextCursor], [['#0'], null]);
        assert.deepEqual(
          (await store.audit.list({connection: 'acme', event: 'login_failed', limit: 10})).items.map(
            (entry) => entry.detail,
          ),
          ['#3', '#1'],
        );
        const entry = (await store.audit.list({connection: 'acme', event: 'login_failed', limit: 1})).items[0]!;
        assert.deepEqual(
          {...entry, id: 0},
          {
            id: 0,
            at: db.clock.time,
            event: 'login_failed',
            connection: 'acme',
            userId: null,
            code: 'expired_code',
            wecomErrcode: 40029,
            detail: '#3',
            ip: '203.0.113.1',
          },
        );
        await store.audit.record({event: 'login_failed', connection: 'x'.repeat(500), detail: 'd'.repeat(5_000)});
        const bounded = (await store.audit.list({limit: 1})).items[0]!;
        assert.deepEqual([bounded.connection!.length, bounded.detail!.length], [64, 1000]);
      });

      it('counts logins per UTC day with failures by code', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        const day = 24 * 60 * 60_000;
        db.clock.time = Date.UTC(2026, 10, 30, 12);
        for (const [ago, event, code] of [
          [0, 'login_succeeded', null],
          [0, 'login_succeeded', null],
          [1, 'login_failed', 'expired_code'],
          [1, 'login_refused', 'login_not_allowed'],
          [2, 'connection_updated', null],
          [40, 'login_succeeded', null],
        ] as const) {
          const time = db.clock.time;
          db.clock.time -= ago * day;
          await store.audit.record({event, connection: 'acme', code});
          db.clock.time = time;
        }
        const {days, latestFailures} = await store.audit.activity('acme', 3);
        assert.deepEqual(days, [
          {day: '2026-11-28', succeeded: 0, failed: {}},
          {day: '2026-11-29', succeeded: 0, failed: {expired_code: 1, login_not_allowed: 1}},
          {day: '2026-11-30', succeeded: 2, failed: {}},
        ]);
        assert.deepEqual(
          latestFailures.map((entry) => entry.code),
          ['login_not_allowed', 'expired_code'],
        );
      });
    });

    describe('WeCom back-off, refusal counts and signing keys', () => {
      it('doubles the hold on each strike from any process, counting simultaneous ones', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        assert.equal(await one.wecomBackoff.until('wwcorp'), 0);
        assert.equal(await one.wecomBackoff.strike('wwcorp'), db.clock.time + 60_000);
        await Promise.all([one.wecomBackoff.strike('wwcorp'), two.wecomBackoff.strike('wwcorp')]);
        assert.equal(await two.wecomBackoff.strike('wwcorp'), db.clock.time + 480_000);
        db.clock.time += 16 * 60_000;
        assert.equal(
          await one.wecomBackoff.strike('wwcorp'),
          db.clock.time + 60_000,
          'strikes 15 minutes apart start over',
        );
        for (let i = 0; i < 12; i++) await one.wecomBackoff.strike('wwcorp');
        assert.equal(await two.wecomBackoff.until('wwcorp'), db.clock.time + 30 * 60_000);
      });

      it("reads the hold from memory for a second: another's strike shows within it, its own at once", async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        assert.equal(await one.wecomBackoff.until('wwcorp'), 0);

        const own = await two.wecomBackoff.strike('wwcorp');
        const stale = await one.wecomBackoff.until('wwcorp');
        db.clock.time += 1_000;
        const fresh = await one.wecomBackoff.until('wwcorp');

        assert.equal(await two.wecomBackoff.until('wwcorp'), own, 'the striking process sees its hold at once');
        assert.equal(stale, 0, 'another process may see it up to a second late');
        assert.equal(fresh, own);
      });

      it('adds refusal counts per reason and hour', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        await Promise.all([
          one.refusals.add(
            3_600_000,
            new Map([
              ['invalid_state', 5],
              ['unknown_connection', 1],
            ]),
          ),
          two.refusals.add(3_600_000, new Map([['invalid_state', 2]])),
        ]);
        await one.refusals.add(7_200_000, new Map([['invalid_state', 1]]));
        await one.refusals.add(7_200_000, new Map());
        assert.deepEqual(await two.refusals.list(3_600_000), [
          {reason: 'invalid_state', hour: 7_200_000, count: 1},
          {reason: 'invalid_state', hour: 3_600_000, count: 7},
          {reason: 'unknown_connection', hour: 3_600_000, count: 1},
        ]);
      });

      const es256Key = (kid: string, d: string, createdAt: number, signsFrom: number) => ({
        kid,
        alg: 'ES256' as const,
        privateJwk: {d},
        publicJwk: {x: d},
        createdAt,
        signsFrom,
      });
      const keyB = es256Key('b', '1', 2, 2);
      const keyA = es256Key('a', '2', 3, 9);

      it('keeps signing keys oldest first', async () => {
        const store = await (await backend.createDatabase()).open();

        await store.signingKeys.add(keyB);
        await store.signingKeys.add(keyA);

        assert.deepEqual(await store.signingKeys.list(), [keyB, keyA]);
      });

      it('ignores a second key with a taken kid', async () => {
        const store = await (await backend.createDatabase()).open();
        await store.signingKeys.add(keyB);

        await store.signingKeys.add({
          kid: 'b',
          privateJwk: {d: 'other'},
          publicJwk: {x: 'other'},
          createdAt: 1,
          signsFrom: 1,
          alg: 'ES256' as const,
        });

        assert.deepEqual(await store.signingKeys.list(), [keyB]);
      });

      it('removes a key once, changing the fingerprint on every change', async () => {
        const store = await (await backend.createDatabase()).open();
        const empty = await store.signingKeys.fingerprint();
        await store.signingKeys.add(keyB);
        await store.signingKeys.add(keyA);
        const two = await store.signingKeys.fingerprint();

        assert.equal(await store.signingKeys.remove('b'), true);
        assert.equal(await store.signingKeys.remove('b'), false);

        assert.equal(two, 'a:9,b:2');
        assert.notEqual(two, empty);
        assert.equal(await store.signingKeys.fingerprint(), 'a:9');
      });

      it('adds one first key per algorithm when servers start on an empty database together, none later', async () => {
        const db = await backend.createDatabase();
        const stores = [await db.open(), await db.open()];
        const key = (kid: string, alg: SigningAlg) => ({
          kid,
          alg,
          privateJwk: {d: kid},
          publicJwk: {x: kid},
          createdAt: 1,
          signsFrom: 1,
        });

        // Two at once on each store and algorithm: on PostgreSQL each runs on a pooled connection of its own.
        await Promise.all(
          [0, 1, 2, 3].flatMap((i) =>
            (['ES256', 'RS256'] as const).map((alg) => stores[i % 2]!.signingKeys.addFirst(key(`${alg}-${i}`, alg))),
          ),
        );
        await stores[0]!.signingKeys.addFirst(key('later', 'ES256'));
        await stores[0]!.signingKeys.addFirst(key('later-rs', 'RS256'));

        const kids = (await stores[1]!.signingKeys.list()).map((stored) => stored.kid).sort();
        assert.equal(kids.length, 2, kids.join(', '));
        assert.match(kids[0]!, /^ES256-[0-3]$/);
        assert.match(kids[1]!, /^RS256-[0-3]$/);
      });
    });

    describe('suite tickets', () => {
      it('keeps the newest and the previous per suite, sealed, never an older push over a newer one', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        assert.equal(await one.suiteTickets.read('wwsuite'), null);
        assert.equal(await one.suiteTickets.record('wwsuite', 'ticket-a', 1_000), 'stored');
        db.clock.time += 5;
        assert.equal(await two.suiteTickets.record('wwsuite', 'ticket-b', 2_000), 'stored');
        assert.equal(await one.suiteTickets.record('wwsuite', 'ticket-late', 1_500), 'stale');
        assert.equal(await one.suiteTickets.record('wwsuite', 'ticket-b', 2_000), 'stale');
        assert.equal(await one.suiteTickets.record('other', 'ticket-x', 500), 'stored');
        assert.deepEqual(await two.suiteTickets.read('wwsuite'), {
          newest: {ticket: 'ticket-b', pushedAt: 2_000, receivedAt: db.clock.time},
          previous: {ticket: 'ticket-a', pushedAt: 1_000, receivedAt: db.clock.time - 5},
        });
        assert.equal(await two.suiteTickets.clear('other'), true);
        assert.equal(await one.suiteTickets.clear('other'), false);
        assert.equal(await one.suiteTickets.read('other'), null);
        const sealed = (await one.sampleSealed()).filter((value) => value.column.table === 'suite_tickets');
        assert.deepEqual(
          sealed.map((value) => value.column.column),
          ['ticket_sealed', 'previous_ticket_sealed'],
        );
        for (const value of sealed) assert.doesNotMatch(value.sealed, /ticket-/);
      });

      it('seals a service-app connection\'s three secrets and keeps "no ProviderSecret" as none', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        const created = await store.connections.create({
          ...connectionInput('sa'),
          providerSecret: undefined,
          flow: 'service-app',
          suiteId: 'wwsuite0000000001',
          suiteSecret: 'suite-secret-plaintext',
          callbackToken: 'TokenPlaintext1',
          encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
        });
        assert.deepEqual(
          [created.flow, created.suiteId, created.secretsSet],
          ['service-app', 'wwsuite0000000001', ['suiteSecret', 'callbackToken', 'encodingAesKey']],
        );
        const full = await (await db.open()).connections.getForExchange('sa');
        assert.deepEqual(
          [full.providerSecret, full.suiteSecret, full.callbackToken, full.encodingAesKey],
          [null, 'suite-secret-plaintext', 'TokenPlaintext1', 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'],
        );
        const sealed = (await store.sampleSealed()).filter((value) => value.column.table === 'connections');
        assert.deepEqual(
          sealed.map((value) => value.column.column),
          ['suite_secret_sealed', 'callback_token_sealed', 'encoding_aes_key_sealed'],
        );
        for (const value of sealed) assert.doesNotMatch(value.sealed, /plaintext|Plaintext|jWmYm7/);
        const updated = await store.connections.update('sa', {providerSecret: 'now-with-provider-secret'});
        assert.deepEqual(updated.secretsSet, ['providerSecret', 'suiteSecret', 'callbackToken', 'encodingAesKey']);
        assert.equal(
          (await (await db.open()).connections.getForExchange('sa')).providerSecret,
          'now-with-provider-secret',
        );
      });
    });

    describe('the OpenID provider: clients and artifacts', () => {
      const client = (clientId: string): OidcClient => ({
        clientId,
        name: 'Grafana',
        connection: 'acme',
        redirectUris: ['https://grafana.example.com/login/generic_oauth'],
        postLogoutRedirectUris: [],
        tokenEndpointAuthMethod: 'client_secret_basic',
        allowedCorpIds: ['wwcustomer0000001'],
        anyCorp: false,
        idTokenSignedResponseAlg: 'RS256',
        secretSet: true,
        createdAt: 1_000,
        updatedAt: 1_000,
      });

      it('keeps clients with their secret sealed, rotates it keeping the previous, refuses a taken id', async () => {
        const db = await backend.createDatabase();
        const [one, two] = [await db.open(), await db.open()];
        await one.connections.create(connectionInput());
        await one.oidcClients.create(client('grafana'), 'secret-one');

        await assert.rejects(one.oidcClients.create(client('grafana'), 'other'), {code: 'conflict'});
        assert.equal(await two.oidcClients.rotateSecret('grafana', 'secret-two', 5_000, 2_000), true);
        assert.equal(await two.oidcClients.rotateSecret('nobody', 'x', 5_000, 2_000), false);
        const stored = await one.oidcClients.getWithSecrets('grafana');
        assert.deepEqual(
          {secret: stored?.secret, previous: stored?.previousSecret, until: stored?.previousSecretExpiresAt},
          {secret: 'secret-two', previous: 'secret-one', until: 5_000},
        );
        assert.deepEqual(await two.oidcClients.get('grafana'), {...client('grafana'), updatedAt: 2_000});
        assert.deepEqual(
          (await one.oidcClients.list()).map((listed) => listed.clientId),
          ['grafana'],
        );
        assertNoneIn(JSON.stringify(await one.sampleSealed()), 'oidc_clients', ['secret-one', 'secret-two'], 'sealed');
        assert.equal(await one.oidcClients.remove('grafana'), true);
        assert.equal(await one.oidcClients.remove('grafana'), false);
        assert.equal(await two.oidcClients.get('grafana'), null);
      });

      it('lets exactly one of 10 concurrent redemptions consume a code, across two stores', async () => {
        const db = await backend.createDatabase();
        const stores = [await db.open(), await db.open()];
        await stores[0]!.oidcArtifacts.upsert(
          'AuthorizationCode',
          'code-1',
          {kind: 'AuthorizationCode', grantId: 'g1'},
          60,
        );

        const results = await Promise.all(
          Array.from({length: 10}, (_, i) => stores[i % 2]!.oidcArtifacts.consume('AuthorizationCode', 'code-1')),
        );

        assert.equal(results.filter(Boolean).length, 1, results.join(', '));
        const found = await stores[1]!.oidcArtifacts.find('AuthorizationCode', 'code-1');
        assert.equal(typeof found?.consumed, 'number');
        assert.equal(found?.grantId, 'g1');
      });

      it('finds by id and by uid until expiry, and revokes what a grant issued, leaving the rest', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.oidcArtifacts.upsert('Session', 'cookie-1', {kind: 'Session', uid: 'uid-1', jti: 'cookie-1'}, 60);
        await store.oidcArtifacts.upsert('AccessToken', 'at-1', {kind: 'AccessToken', grantId: 'g1'}, 3_600);
        await store.oidcArtifacts.upsert('AccessToken', 'at-2', {kind: 'AccessToken', grantId: 'g2'}, 3_600);
        await store.oidcArtifacts.upsert('Interaction', 'i-1', {kind: 'Interaction', grantId: 'g1'}, 600);

        assert.equal((await store.oidcArtifacts.findByUid('Session', 'uid-1'))?.jti, 'cookie-1');
        assert.equal(await store.oidcArtifacts.findByUid('Interaction', 'uid-1'), undefined, 'uids are per model');
        await store.oidcArtifacts.revokeByGrantId('g1');
        assert.equal(await store.oidcArtifacts.find('AccessToken', 'at-1'), undefined);
        assert.notEqual(await store.oidcArtifacts.find('AccessToken', 'at-2'), undefined);
        assert.notEqual(await store.oidcArtifacts.find('Interaction', 'i-1'), undefined, 'an interaction is no token');
        db.clock.time += 61_000;
        assert.equal(await store.oidcArtifacts.find('Session', 'cookie-1'), undefined);
        assert.equal(await store.oidcArtifacts.consume('AccessToken', 'at-2'), true);
        await store.oidcArtifacts.destroy('AccessToken', 'at-2');
        assert.equal(await store.oidcArtifacts.find('AccessToken', 'at-2'), undefined);
        assert.equal((await store.maintain({auditRetentionDays: 0})).oidcArtifacts, 1, 'the expired session');
      });
    });

    describe('upkeep', () => {
      it('purges audit rows and refusal counts past the retention and expired states, keeping users', async () => {
        const db = await backend.createDatabase();
        const store = await db.open();
        await store.connections.create(connectionInput());
        const start = db.clock.time;
        await store.users.recordLogin('acme', ann, {allowCreate: true, ip: '203.0.113.1'});
        await store.loginStates.createTransaction('state-0000000000000000000003', transaction, 1_000);
        await store.refusals.add(start, new Map([['invalid_state', 1]]));
        db.clock.time += 200 * 24 * 60 * 60_000;
        await store.audit.record({event: 'connection_updated', connection: 'acme'});
        const removed = await store.maintain({auditRetentionDays: 180});
        assert.deepEqual(
          {...removed, pagesFreed: 0},
          {auditRows: 1, refusalRows: 1, transactions: 1, tickets: 0, oidcArtifacts: 0, pagesFreed: 0},
        );
        assert.equal(await auditCount(store), 1);
        assert.equal((await store.users.list('acme', {limit: 5})).items.length, 1);
      });

      it('reports itself ready and answers a ping', async () => {
        const store = await (await backend.createDatabase()).open();

        assert.equal(await store.unreadiness(), null);
        await store.ping();
      });
    });
  });
}
