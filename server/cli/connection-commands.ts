import {parseArgs} from 'node:util';
import {
  checkConnection,
  type ConnectionPolicy,
  validateConnectionInput,
  validateConnectionPatch,
} from '../connections/connection-validation.ts';
import type {Connection} from '../connections/connection.ts';
import type {Store} from '../db/store.ts';
import {generateCallbackSecrets} from '../wecom/callback-secrets.ts';

/** Where a command writes and reads; injected so tests can drive the CLI. */
export interface CliIo {
  out(text: string): void;
  /** Notes beside the output (which database was used), on standard error. */
  note?(text: string): void;
  readStdin(): Promise<string>;
  env: Record<string, string | undefined>;
  /** The clock (tests); Date.now by default. */
  now?: () => number;
}

const FIELD_OPTIONS = {
  identifier: {type: 'string'},
  'display-name': {type: 'string'},
  'corp-id': {type: 'string'},
  'provider-secret-stdin': {type: 'boolean'},
  flow: {type: 'string'},
  'suite-id': {type: 'string'},
  'suite-secret-stdin': {type: 'boolean'},
  'generate-callback-secrets': {type: 'boolean'},
  'app-suite-id': {type: 'string'},
  'app-suite-secret-stdin': {type: 'boolean'},
  'generate-app-callback-secrets': {type: 'boolean'},
  'callback-url': {type: 'string'},
  'login-mode': {type: 'string'},
  usertype: {type: 'string'},
  'allowed-origin': {type: 'string', multiple: true},
  'launch-url': {type: 'string'},
  'allowed-corp-id': {type: 'string', multiple: true},
  'any-corp': {type: 'boolean'},
  json: {type: 'boolean'},
  yes: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
} as const;

/** Help text of every `connections` subcommand. */
export const CONNECTION_HELP: Record<string, string> = {
  add:
    `Usage: wecom-sp-login connections add --identifier ID --display-name NAME --corp-id CORPID ` +
    `--provider-secret-stdin [options]

Creates a connection. The ProviderSecret is read from standard input (or WECOM_PROVIDER_SECRET),
never from an argument, so it stays out of shell history and the process list:
  printf %s "$SECRET" | wecom-sp-login connections add --identifier acme --display-name Acme \\
    --corp-id ww0123456789abcdef --provider-secret-stdin --allowed-origin https://shop.example

A connection on WeCom's new login (--flow service-app) takes the 登录授权 page's SuiteID and Secret,
and the Token and EncodingAESKey of its callback; --generate-callback-secrets makes the last two
and prints them once, to paste into that page:
  printf %s "$SUITE_SECRET" | wecom-sp-login connections add --identifier acme --display-name Acme \
    --corp-id ww0123456789abcdef --flow service-app --suite-id wwabcdef0123456789 \
    --suite-secret-stdin --generate-callback-secrets --allowed-origin https://shop.example

Either flow may add the provider's app suite, so that members who open the site inside the WeCom
client (its workbench, a chat link) log in with no QR code; its 应用主页 is then
<PUBLIC_URL>/connections/ID/workbench and its 指令回调/数据回调 URL <PUBLIC_URL>/connections/ID/app-callback:
  printf %s "$APP_SUITE_SECRET" | wecom-sp-login connections update acme \
    --app-suite-id wwfedcba9876543210 --app-suite-secret-stdin --generate-app-callback-secrets

Options:
  --identifier ID           lowercase letters, digits, "-"; 1-31 characters; cannot change later
  --display-name NAME       shown on the button
  --corp-id CORPID          the provider CorpID (通用开发参数)
  --provider-secret-stdin   read the ProviderSecret from standard input (or WECOM_PROVIDER_SECRET)
  --flow FLOW               legacy (default: CorpID + ProviderSecret) or service-app (登录授权)
  --suite-id SUITEID        service-app: the SuiteID of 应用管理 → 登录授权 (not the CorpID)
  --suite-secret-stdin      service-app: read its Secret from standard input (or WECOM_SUITE_SECRET)
  --generate-callback-secrets
                            service-app: generate the callback Token and EncodingAESKey and print
                            them once (or give WECOM_CALLBACK_TOKEN and WECOM_ENCODING_AES_KEY)
  --app-suite-id SUITEID    the app suite (应用管理 → 网页应用) that logs members in inside the
                            WeCom client with no QR code; with its Secret and callback pair
  --app-suite-secret-stdin  read the app suite's Secret from standard input (or WECOM_APP_SUITE_SECRET)
  --generate-app-callback-secrets
                            generate the app suite's callback Token and EncodingAESKey and print
                            them once (or give WECOM_APP_CALLBACK_TOKEN and WECOM_APP_ENCODING_AES_KEY)
  --callback-url URL        deprecated console field ("#" or empty for unused)
  --login-mode MODE         login-and-register (default) or login-only
  --usertype TYPE           member (scan with WeCom, default) or admin (scan with WeChat)
  --allowed-origin ORIGIN   exact origin of a host site; repeat for several
  --launch-url URL          page the admin-console launch lands on (on an allowed origin)
  --allowed-corp-id CORPID  an enterprise whose users may log in; repeat for several (default: any)
  --any-corp                admit every enterprise again (clears --allowed-corp-id)
  --json                    print the result as JSON`,
  list: `Usage: wecom-sp-login connections list [--json]

Lists the connections (never their secrets).`,
  show: `Usage: wecom-sp-login connections show IDENTIFIER [--json]

Shows one connection (never its secret).`,
  update: `Usage: wecom-sp-login connections update IDENTIFIER [options]

Changes the given fields; the options are those of "connections add" except --identifier.
--allowed-origin replaces the whole list. --provider-secret-stdin replaces the secret.`,
  remove: `Usage: wecom-sp-login connections remove IDENTIFIER --yes

Deletes the connection with its users, pending logins and tickets. --yes confirms.`,
};

