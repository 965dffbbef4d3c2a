import {parseArgs} from 'node:util';
import type {OidcClient} from '../db/oidc-client-store.ts';
import type {Store} from '../db/store.ts';
import {createOidcClientManager, type OidcClientWithNewSecret} from '../oidc/oidc-clients.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login oidc-clients`. */
export const OIDC_CLIENTS_HELP = `Usage: wecom-sp-login oidc-clients add|list|show|remove|rotate-secret

The applications that log in with WeCom through the OpenID provider at <PUBLIC_URL>/oidc (Grafana,
GitLab, Keycloak, oauth2-proxy …). Each uses one connection's WeCom login.

  add --name NAME --connection ID --redirect-uri URI [options]
                            registers a client and prints its secret, this once
  list                      every client
  show CLIENT_ID            one client (never its secret)
  remove CLIENT_ID          deletes a client: its logins stop at once
  rotate-secret CLIENT_ID   a new secret, printed this once; the previous one works for 24 hours more

Options of add:
  --client-id ID            3-64 letters, digits, ".", "_", "-" (default: generated, oc_…)
  --name NAME               the application's name, shown on the login page before the QR code
  --connection ID           the connection whose WeCom login the client uses
  --redirect-uri URI        an exact redirect URI (repeat for several): https, or http on
                            localhost outside production
  --post-logout-redirect-uri URI
                            where RP-initiated logout may return to (repeat for several)
  --auth-method METHOD      client_secret_basic (default), client_secret_post, or none (a public
                            client: no secret, PKCE required)
  --allowed-corp-id CORPID  an enterprise whose members may log in (repeat for several)
  --any-corp                admit every enterprise instead (without it and without
                            --allowed-corp-id the client admits nobody)
  --id-token-alg ALG        RS256 (default) or ES256
  --json                    print JSON`;

const OPTIONS = {
  'client-id': {type: 'string'},
  name: {type: 'string'},
  connection: {type: 'string'},
  'redirect-uri': {type: 'string', multiple: true},
  'post-logout-redirect-uri': {type: 'string', multiple: true},
  'auth-method': {type: 'string'},
  'allowed-corp-id': {type: 'string', multiple: true},
  'any-corp': {type: 'boolean'},
  'id-token-alg': {type: 'string'},
  json: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
} as const;

/** Runs `oidc-clients <subcommand>`; returns the exit code. */
export async function runOidcClientCommand(
  args: string[],
  store: Store,
  io: CliIo,
  {production}: {production: boolean},
): Promise<number> {
  const [subcommand, ...rest] = args;
  const {values, positionals} = parseArgs({args: rest, options: OPTIONS, allowPositionals: true, strict: true});
  const clients = createOidcClientManager(store, {httpsOnly: production}, io.now);
  const print = (client: OidcClient | OidcClientWithNewSecret) =>
    io.out(values.json ? JSON.stringify(client, null, 2) : describeClient(client));
  const [clientId, ...extra] = positionals;
  const audit = (
    event: 'oidc_client_created' | 'oidc_client_deleted' | 'oidc_client_secret_rotated',
    client: OidcClient,
  ) => store.audit.record({event, connection: client.connection, detail: `client: ${client.clientId} (via CLI)`});

  if (subcommand === 'add' && positionals.length === 0) {
    const client = await clients.create({
      ...(values['client-id'] !== undefined && {clientId: values['client-id']}),
      ...(values.name !== undefined && {name: values.name}),
      ...(values.connection !== undefined && {connection: values.connection}),
      ...(values['redirect-uri'] !== undefined && {redirectUris: values['redirect-uri']}),
      ...(values['post-logout-redirect-uri'] !== undefined && {
        postLogoutRedirectUris: values['post-logout-redirect-uri'],
      }),
      ...(values['auth-method'] !== undefined && {tokenEndpointAuthMethod: values['auth-method']}),
      ...(values['allowed-corp-id'] !== undefined && {allowedCorpIds: values['allowed-corp-id']}),
      ...(values['any-corp'] !== undefined && {anyCorp: values['any-corp']}),
      ...(values['id-token-alg'] !== undefined && {idTokenSignedResponseAlg: values['id-token-alg']}),
    });
    await audit('oidc_client_created', client);
    print(client);
    return 0;
  }
  if (subcommand === 'list' && positionals.length === 0) {
    const listed = await clients.list();
    if (values.json) io.out(JSON.stringify(listed, null, 2));
    else for (const client of listed) io.out(`${client.clientId}\t${client.name}\t${client.connection}`);
    if (!values.json && listed.length === 0) io.out('No OpenID clients yet: add one with oidc-clients add.');
    return 0;
  }
  if (clientId !== undefined && extra.length === 0) {
    if (subcommand === 'show') {
      print(await clients.get(clientId));
      return 0;
    }
    if (subcommand === 'remove') {
      const client = await clients.get(clientId);
      await clients.remove(clientId);
      await audit('oidc_client_deleted', client);
      io.out(`Removed ${clientId}: its logins stop at once.`);
      return 0;
    }
    if (subcommand === 'rotate-secret') {
      const client = await clients.rotateSecret(clientId);
      await audit('oidc_client_secret_rotated', client);
      print(client);
      return 0;
    }
  }
  io.out(OIDC_CLIENTS_HELP);
  return values.help ? 0 : 1;
}

/** A client as the CLI prints it; a new secret last, with what to do with it. */
function describeClient(client: OidcClient | OidcClientWithNewSecret): string {
  const lines = [
    `client id:        ${client.clientId}`,
    `name:             ${client.name}`,
    `connection:       ${client.connection}`,
    `redirect URIs:    ${client.redirectUris.join(' ')}`,
    `logout returns:   ${client.postLogoutRedirectUris.join(' ') || '(none)'}`,
    `token auth:       ${client.tokenEndpointAuthMethod}`,
    `enterprises:      ${client.anyCorp ? 'any' : client.allowedCorpIds.join(' ') || '(none: nobody can log in)'}`,
    `ID token alg:     ${client.idTokenSignedResponseAlg}`,
  ];
  if ('clientSecret' in client && client.clientSecret !== null)
    lines.push(
      `client secret:    ${client.clientSecret}`,
      '(shown this once: put it in the application’s settings now)',
    );
  return lines.join('\n');
}
