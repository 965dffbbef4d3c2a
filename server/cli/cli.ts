import {loadConfig, type Config} from '../config.ts';
import {ConfigError} from '../settings/config-error.ts';
import {createSecretBox, type SecretBox} from '../crypto/secret-box.ts';
import {openStore} from '../db/open-store.ts';
import type {Store} from '../db/store.ts';
import {describeEnvironment} from '../settings/settings-docs.ts';
import {AppError} from '../errors.ts';
import {main as serve} from '../main.ts';
import {resolveSecretKey} from '../secret-key.ts';
import {VERSION} from '../version.ts';
import {runBackup} from './backup-command.ts';
import {runConfigCommand} from './config-command.ts';
import {readEnvironmentFile} from './env-file.ts';
import {runWaitReady} from './wait-ready-command.ts';
import {runStoreCommand} from './store-command.ts';
import {KEYS_HELP, runKeyCommand} from './key-commands.ts';
import {runSecretsCommand, SECRETS_HELP} from './secrets-command.ts';
import {runSuiteTicketCommand, SUITE_TICKET_HELP} from './suite-ticket-command.ts';
import {OIDC_CLIENTS_HELP, runOidcClientCommand} from './oidc-client-commands.ts';
import {CONNECTION_HELP, runConnectionCommand, type CliIo} from './connection-commands.ts';

const HELP = `Usage: wecom-sp-login [--env-file FILE] <command>

Commands:
  serve                      start the login server (configured by environment variables)
  config check               validate the settings without starting (see config --help)
  wait-ready                 wait until the server of these settings answers /readyz (the unit's ExecStartPost)
  --version                  print the version
  connections add            create a connection
  connections list           list connections
  connections show ID        show one connection
  connections update ID      change a connection
  connections remove ID      delete a connection
  keys list|rotate|retire    the ID-token signing keys (see keys --help)
  secrets reseal             re-seal every secret under SECRET_KEY after a rotation (see secrets --help)
  suite-ticket clear ID      forget a service-app connection's stored suite_ticket (see suite-ticket --help)
  oidc-clients add|list|show|remove|rotate-secret
                             the applications of the OpenID provider at /oidc (see oidc-clients --help)
  backup FILE                copy the SQLite database to FILE while the server runs
  store copy --from FILE      move a SQLite database into the empty PostgreSQL database of
                             DATABASE_URL (see store --help)

Every command takes --help. All of them work on DATABASE_URL (PostgreSQL) or else DATABASE_PATH
(SQLite, default ./data/wecom-sp-login.db) with SECRET_KEY, exactly as the server does, and say
which database they used. Only serve creates a database or a key: run the others with the
service's settings, --env-file /etc/wecom-sp-login/env (read as systemd reads EnvironmentFile=,
over this shell's environment).`;