/** Runs `connections <subcommand>`; returns the exit code. Validation errors propagate as AppError. */
export async function runConnectionCommand(
  subcommand: string,
  args: string[],
  store: Store,
  io: CliIo,
  policy: ConnectionPolicy,
): Promise<number> {
  const {values, positionals} = parseArgs({args, options: FIELD_OPTIONS, allowPositionals: true, strict: true});
  if (values.help) {
    io.out(CONNECTION_HELP[subcommand]!);
    return 0;
  }
  const print = (connection: Connection) =>
    io.out(values.json ? JSON.stringify(connection, null, 2) : describe(connection));
  switch (subcommand) {
    case 'add': {
      const body = await toBody(values, io, true);
      const input = validateConnectionInput(body, policy);
      const connection = await store.connections.create(input);
      await store.audit.record({event: 'connection_created', connection: connection.identifier, detail: 'via CLI'});
      print(connection);
      printGenerated(values, body, io);
      return 0;
    }
    case 'list': {
      const connections = await store.connections.list();
      io.out(
        values.json
          ? JSON.stringify(connections, null, 2)
          : connections.map((c) => `${c.identifier}\t${c.displayName}\t${c.corpId}\t${c.loginMode}`).join('\n') ||
              'No connections yet. Add one with: wecom-sp-login connections add --help',
      );
      return 0;
    }
    case 'show':
      print(await store.connections.get(requireIdentifier(positionals, subcommand)));
      return 0;
    case 'update': {
      const identifier = requireIdentifier(positionals, subcommand);
      const body = await toBody(values, io, false);
      const patch = validateConnectionPatch(body, {identifier});
      const connection = await store.connections.update(identifier, patch, (merged) => checkConnection(merged, policy));
      await store.audit.record({
        event: 'connection_updated',
        connection: identifier,
        detail: `via CLI; changed: ${Object.keys(patch).join(', ') || 'nothing'}`,
      });
      print(connection);
      printGenerated(values, body, io);
      return 0;
    }
    case 'remove': {
      const identifier = requireIdentifier(positionals, subcommand);
      if (!values.yes) {
        io.out(`This deletes "${identifier}" with its users. Run again with --yes to confirm.`);
        return 1;
      }
      await store.connections.remove(identifier);
      await store.audit.record({event: 'connection_deleted', connection: identifier, detail: 'via CLI'});
      io.out(`Deleted ${identifier}.`);
      return 0;
    }
    default:
      throw new Error(`Unknown subcommand "connections ${subcommand}".`);
  }
}

