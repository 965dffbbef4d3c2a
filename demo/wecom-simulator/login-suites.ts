import {randomBytes} from 'node:crypto';
import type {ScriptedIdentity} from './identities.ts';
import {createTokenIssuer} from './token-issuer.ts';

/** The 登录授权 app of a provider: WeCom's new login (login_type=ServiceApp). */
export interface SimulatedLoginSuite {
  /** The provider CorpID it belongs to. */
  corpId: string;
  suiteId: string;
  suiteSecret: string;
  /** "登录授权"的可信域名: hosts (with port) redirect_uri may point at. */
  trustedDomains: string[];
  /** The callback of the 登录授权 page: where suite_tickets are pushed, with its Token and EncodingAESKey. */
  callback?: {url: string; token: string; encodingAesKey: string};
}

/** How long a pushed suite_ticket is accepted ("实际有效期为30分钟"). */
const TICKET_LIFETIME_MS = 30 * 60_000;

interface IssuedLoginCode {
  identity: ScriptedIdentity;
  suiteId: string;
  /** The redirect_uri host the login page was opened for (getuserinfo3rd checks it: 50001). */
  redirectHost: string;
  expiresAt: number;
}

/** The simulated WeCom's memory of the login suites: tickets, suite tokens and login codes. */
export type LoginSuiteState = ReturnType<typeof createLoginSuiteState>;

/** Creates the login suites' state. */
export function createLoginSuiteState(suites: SimulatedLoginSuite[], {tokenTtlMs, now}: {tokenTtlMs: number; now: () => number}) {
  const tickets = new Map<string, {suiteId: string; issuedAt: number}>();
  const tokens = createTokenIssuer({ttlMs: tokenTtlMs, now, unknownErrcode: 40082, expiredErrcode: 42009});
  const codes = new Map<string, IssuedLoginCode>();
  return {
    suites,
    suite(suiteId: string): SimulatedLoginSuite | undefined {
      return suites.find((suite) => suite.suiteId === suiteId);
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
    issueCode(identity: ScriptedIdentity, suiteId: string, redirectHost: string): string {
      const code = randomBytes(32).toString('hex');
      codes.set(code, {identity, suiteId, redirectHost, expiresAt: now() + 300_000});
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
