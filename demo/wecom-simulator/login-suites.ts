import {randomBytes} from 'node:crypto';
import type {ScriptedIdentity} from './identities.ts';
import {createTokenIssuer} from './token-issuer.ts';

/** Where an app suite is installed: per enterprise, who may open it. */
export interface SimulatedInstall {
  /** Identity keys in the app's visible range (可见范围); absent: the whole enterprise. */
  visibleTo?: string[];
  /** Identity keys without a WeCom licence (基础账号): WeCom shows its licence prompt instead of the app. */
  unlicensed?: string[];
}

/**
 * A suite of a provider: its 登录授权 app (WeCom's new login, login_type=ServiceApp; `kind` absent
 * or 'login'), or an ordinary app suite (`kind: 'app'`, 第三方应用 → 网页应用), which members open
 * inside the WeCom client and which logs them in through oauth2/authorize.
 */
export interface SimulatedLoginSuite {
  kind?: 'login' | 'app';
  /** An app suite's installs, by enterprise CorpID; an enterprise not listed has not installed it. */
  installs?: Record<string, SimulatedInstall>;
  /** An app suite's 应用主页: the URL its workbench entry opens. */
  homepageUrl?: string;
  /** The provider CorpID it belongs to. */
  corpId: string;
  suiteId: string;
  suiteSecret: string;
  /** 可信域名 (of the 登录授权 page, or of an app suite): hosts (with port) redirect_uri may point at. */
  trustedDomains: string[];
  /**
   * The suite's callback: where suite_tickets are pushed, with its Token and EncodingAESKey (an app
   * suite's 指令回调 and 数据回调 URL, both the same URL here).
   */
  callback?: {url: string; token: string; encodingAesKey: string};
}

/** How long a pushed suite_ticket is accepted ("实际有效期为30分钟"). */
const TICKET_LIFETIME_MS = 30 * 60_000;

interface IssuedLoginCode {
  identity: ScriptedIdentity;
  /** What getuserinfo3rd answers instead of the member (the in-client refusals' errcode reading). */
  refusal?: number;
  suiteId: string;
  /** The redirect_uri host the login page was opened for (getuserinfo3rd checks it: 50001). */
  redirectHost: string;
  expiresAt: number;
}

/** The simulated WeCom's memory of the login suites: tickets, suite tokens and login codes. */
export type LoginSuiteState = ReturnType<typeof createLoginSuiteState>;

/** Creates the login suites' state. */
export function createLoginSuiteState(
  suites: SimulatedLoginSuite[],
  {tokenTtlMs, now}: {tokenTtlMs: number; now: () => number},
) {
  const tickets = new Map<string, {suiteId: string; issuedAt: number}>();
  const tokens = createTokenIssuer({ttlMs: tokenTtlMs, now, unknownErrcode: 40082, expiredErrcode: 42009});
  const codes = new Map<string, IssuedLoginCode>();
  return {
    suites,
    suite(suiteId: string): SimulatedLoginSuite | undefined {
      return suites.find((suite) => suite.suiteId === suiteId);
    },
    /** An app suite (第三方应用) by SuiteID; a 登录授权 suite is not one. */
    appSuite(suiteId: string): SimulatedLoginSuite | undefined {
      return suites.find((suite) => suite.suiteId === suiteId && suite.kind === 'app');
    },
    /** A new suite_ticket (each push mints one), accepted for 30 minutes. */
    issueTicket(suiteId: string): string {
      const ticket = randomBytes(24).toString('base64url');
      tickets.set(ticket, {suiteId, issuedAt: now()});
      return ticket;
    },
    /** True when `ticket` was pushed for `suiteId` less than 30 minutes ago. */
    ticketValid(ticket: string, suiteId: string): boolean {
      const issued = tickets.get(ticket);
      return !!issued && issued.suiteId === suiteId && issued.issuedAt + TICKET_LIFETIME_MS > now();
    },
    /** The suite's token: the same while valid, else a new one. */
    issueToken: (suiteId: string): {token: string; expiresIn: number} => tokens.issue(suiteId),
    /** 0 and the suite when the token is good, else getuserinfo3rd's errcode. */
    checkToken(token: string): {errcode: number; suiteId?: string} {
      const {errcode, owner} = tokens.check(token);
      return {errcode, suiteId: owner};
    },
    /** Knob: WeCom invalidates every suite token early. */
    revokeTokens(errcode: 40082 | 42009 = 40082): void {
      tokens.revoke(errcode);
    },
    /** A single-use login `code` (5 minutes) after a scan on the wwlogin page. */
    issueCode(identity: ScriptedIdentity, suiteId: string, redirectHost: string, refusal?: number): string {
      // 43 URL-safe characters, like the sample code of doc 96441.
      const code = randomBytes(32).toString('base64url');
      codes.set(code, {
        identity,
        suiteId,
        redirectHost,
        expiresAt: now() + 300_000,
        ...(refusal !== undefined && {refusal}),
      });
      return code;
    },
    /** Consumes a code; undefined when unknown, used, expired or of another suite. */
    consumeCode(code: string, suiteId: string): IssuedLoginCode | undefined {
      const issued = codes.get(code);
      if (!issued || issued.suiteId !== suiteId) return undefined;
      codes.delete(code);
      return issued.expiresAt > now() ? issued : undefined;
    },
  };
}
