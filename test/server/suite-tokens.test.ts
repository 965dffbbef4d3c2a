import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createSuiteTokens} from '../../server/wecom/suite-tokens.ts';
import {createWecomClient} from '../../server/wecom/wecom-client.ts';
import {PROVIDER_CORP_ID, popupParams, setup, SUITE_ID, SUITE_SECRET} from '../helpers/login-harness.ts';

describe("suite tokens and the simulator's suite API", () => {
  it('shares one get_suite_token fetch between two processes on one database through the refresh lease', async () => {
    const h = await setup({serviceApp: {}});
    await h.simulator.ticketPusher.pushTicket(SUITE_ID);
    const wecom = createWecomClient({apiBase: h.simulatorUrl, timeoutMs: 2_000});
    h.simulator.fail('get_suite_token', {delayMs: 150});
    const credentials = {corpId: PROVIDER_CORP_ID, suiteId: SUITE_ID, suiteSecret: SUITE_SECRET};
    // Two processes: each its own token service, one shared store (the harness's database).
    const [a, b] = [0, 1].map(() =>
      createSuiteTokens({store: h.store.accessTokens, tickets: h.store.suiteTickets, wecom}),
    );
    const tokens = await Promise.all([a!.get(credentials), b!.get(credentials), a!.get(credentials)]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(h.simulator.calls('get_suite_token').length, 1);
  });

  it("answers get_suite_token and getuserinfo3rd with WeCom's errcodes and bodies", async () => {
    const h = await setup({serviceApp: {}});
    const call = async (method: 'GET' | 'POST', path: string, body?: unknown, contentType = 'application/json') => {
      const response = await fetch(`${h.simulatorUrl}/cgi-bin/service/${path}`, {
        method,
        ...(body !== undefined && {
          headers: {'content-type': contentType},
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const good = {
      suite_id: SUITE_ID,
      suite_secret: SUITE_SECRET,
      suite_ticket: (await h.simulator.ticketPusher.pushTicket(SUITE_ID)).ticket!,
    };
    const errcodes = [
      await call('POST', 'get_suite_token', {...good, suite_id: ''}),
      await call('POST', 'get_suite_token', {...good, suite_secret: ''}),
      await call('POST', 'get_suite_token', {...good, suite_ticket: ''}),
      await call('POST', 'get_suite_token', {...good, suite_id: PROVIDER_CORP_ID}),
      await call('POST', 'get_suite_token', {...good, suite_secret: 'wrong'}),
      await call('POST', 'get_suite_token', {...good, suite_ticket: 'never-pushed'}),
      await call('GET', 'get_suite_token'),
      await call('POST', 'get_suite_token', new URLSearchParams(good).toString(), 'application/x-www-form-urlencoded'),
    ].map((answer) => answer.errcode);
    assert.deepEqual(errcodes, [41021, 41024, 41023, 40083, 40080, 40085, 40083, 47001]);
    const success = await call('POST', 'get_suite_token', good);
    assert.deepEqual(Object.keys(success).sort(), ['expires_in', 'suite_access_token'], 'no errcode on success');
    h.simulator.setSuiteTokenWithErrcode(true);
    assert.deepEqual((await call('POST', 'get_suite_token', good)).errcode, 0);
    const token = String(success.suite_access_token);
    const info = async (query: string) => (await call('GET', `auth/getuserinfo3rd?${query}`)).errcode;
    assert.deepEqual(
      [
        await info(`code=x`),
        await info(`suite_access_token=nope&code=x`),
        await info(`suite_access_token=${token}&code=unknown`),
      ],
      [41022, 40082, 40029],
    );
    const {qrPage} = await h.openQrPage(popupParams(), 'acme-sa');
    const key = /sim\/scan\?key=([0-9a-f]+)/.exec(qrPage.text)![1];
    const scanned = await fetch(`${h.simulatorUrl}/wwopen/sso/sim/scan?key=${key}&as=alice`, {redirect: 'manual'});
    const code = new URL(scanned.headers.get('location')!).searchParams.get('code')!;
    assert.deepEqual(await call('GET', `auth/getuserinfo3rd?suite_access_token=${token}&code=${code}`), {
      errcode: 0,
      errmsg: 'ok',
      corpid: 'wwcustomer0000001',
      userid: 'alice',
      open_userid: 'woalice0OpenUserId5',
    });
    assert.equal(await info(`suite_access_token=${token}&code=${code}`), 40029, 'single-use');
    h.simulator.suites.revokeTokens(42009);
    assert.equal(await info(`suite_access_token=${token}&code=x`), 42009);
  });
});