const SERVE_HELP = `Usage: wecom-sp-login serve

Starts the login server. Configuration comes from environment variables only:

${describeEnvironment()}

A bad value stops start-up with a message naming the variable. See docs/deploy.md.`;

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const {envFile, args} = takeEnvFile(argv);
  // The service's own settings, read as systemd reads its EnvironmentFile, over this shell's.
  if (envFile !== undefined) io = {...io, env: {...io.env, ...readEnvironmentFile(envFile)}};
  const [command, subcommand, ...rest] = args;
  if (command === '--version' || command === '-v' || command === 'version') {
    io.out(`wecom-sp-login ${VERSION}`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command === undefined ? 1 : 0;
  }
  if (command === 'serve') {
    if (subcommand === '--help' || subcommand === '-h') {
      io.out(SERVE_HELP);
      return 0;
    }
    await serve(io.env);
    return 0;
  }
  if (command === 'wait-ready')
    return runWaitReady(
      [subcommand, ...rest].filter((arg) => arg !== undefined),
      io,
    );
  if (command === 'config')
    return runConfigCommand(
      [subcommand, ...rest].filter((arg) => arg !== undefined),
      io,
    );
  if (command === 'backup')
    return runBackup(
      [subcommand, ...rest].filter((arg) => arg !== undefined),
      loadConfig(io.env),
      io,
    );
  if (command === 'store')
    return runStoreCommand(
      [subcommand, ...rest].filter((arg) => arg !== undefined),
      io,
    );
  if (command === 'keys') {
    if (subcommand === undefined || subcommand === '--help' || subcommand === '-h') {
      io.out(KEYS_HELP);
      return subcommand === undefined ? 1 : 0;
    }
    return withStore(io, (store) => runKeyCommand([subcommand, ...rest], store.signingKeys, io));
  }
  if (command === 'secrets') {
    if (subcommand !== 'reseal') {
      io.out(SECRETS_HELP);
      return subcommand === '--help' || subcommand === '-h' ? 0 : 1;
    }
    return withStore(io, (store, _config, box) => runSecretsCommand([subcommand, ...rest], store, box, io));
  }
  if (command === 'suite-ticket') {
    if (subcommand !== 'clear') {
      io.out(SUITE_TICKET_HELP);
      return subcommand === '--help' || subcommand === '-h' ? 0 : 1;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(SUITE_TICKET_HELP);
      return 0;
    }
    return withStore(io, (store) => runSuiteTicketCommand([subcommand, ...rest], store, io));
  }
  if (command === 'oidc-clients') {
    if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || rest.includes('--help')) {
      io.out(OIDC_CLIENTS_HELP);
      return subcommand === undefined ? 1 : 0;
    }
    return withStore(io, (store, config) => runOidcClientCommand([subcommand, ...rest], store, io, config));
  }
  if (command !== 'connections') {
    io.out(`Unknown command "${command}".\n\n${HELP}`);
    return 1;
  }
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || !(subcommand in CONNECTION_HELP)) {
    io.out(
      subcommand && !subcommand.startsWith('-') ? `Unknown subcommand "connections ${subcommand}".\n\n${HELP}` : HELP,
    );
    return subcommand === '--help' || subcommand === '-h' ? 0 : 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(CONNECTION_HELP[subcommand]!);
    return 0;
  }
  return withStore(io, (store, config) =>
    runConnectionCommand(subcommand, rest, store, io, {httpsOnly: config.production}),
  );
}

/**
 * Opens DATABASE_URL or DATABASE_PATH with SECRET_KEY exactly as the server does, runs `use`, and
 * closes it. Never creates a database or a key: a command run without the service's settings would
 * otherwise write into a database no server reads. Says which database it used.
 */
async function withStore(
  io: CliIo,
  use: (store: Store, config: Config, box: SecretBox) => Promise<number>,
): Promise<number> {
  const config = loadConfig(io.env);
  const masterKey = resolveSecretKey(
    config.secretKeyBase64,
    config.databasePath,
    (message) => io.out(`warning: ${message}`),
    {generate: false},
  );
  const box = createSecretBox(masterKey, config.previousMasterKeys);
  const store = await openStore(config, box, {now: io.now, mustExist: true});
  io.note?.(`database: ${store.location}`);
  try {
    return await use(store, config, box);
  } finally {
    await store.close();
  }
}

/** Prints an error the way a person at a terminal wants it: one line, with the field. */
export function describeCliError(error: unknown): string {
  if (error instanceof AppError) return `error: ${error.message}${error.field ? ` (${error.field})` : ''}`;
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    return `error: ${error.message}. See --help.`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/** `--env-file FILE` (or `--env-file=FILE`) before the command, and the arguments without it. */
function takeEnvFile(argv: string[]): {envFile?: string; args: string[]} {
  const [first, second, ...rest] = argv;
  if (first === '--env-file') {
    if (second === undefined) throw new ConfigError('--env-file', 'needs a file: --env-file /etc/wecom-sp-login/env.');
    return {envFile: second, args: rest};
  }
  if (first?.startsWith('--env-file=')) return {envFile: first.slice('--env-file='.length), args: argv.slice(1)};
  return {args: argv};
}

/** Runs the CLI on this process's arguments, stdin and environment, and sets the exit code. */
export async function runFromProcess(): Promise<void> {
  const io: CliIo = {
    out: (text) => console.log(text),
    // Beside the output, not in it: `--json` output stays one JSON document.
    note: (text) => console.error(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
  };
  try {
    process.exitCode = await runCli(process.argv.slice(2), io);
  } catch (error) {
    console.error(describeCliError(error));
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runFromProcess();
