import {isProtocolName, type ProtocolName} from '../login/flows/protocol-catalogue.ts';

/**
 * How the login's result comes back: to the element's popup, embedded QR iframe or full-page
 * redirect, (`workbench`) to the page a WeCom workbench entry or chat link opens, by redirect, or
 * (`oidc`) to the OpenID provider's interaction that started it (its URL is the returnTo).
 */
export type LoginDisplayMode = 'popup' | 'embedded' | 'redirect' | 'workbench' | 'oidc';

/**
 * How a user logged in, as the ID token's `amr` says: a QR scan, the admin-console launch, or inside the WeCom client.
 */
export type LoginMethod = 'qr' | 'launch' | 'wecom_client';

/** One login in flight, keyed by its `state`. */
export interface LoginTransaction {
  connection: string;
  /**
   * The protocol that sent the browser to WeCom, which alone can read what WeCom sends back; null
   * for a login an older release started (it meant the connection's flow).
   */
  protocol: ProtocolName | null;
  /** The element's nonce; '' for a workbench login, which no element started. */
  nonce: string;
  /** Host origin that started the login and alone may receive its result. */
  origin: string;
  mode: LoginDisplayMode;
  /** Where redirect and workbench modes go back to (on `origin`). */
  returnTo: string | null;
  /** Random value also kept in the login server's first-party session cookie; null in embedded mode. */
  browserBinding: string | null;
  /** Redirect mode: base64url(SHA-256(code_verifier)), which the ticket's redeemer must answer; else null. */
  codeChallenge: string | null;
}

/** A one-time ticket that a host page redeems for an ID token (redirect and launch flows). */
export interface LoginTicket {
  connection: string;
  userId: string;
  /** The only origin allowed to redeem it. */
  origin: string;
  /** The element's nonce for redirect mode; null for a launch (no element started it). */
  nonce: string | null;
  /** The redirect's code challenge, which redemption must answer with its verifier; null for a launch. */
  codeChallenge: string | null;
  /** How the user logged in; null for an older release's ticket (a launch when it has no nonce, else a QR login). */
  amr: LoginMethod | null;
}

/** Short-lived, single-use login state. Values are stored hashed; consuming deletes atomically. */
export interface LoginStateStore {
  createTransaction(state: string, transaction: LoginTransaction, ttlMs: number): Promise<void>;
  /** Deletes and returns the transaction; null when unknown, used or expired. */
  consumeTransaction(state: string): Promise<LoginTransaction | null>;
  /** Returns the transaction without using it up; null when unknown, used or expired. */
  peekTransaction(state: string): Promise<LoginTransaction | null>;
  createTicket(ticket: string, value: LoginTicket, ttlMs: number): Promise<void>;
  /** Deletes and returns the ticket; null when unknown, used or expired. */
  consumeTicket(ticket: string): Promise<LoginTicket | null>;
}

/** A `login_transactions` row as read back, the same in every database. */
export interface TransactionRow {
  connection_identifier: string;
  protocol: string | null;
  nonce: string;
  origin: string;
  mode: LoginDisplayMode;
  return_to: string | null;
  browser_binding: string | null;
  code_challenge: string | null;
  expires_at: number;
}

/** A `tickets` row as read back, the same in every database. */
export interface TicketRow {
  connection_identifier: string;
  user_id: string;
  origin: string;
  nonce: string | null;
  code_challenge: string | null;
  amr: LoginMethod | null;
  expires_at: number;
}

/**
 * Expired rows are swept at most this often per process, not on every insert: consuming checks the
 * expiry anyway, and a sweep per login was a second write (and commit) on the hottest path.
 */
export const SWEEP_INTERVAL_MS = 1_000;

/**
 * A login's row values in the column order both stores insert them: state_hash, connection,
 * protocol, nonce, origin, mode, return_to, browser_binding, code_challenge, expires_at.
 */
export function transactionValues(stateHash: string, tx: LoginTransaction, expiresAt: number) {
  return [
    stateHash,
    tx.connection,
    tx.protocol,
    tx.nonce,
    tx.origin,
    tx.mode,
    tx.returnTo,
    tx.browserBinding,
    tx.codeChallenge,
    expiresAt,
  ] as const;
}

/**
 * A ticket's row values in the column order both stores insert them: ticket_hash, connection,
 * user_id, origin, nonce, code_challenge, amr, expires_at.
 */
export function ticketValues(ticketHash: string, value: LoginTicket, expiresAt: number) {
  return [
    ticketHash,
    value.connection,
    value.userId,
    value.origin,
    value.nonce,
    value.codeChallenge,
    value.amr,
    expiresAt,
  ] as const;
}

/** Reads a transaction row; null when there is none or it has expired by `time`. */
export function toTransaction(row: TransactionRow | undefined, time: number): LoginTransaction | null {
  if (!row || row.expires_at < time) return null;
  return {
    connection: row.connection_identifier,
    // A name this release does not know (a newer release's, during a rolling upgrade) cannot be read here.
    protocol: isProtocolName(row.protocol) ? row.protocol : null,
    nonce: row.nonce,
    origin: row.origin,
    mode: row.mode,
    returnTo: row.return_to,
    browserBinding: row.browser_binding,
    codeChallenge: row.code_challenge,
  };
}

/** Reads a ticket row; null when there is none or it has expired by `time`. */
export function toTicket(row: TicketRow | undefined, time: number): LoginTicket | null {
  if (!row || row.expires_at < time) return null;
  return {
    connection: row.connection_identifier,
    userId: row.user_id,
    origin: row.origin,
    nonce: row.nonce,
    codeChallenge: row.code_challenge,
    amr: row.amr,
  };
}