type Values = {
  [K in keyof typeof FIELD_OPTIONS]?: (typeof FIELD_OPTIONS)[K] extends {multiple: true}
    ? string[]
    : (typeof FIELD_OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** Turns flags into the same JSON body the admin API takes, so both share one validation. */
async function toBody(values: Values, io: CliIo, creating: boolean): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {};
  if (creating && values.identifier !== undefined) body.identifier = values.identifier;
  if (values['display-name'] !== undefined) body.displayName = values['display-name'];
  if (values['corp-id'] !== undefined) body.corpId = values['corp-id'];
  const stdinFlags = (['provider-secret-stdin', 'suite-secret-stdin', 'app-suite-secret-stdin'] as const).filter(
    (flag) => values[flag],
  );
  if (stdinFlags.length > 1)
    throw new Error(
      'Only one secret can come from standard input; give the others in WECOM_PROVIDER_SECRET, ' +
        'WECOM_SUITE_SECRET or WECOM_APP_SUITE_SECRET.',
    );
  // Secrets never come from arguments: those show in the process list and the shell's history.
  const stdin = stdinFlags.length > 0 ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
  const secret = (flag: (typeof stdinFlags)[number], variable: string) =>
    values[flag] ? stdin : io.env[variable] || undefined;
  const secrets = {
    providerSecret: secret('provider-secret-stdin', 'WECOM_PROVIDER_SECRET'),
    suiteSecret: secret('suite-secret-stdin', 'WECOM_SUITE_SECRET'),
    appSuiteSecret: secret('app-suite-secret-stdin', 'WECOM_APP_SUITE_SECRET'),
    callbackToken: io.env.WECOM_CALLBACK_TOKEN || undefined,
    encodingAesKey: io.env.WECOM_ENCODING_AES_KEY || undefined,
    appCallbackToken: io.env.WECOM_APP_CALLBACK_TOKEN || undefined,
    appEncodingAesKey: io.env.WECOM_APP_ENCODING_AES_KEY || undefined,
  };
  for (const [field, value] of Object.entries(secrets)) if (value !== undefined) body[field] = value;
  if (values.flow !== undefined) body.flow = values.flow;
  if (values['suite-id'] !== undefined) body.suiteId = values['suite-id'];
  if (values['generate-callback-secrets']) Object.assign(body, generateCallbackSecrets());
  if (values['app-suite-id'] !== undefined) body.appSuiteId = values['app-suite-id'];
  if (values['generate-app-callback-secrets']) {
    const {callbackToken, encodingAesKey} = generateCallbackSecrets();
    Object.assign(body, {appCallbackToken: callbackToken, appEncodingAesKey: encodingAesKey});
  }
  if (values['callback-url'] !== undefined) body.callbackUrl = values['callback-url'];
  if (values['login-mode'] !== undefined) body.loginMode = values['login-mode'];
  if (values.usertype !== undefined) body.usertype = values.usertype;
  if (values['allowed-origin'] !== undefined) body.allowedOrigins = values['allowed-origin'];
  if (values['launch-url'] !== undefined) body.launchUrl = values['launch-url'];
  if (values['allowed-corp-id'] !== undefined) body.allowedCorpIds = values['allowed-corp-id'];
  if (values['any-corp']) body.allowedCorpIds = [];
  return body;
}

/** Shows generated callback secrets once: WeCom's console needs the same values pasted in. */
function printGenerated(values: Values, body: Record<string, unknown>, io: CliIo): void {
  if (values['generate-callback-secrets']) {
    io.out(
      '\nPaste these into 服务商管理后台 → 应用管理 → 登录授权 → 回调配置 (shown this once; stored sealed):\n' +
        `  Token           ${String(body.callbackToken)}\n  EncodingAESKey  ${String(body.encodingAesKey)}`,
    );
  }
  if (values['generate-app-callback-secrets']) {
    io.out(
      '\nPaste these into 服务商管理后台 → 应用管理 → 网页应用 → 开发信息, for both 指令回调 and 数据回调 ' +
        '(shown this once; stored sealed):\n' +
        `  Token           ${String(body.appCallbackToken)}\n  EncodingAESKey  ${String(body.appEncodingAesKey)}`,
    );
  }
}

function requireIdentifier(positionals: string[], subcommand: string): string {
  if (positionals.length !== 1)
    throw new Error(`"connections ${subcommand}" takes exactly one IDENTIFIER. See --help.`);
  return positionals[0]!;
}

function describe(c: Connection): string {
  return [
    `identifier      ${c.identifier}`,
    `displayName     ${c.displayName}`,
    `corpId          ${c.corpId}`,
    `flow            ${c.flow}`,
    ...(c.suiteId !== null ? [`suiteId         ${c.suiteId}`] : []),
    `secrets         ${c.secretsSet.join(' ')} (set; never shown)`,
    `appSuiteId      ${c.appSuiteId ?? '(none: no login inside the WeCom client)'}`,
    `loginMode       ${c.loginMode}`,
    `usertype        ${c.usertype}`,
    `allowedOrigins  ${c.allowedOrigins.join(' ') || '(none)'}`,
    `launchUrl       ${c.launchUrl ?? '(none)'}`,
    `allowedCorpIds  ${c.allowedCorpIds.join(' ') || '(any enterprise)'}`,
    `callbackUrl     ${c.callbackUrl || '(unused)'}`,
  ].join('\n');
}
