import type {CredentialCheck} from '../server/connections/check-credentials.ts';
import type {Connection, ConnectionInput, ConnectionPatch, LoginFlow} from '../server/connections/connection.ts';
import type {Activity, AuditEntry, Page} from '../server/db/audit-store.ts';
import type {User} from '../server/db/user-store.ts';
import type {OidcClient} from '../server/db/oidc-client-store.ts';
import type {OidcClientInput} from '../server/oidc/oidc-client-validation.ts';

/** The server's own shapes of what the admin API returns, re-exported for the console's elements. */
export type {
  Activity,
  AuditEntry,
  Connection,
  ConnectionInput,
  ConnectionPatch,
  CredentialCheck,
  LoginFlow,
  OidcClient,
  Page,
  User,
};

/** A new OpenID client's fields as the console sends them (no id: the server makes one unless given). */
export type OidcClientFields = Omit<OidcClientInput, 'clientId'> & {clientId?: string};

/** An OpenID client as created or rotated: with its secret, answered this once (null for a public client). */
export type OidcClientWithSecret = OidcClient & {clientSecret: string | null};

/** GET /api/connections/:id/suite-ticket: when WeCom last pushed a suite_ticket (never the ticket). */
export interface SuiteTicketStatus {
  suiteId: string | null;
  received: {receivedAt: number; pushedAt: number} | null;
}

/**
 * GET /api/connections/:id/app-suite-ticket: when WeCom last pushed the app suite's suite_ticket (never the ticket).
 */
export interface AppSuiteTicketStatus {
  appSuiteId: string | null;
  received: {receivedAt: number; pushedAt: number} | null;
}

/** An error answer of the admin API: its stable code, its message, and the field at fault. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

/** The admin API, as the console uses it. Every call sends the token as a bearer header, never in a URL. */
export interface AdminApi {
  listConnections(): Promise<Connection[]>;
  createConnection(input: ConnectionInput): Promise<Connection>;
  updateConnection(identifier: string, patch: ConnectionPatch): Promise<Connection>;
  deleteConnection(identifier: string): Promise<void>;
  /** Checks the connection's flow, or `protocol` (its app suite: `wecom-client`). */
  checkCredentials(identifier: string, protocol?: string): Promise<CredentialCheck>;
  listUsers(identifier: string, query: {q?: string; cursor?: string}): Promise<Page<User>>;
  listAudit(query: {connection?: string; event?: string; cursor?: string}): Promise<Page<AuditEntry>>;
  activity(identifier: string): Promise<Activity>;
  suiteTicket(identifier: string): Promise<SuiteTicketStatus>;
  appSuiteTicket(identifier: string): Promise<AppSuiteTicketStatus>;
  listOidcClients(): Promise<OidcClient[]>;
  createOidcClient(fields: OidcClientFields): Promise<OidcClientWithSecret>;
  rotateOidcClientSecret(clientId: string): Promise<OidcClientWithSecret>;
  deleteOidcClient(clientId: string): Promise<void>;
}

/** An AdminApi on this origin's /api, authenticated with `token`. */
export function createAdminApi(token: string): AdminApi {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`/api${path}`, {
        method,
        headers: {authorization: `Bearer ${token}`, ...(body !== undefined && {'content-type': 'application/json'})},
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new AdminApiError(0, 'network_error', 'The login server could not be reached.');
    }
    if (response.status === 204) return undefined as T;
    const json = (await response.json().catch(() => null)) as {
      error?: {code?: unknown; message?: unknown; field?: unknown};
    } | null;
    if (!response.ok) {
      const error = json?.error ?? {};
      const field = typeof error.field === 'string' ? error.field : undefined;
      throw new AdminApiError(
        response.status,
        typeof error.code === 'string' ? error.code : 'server_error',
        typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
        field,
      );
    }
    return json as T;
  }
  const query = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams(
      Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
    );
    return search.size ? `?${search}` : '';
  };
  const id = encodeURIComponent;
  return {
    listConnections: async () => (await call<{items: Connection[]}>('GET', '/connections')).items,
    createConnection: (input) => call('POST', '/connections', input),
    updateConnection: (identifier, patch) => call('PATCH', `/connections/${id(identifier)}`, patch),
    deleteConnection: (identifier) => call('DELETE', `/connections/${id(identifier)}`),
    checkCredentials: (identifier, protocol) =>
      call(
        'POST',
        `/connections/${id(identifier)}/check${protocol ? `?protocol=${encodeURIComponent(protocol)}` : ''}`,
      ),
    listUsers: (identifier, {q, cursor}) =>
      call('GET', `/connections/${id(identifier)}/users${query({q, cursor, limit: '50'})}`),
    listAudit: ({connection, event, cursor}) => call('GET', `/audit${query({connection, event, cursor, limit: '50'})}`),
    activity: (identifier) => call('GET', `/connections/${id(identifier)}/activity`),
    suiteTicket: (identifier) => call('GET', `/connections/${id(identifier)}/suite-ticket`),
    appSuiteTicket: (identifier) => call('GET', `/connections/${id(identifier)}/app-suite-ticket`),
    listOidcClients: async () => (await call<{items: OidcClient[]}>('GET', '/oidc-clients')).items,
    createOidcClient: (fields) => call('POST', '/oidc-clients', fields),
    rotateOidcClientSecret: (clientId) => call('POST', `/oidc-clients/${id(clientId)}/secret`),
    deleteOidcClient: (clientId) => call('DELETE', `/oidc-clients/${id(clientId)}`),
  };
}
