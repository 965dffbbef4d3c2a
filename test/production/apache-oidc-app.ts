import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {chmodSync, existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {listenOnFreePort} from '../helpers/local-ports.ts';
import {escapeHtml} from '../../server/pages/html.ts';
import {readIfExists, stopProcess, waitForPidFile} from './nginx-proxy.ts';

/** Debian's Apache, or APACHE_PATH. */
export const APACHE = process.env.APACHE_PATH ?? '/usr/sbin/apache2';
/** Debian's Apache modules, mod_auth_openidc among them. */
const MODULES = process.env.APACHE_MODULES ?? '/usr/lib/apache2/modules';

/** What the protected app needs to know. */
export interface ApacheAppOptions {
  /** Apache's own port on 127.0.0.1 (plain http: nginx in front terminates TLS). */
  port: number;
  /** The login server's public URL: the provider is at `${loginUrl}/oidc`. */
  loginUrl: string;
  /** The app's public URL (nginx terminates TLS for it). */
  appUrl: string;
  clientId: string;
  clientSecret: string;
  /** The one enterprise `Require claim corp_id:` admits. */
  admittedCorpId: string;
  /** The test CA that signed every host's certificate. */
  caPem: string;
  /** The forward proxy that maps the test's host names to this machine (startConnectProxy). */
  outgoingProxy: string;
}

/** A running Apache and the app behind it. */
export interface ApacheApp {
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * A team's app protected by Apache with Debian's mod_auth_openidc, configured as the README's
 * recipe says (discovery, a client secret, PKCE S256, scope openid profile wecom), admitting one
 * enterprise with `Require claim corp_id:…`. Behind /protected is a small page that shows the
 * claims mod_auth_openidc passes on (its OIDC_CLAIM_* headers).
 */
export async function startApacheApp(options: ApacheAppOptions): Promise<ApacheApp> {
  if (!existsSync(APACHE) || !existsSync(join(MODULES, 'mod_auth_openidc.so')))
    throw new Error(
      `Apache with mod_auth_openidc was not found (${APACHE}, ${MODULES}/mod_auth_openidc.so). Install ` +
        `Debian's packages:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends apache2 ` +
        `libapache2-mod-auth-openidc\nor point APACHE_PATH and APACHE_MODULES at them.`,
    );
  const closers: Array<() => Promise<void> | void> = [];
  const backendPort = await listenOnFreePort(http.createServer(showClaims), closers);
  // Apache started as root serves as nobody, who must read the CA file: a folder of its own, world-readable.
  const folder = mkdtempSync(join(tmpdir(), 'wecom-apache-'));
  chmodSync(folder, 0o755);
  const caFile = join(folder, 'ca.pem');
  writeFileSync(caFile, options.caPem, {mode: 0o644});
  const {port} = options;
  const modules = [
    'mpm_event',
    'authz_core',
    'authn_core',
    'authz_user',
    'proxy',
    'proxy_http',
    'headers',
    'auth_openidc',
  ];
  writeFileSync(
    join(folder, 'httpd.conf'),
    `# Written by the production-shape test.
ServerRoot ${folder}
Listen 127.0.0.1:${port}
PidFile ${join(folder, 'httpd.pid')}
ErrorLog ${join(folder, 'error.log')}
LogLevel warn auth_openidc:info
ServerName ${new URL(options.appUrl).hostname}
${modules.map((name) => `LoadModule ${name}_module ${MODULES}/mod_${name}.so`).join('\n')}
${process.getuid?.() === 0 ? 'User nobody\nGroup nogroup' : ''}

OIDCProviderMetadataURL ${options.loginUrl}/oidc/.well-known/openid-configuration
OIDCClientID ${options.clientId}
OIDCClientSecret ${options.clientSecret}
OIDCRedirectURI ${options.appUrl}/protected/redirect_uri
OIDCCryptoPassphrase ${randomBytes(24).toString('base64url')}
OIDCScope "openid profile wecom"
OIDCPKCEMethod S256
OIDCRemoteUserClaim sub
OIDCCABundlePath ${caFile}
OIDCOutgoingProxy ${options.outgoingProxy}
OIDCXForwardedHeaders X-Forwarded-Proto

<Location /protected>
  AuthType openid-connect
  Require claim corp_id:${options.admittedCorpId}
  ProxyPass http://127.0.0.1:${backendPort}/
</Location>
`,
  );
  const apache = spawn(APACHE, ['-f', join(folder, 'httpd.conf'), '-DFOREGROUND'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  apache.stderr!.on('data', (chunk) => (stderr += chunk));
  const errorLog = () => readIfExists(join(folder, 'error.log'));
  await waitForPidFile('Apache', apache, join(folder, 'httpd.pid'), () => `${stderr}${errorLog()}`);
  return {
    errorLog,
    stop: async () => {
      await stopProcess(apache);
      for (const closer of closers) await closer();
    },
  };
}

/** The protected page: who mod_auth_openidc says is logged in, from the claims it passes on. */
function showClaims(request: http.IncomingMessage, response: http.ServerResponse): void {
  const claim = (name: string) => String(request.headers[`oidc_claim_${name}`] ?? '');
  response.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
  response.end(
    `<!doctype html><title>Team wiki</title><h1>Team wiki</h1>` +
      `<p id="user">${escapeHtml(claim('preferred_username'))}</p><p id="corp">${escapeHtml(claim('corp_id'))}</p>` +
      `<p id="sub">${escapeHtml(claim('sub'))}</p>`,
  );
}
