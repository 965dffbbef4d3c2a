/** One environment variable the server reads: the one description `serve --help` and the README share. */
export interface EnvironmentVariable {
  name: string;
  /** The default as a reader sees it (markdown code spans allowed). */
  default: string;
  meaning: string;
}

/**
 * Every variable loadConfig reads. `wecom-sp-login serve --help` prints this list and a test holds
 * docs/deploy.md's table to it, so the two cannot drift apart.
 */
export const ENVIRONMENT: readonly EnvironmentVariable[] = [
  {
    name: 'NODE_ENV',
    default: 'unset',
    meaning:
      '`production` requires `SECRET_KEY`, an https `PUBLIC_URL`, `TRUST_PROXY` ≥ 1, and https allowed origins and launch URLs (localhost aside)',
  },
  {
    name: 'PUBLIC_URL',
    default: '`http://localhost:$PORT`',
    meaning: 'the public base URL visitors and WeCom use: the token issuer and the host of `redirect_uri`',
  },
  {
    name: 'HOST',
    default: 'every interface',
    meaning: 'the address to listen on; `127.0.0.1` behind a proxy on the same machine',
  },
  {name: 'PORT', default: '`3000`', meaning: 'the port to listen on'},
  {
    name: 'TRUST_PROXY',
    default: '`0`',
    meaning:
      'the number of reverse proxies in front of the server: `X-Forwarded-Proto`, `-Host` and `-For` are trusted from that many hops only; required with an https `PUBLIC_URL`',
  },
  {
    name: 'DATABASE_PATH',
    default: '`./data/wecom-sp-login.db`',
    meaning:
      'the SQLite file (WAL mode; several processes may share it); its folder is created `0700`, its files `0600`',
  },
  {
    name: 'DATABASE_URL',
    default: 'unset: SQLite at `DATABASE_PATH`',
    meaning:
      'a PostgreSQL database (`postgres://user:password@host:5432/db`) for servers on several machines; requires `SECRET_KEY`; logged with its password masked',
  },
  {name: 'DATABASE_POOL_SIZE', default: '`10`', meaning: 'the most PostgreSQL connections each server process holds'},
  {
    name: 'DATABASE_STATEMENT_TIMEOUT_MS',
    default: '`5000`',
    meaning:
      'the longest a PostgreSQL statement, or the wait for a pooled connection, may take before the request fails',
  },
  {
    name: 'SECRET_KEY',
    default: 'generated into the data folder, with a warning (SQLite only)',
    meaning:
      '32 random bytes, base64: encrypts secrets at rest and keys the session cookie; back it up with the database',
  },
  {
    name: 'SECRET_KEY_PREVIOUS',
    default: 'unset',
    meaning:
      'the key before a `SECRET_KEY` rotation: values sealed under it and session cookies signed with it are still accepted until `wecom-sp-login secrets reseal` has run',
  },
  {
    name: 'ADMIN_TOKEN',
    default: 'unset: the admin API answers 503',
    meaning:
      'the bearer token of the admin API and console; it must look random (22+ characters, 10+ different ones, no run of 6 repeated, ascending or keyboard characters): `openssl rand -base64 24`',
  },
  {
    name: 'METRICS_TOKEN',
    default: 'unset: `/metrics` answers 404',
    meaning: 'the bearer token Prometheus sends to `/metrics`, as random as `ADMIN_TOKEN`: `openssl rand -base64 24`',
  },
  {
    name: 'SECRET_KEY_FILE',
    default: 'unset',
    meaning:
      'a file holding `SECRET_KEY` (as container and Kubernetes secrets are mounted); its final line break is dropped; setting both is an error',
  },
  {name: 'SECRET_KEY_PREVIOUS_FILE', default: 'unset', meaning: 'a file holding `SECRET_KEY_PREVIOUS`'},
  {name: 'ADMIN_TOKEN_FILE', default: 'unset', meaning: 'a file holding `ADMIN_TOKEN`'},
  {name: 'METRICS_TOKEN_FILE', default: 'unset', meaning: 'a file holding `METRICS_TOKEN`'},
  {name: 'DATABASE_URL_FILE', default: 'unset', meaning: 'a file holding `DATABASE_URL` (its password with it)'},
  {
    name: 'WECOM_API_BASE',
    default: '`https://qyapi.weixin.qq.com`',
    meaning: "WeCom's API (the simulator's URL in tests and the demo)",
  },
  {name: 'WECOM_SSO_BASE', default: '`https://open.work.weixin.qq.com`', meaning: "WeCom's QR-login pages"},
  {
    name: 'WECOM_LOGIN_BASE',
    default: '`https://login.work.weixin.qq.com`',
    meaning: "WeCom's new login page (`/wwlogin/sso/login`, service-app connections)",
  },
  {
    name: 'WECOM_OAUTH_BASE',
    default: '`https://open.weixin.qq.com`',
    meaning: "WeCom's in-client authorization (`/connect/oauth2/authorize`, logins inside the WeCom client)",
  },
  {name: 'WECOM_TIMEOUT_MS', default: '`10000`', meaning: 'the time limit of every WeCom call'},
  {
    name: 'WECOM_MAX_CONNECTIONS',
    default: '`32`',
    meaning: 'the most calls to WeCom in flight at once; further calls wait for a connection',
  },
  {
    name: 'WECOM_CONCURRENCY_PER_CORP',
    default: '`32`',
    meaning:
      'the most WeCom calls in flight per CorpID in one process; more wait their turn (up to `WECOM_TIMEOUT_MS`), then answer `wecom_unavailable` without calling',
  },
  {
    name: 'WECOM_CALLS_PER_MINUTE',
    default: '`3000`',
    meaning:
      "the most WeCom calls per CorpID and minute in one process (WeCom's own limit is 10,000 per API); beyond it, `wecom_unavailable` without calling",
  },
  {
    name: 'LAUNCH_CALLS_PER_MINUTE',
    default: '`60`',
    meaning:
      'the most WeCom calls per connection and minute in one process for admin-console launches, which carry no state anyone vouches for; beyond it a launch answers `wecom_unavailable` without calling, and logins started with a state never draw on it',
  },
  {
    name: 'MAX_CONNECTIONS',
    default: '`4096`',
    meaning: 'the most client connections the server holds open; further ones are refused',
  },
  {
    name: 'RATE_LIMIT_PER_MINUTE',
    default: '`600`',
    meaning:
      'the token bucket per client address and login route (authorize, callback, launch, tickets): that many requests at once, refilled at that many a minute; `0` turns it off',
  },
  {
    name: 'AUDIT_RETENTION_DAYS',
    default: '`180`',
    meaning:
      'days the audit log and refusal counts are kept; older rows, expired logins and tickets are purged hourly and their space given back; `0` keeps the audit forever (users always stay)',
  },
  {
    name: 'LOG_LEVEL',
    default: '`info`',
    meaning:
      '`info` logs one line per request (method, route pattern, status, duration, request id; never the query) and everything below; `warn`; `error`',
  },
  {
    name: 'RATE_LIMIT_EXEMPT',
    default: 'none',
    meaning: 'comma-separated addresses or CIDRs that are never rate-limited (e.g. a company egress you trust)',
  },
];

/** The variables as `serve --help` prints them: name, default, meaning. */
export function describeEnvironment(): string {
  const width = Math.max(...ENVIRONMENT.map((variable) => variable.name.length));
  return ENVIRONMENT.map(({name, default: fallback, meaning}) => {
    const plain = (text: string) => text.replaceAll('`', '');
    return `  ${name.padEnd(width)}  ${plain(meaning)}${fallback ? ` (default: ${plain(fallback)})` : ''}`;
  }).join('\n');
}

/** The variables as docs/deploy.md's markdown table. */
export function environmentTable(): string {
  const rows = ENVIRONMENT.map(({name, default: fallback, meaning}) => `| \`${name}\` | ${fallback} | ${meaning} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
