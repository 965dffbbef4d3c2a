import {randomBytes} from 'node:crypto';
import {DEFAULT_IDENTITIES, type ScriptedIdentity} from './identities.ts';
import {createLoginSuiteState, type SimulatedLoginSuite} from './login-suites.ts';
import type {CallbackFetch} from './ticket-pusher.ts';
import {createTokenIssuer} from './token-issuer.ts';

/** A service provider registered with the simulated WeCom. */
export interface SimulatedProvider {
  corpId: string;
  providerSecret: string;
  /** 登录授权发起域名: hosts (with port) whose pages may open 3rd_qrConnect (Referer check). */
  loginDomains: string[];
  /** 授权完成回调域名: hosts (with port) redirect_uri may point at. */
  callbackDomains: string[];
  /** 业务设置URL: where the admin-console launch sends an admin. */
  businessSettingUrl?: string;
}

/** The API endpoints, as counted and faulted. */
export type SimulatedEndpoint = 'get_provider_token' | 'get_login_info' | 'get_suite_token' | 'getuserinfo3rd';

/** A scripted misbehaviour for the next calls of an endpoint. */
export type Fault = {errcode: number} | {httpStatus: number} | {malformed: true} | {delayMs: number};

/** One recorded API call. */
export interface RecordedCall {
  endpoint: SimulatedEndpoint;
  at: number;
  errcode: number;
}

interface IssuedCode {
  identity: ScriptedIdentity;
  providerCorpId: string;
  expiresAt: number;
}

/** Options of createSimulatorState. */
export interface SimulatorOptions {
  providers: SimulatedProvider[];
  identities?: readonly ScriptedIdentity[];
  /** provider_access_token lifetime; 7200 like WeCom. */
  tokenTtlSeconds?: number;
  /** The providers' 登录授权 apps (WeCom's new login). */
  loginSuites?: SimulatedLoginSuite[];
  /** How the ticket pusher reaches callback URLs; global fetch by default. */
  callbackFetch?: CallbackFetch;
  now?: () => number;
}

/** How the OAuth page refuses members the app is not given to: see setInClientRefusals. */
export type InClientRefusals = 'page' | 'errcode';

/** The simulated WeCom's memory, knobs and counters. No HTTP here. */
export type SimulatorState = ReturnType<typeof createSimulatorState>;

/** Creates the simulator's state. */
export function createSimulatorState(options: SimulatorOptions) {
  const now = options.now ?? Date.now;
  const identities = options.identities ?? DEFAULT_IDENTITIES;
  const tokenTtlMs = (options.tokenTtlSeconds ?? 7200) * 1000;
  const providerTokens = createTokenIssuer({ttlMs: tokenTtlMs, now, unknownErrcode: 40014, expiredErrcode: 42001});
  const codes = new Map<string, IssuedCode>();
  const faults: Record<SimulatedEndpoint, Fault[]> = {
    get_provider_token: [],
    get_login_info: [],
    get_suite_token: [],
    getuserinfo3rd: [],
  };
  const calls: RecordedCall[] = [];
  let ipWhitelist: string[] | null = null;
  let suiteTokenWithErrcode = false;
  let inClientRefusals: InClientRefusals = 'page';

  return {
    providers: options.providers,
    /** The 登录授权 apps: their tickets, suite tokens and login codes. */
    suites: createLoginSuiteState(options.loginSuites ?? [], {tokenTtlMs, now}),
    /** Knob: get_suite_token's success also carries errcode 0 and errmsg "ok" (WeCom's answers vary). */
    setSuiteTokenWithErrcode(on: boolean): void {
      suiteTokenWithErrcode = on;
    },
    suiteTokenWithErrcode: (): boolean => suiteTokenWithErrcode,
    /**
     * Knob: how WeCom refuses a member at oauth2/authorize whose enterprise has not installed the app
     * or left them outside its visible range. `page` (default): its own error page, no redirect
     * (doc 96441's "页面会报错提示成员不在可见范围"). `errcode`: a code anyway, which getuserinfo3rd
     * answers 48004 or 50002. Which one WeCom does is unknown [U]; a login server must survive both.
     */
    setInClientRefusals(mode: InClientRefusals): void {
      inClientRefusals = mode;
    },
    inClientRefusals: (): InClientRefusals => inClientRefusals,
    identities,
    provider(corpId: string): SimulatedProvider | undefined {
      return options.providers.find((p) => p.corpId === corpId);
    },
    identity(key: string): ScriptedIdentity | undefined {
      return identities.find((i) => i.key === key);
    },

    /** The provider's token: the same one while it is valid ("有效期内重复获取返回相同结果"), else a new one. */
    issueProviderToken: (corpId: string): {token: string; expiresIn: number} => providerTokens.issue(corpId),
    /** 0 when the token is good for `corpId`'s calls, else the errcode WeCom answers. */
    checkToken(token: string): {errcode: number; corpId?: string} {
      const {errcode, owner} = providerTokens.check(token);
      return {errcode, corpId: owner};
    },
    /** Knob: WeCom invalidates every current token early ("提前使provider_access_token失效"). */
    revokeTokens(errcode: 40014 | 42001 | 40082 = 40014): void {
      providerTokens.revoke(errcode);
    },

    /** A single-use auth_code that expires after 5 minutes, as after a scan or an admin-console click. */
    issueAuthCode(identityKey: string, providerCorpId = options.providers[0]!.corpId): string {
      const identity = identities.find((i) => i.key === identityKey);
      if (!identity) throw new Error(`No scripted identity "${identityKey}".`);
      const code = randomBytes(32).toString('hex');
      codes.set(code, {identity, providerCorpId, expiresAt: now() + 300_000});
      return code;
    },
    /** Consumes a code issued for this provider; undefined when unknown, used, foreign or expired. */
    consumeAuthCode(code: string, providerCorpId: string): ScriptedIdentity | undefined {
      const issued = codes.get(code);
      if (!issued || issued.providerCorpId !== providerCorpId) return undefined;
      codes.delete(code);
      return issued.expiresAt > now() ? issued.identity : undefined;
    },

    /** Knob: the next `times` calls of `endpoint` misbehave as `fault`. */
    fail(endpoint: SimulatedEndpoint, fault: Fault, times = 1): void {
      for (let i = 0; i < times; i++) faults[endpoint].push(fault);
    },
    takeFault(endpoint: SimulatedEndpoint): Fault | undefined {
      return faults[endpoint].shift();
    },
    /** Knob: only these caller IPs may call the API (null: all). Others get 60020. */
    setIpWhitelist(ips: string[] | null): void {
      ipWhitelist = ips;
    },
    ipAllowed(ip: string): boolean {
      return ipWhitelist === null || ipWhitelist.includes(ip);
    },

    record(endpoint: SimulatedEndpoint, errcode: number): void {
      calls.push({endpoint, at: now(), errcode});
    },
    /** The API calls received so far, optionally of one endpoint. */
    calls(endpoint?: SimulatedEndpoint): RecordedCall[] {
      return endpoint ? calls.filter((c) => c.endpoint === endpoint) : [...calls];
    },
    /** Forgets recorded calls and pending faults. */
    resetCounters(): void {
      calls.length = 0;
      for (const list of Object.values(faults)) list.length = 0;
    },
  };
}
