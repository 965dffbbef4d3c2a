import type {AuditStore} from './audit-store.ts';
import type {ConnectionStore} from './connection-store.ts';
import type {LoginStateStore} from './login-state-store.ts';
import type {OidcArtifactStore} from './oidc-artifact-store.ts';
import type {OidcClientStore} from './oidc-client-store.ts';
import type {RefusalStore} from './refusal-store.ts';
import type {SealedValue} from './sealed-columns.ts';
import type {SigningKeyStore} from './signing-key-store.ts';
import type {SuiteTicketStore} from './suite-ticket-store.ts';
import type {AccessTokenStore} from './access-token-store.ts';
import type {UserStore} from './user-store.ts';
import type {WecomBackoffStore} from './wecom-backoff-store.ts';

/** What one maintenance run removed. */
export interface MaintenanceResult {
  auditRows: number;
  refusalRows: number;
  transactions: number;
  tickets: number;
  /** Expired artifacts of the OpenID provider (sessions, interactions, codes, tokens). */
  oidcArtifacts: number;
  /** Free pages given back to the file system (SQLite with incremental vacuum; else 0). */
  pagesFreed: number;
}

/**
 * Everything the server keeps, in SQLite (one machine) or PostgreSQL (several). Routes see only
 * these interfaces. All login state lives here, never in process memory, so any number of processes
 * can share one database. (Connection settings are cached for a second per process, and each process
 * keeps the provider token it last saw; neither is login state.)
 */
export interface Store {
  connections: ConnectionStore;
  users: UserStore;
  loginStates: LoginStateStore;
  /** WeCom access tokens (provider_access_token and suite_access_tokens), cached and shared. */
  accessTokens: AccessTokenStore;
  wecomBackoff: WecomBackoffStore;
  signingKeys: SigningKeyStore;
  audit: AuditStore;
  refusals: RefusalStore;
  suiteTickets: SuiteTicketStore;
  /** The OpenID provider's relying parties. */
  oidcClients: OidcClientStore;
  /** What the OpenID provider keeps between requests. */
  oidcArtifacts: OidcArtifactStore;
  /** Where the data is, for messages and logs: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Resolves when the database answers (health check). */
  ping(): Promise<void>;
  /** Null when the database answers and its schema is this code's; else why not (readiness). */
  unreadiness(): Promise<string | null>;
  /** One sealed value of each sealed column that has any (the SECRET_KEY check). */
  sampleSealed(): Promise<SealedValue[]>;
  /** Rewrites every sealed value with `rewrite`, all in one transaction; returns how many values per table. */
  resealAll(rewrite: (value: SealedValue) => string): Promise<Record<string, number>>;
  /**
   * Purges audit rows and refusal counts past the retention (0 keeps them), and expired login states
   * and OpenID artifacts.
   */
  maintain(options: {auditRetentionDays: number; now?: () => number}): Promise<MaintenanceResult>;
  /** Closes the database (the file, or every pooled connection). */
  close(): Promise<void>;
}
