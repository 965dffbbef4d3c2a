import {clearSuiteTicket} from '../connections/clear-suite-ticket.ts';
import type {Store} from '../db/store.ts';
import type {CliIo} from './connection-commands.ts';

/** Help text of `wecom-sp-login suite-ticket`. */
export const SUITE_TICKET_HELP = `Usage: wecom-sp-login suite-ticket clear IDENTIFIER

Forgets the suite_ticket stored for a service-app connection (WeCom's new login). The server keeps
the newest ticket WeCom pushed and ignores older pushes; if a bad one was ever stored, clear it and
press 刷新Ticket on the 登录授权 page (or wait for WeCom's next push, within ten minutes): the next
push is stored whatever it carries. Logins of the connection fail with wecom_config_error until then.`;

/** Runs `suite-ticket clear IDENTIFIER`; returns the exit code. */
export async function runSuiteTicketCommand(args: string[], store: Store, io: CliIo): Promise<number> {
  const [subcommand, identifier, ...rest] = args;
  if (subcommand !== 'clear' || identifier === undefined || identifier.startsWith('-') || rest.length > 0) {
    io.out(SUITE_TICKET_HELP);
    return 1;
  }
  const {suiteId, cleared} = await clearSuiteTicket(store, identifier, {via: 'via CLI'});
  if (suiteId === null) {
    io.out(`${identifier} is not a service-app connection: it has no suite_ticket.`);
    return 1;
  }
  io.out(
    cleared
      ? `Cleared the suite_ticket of ${identifier} (suite ${suiteId}). Press 刷新Ticket on the 登录授权 page to ` +
          `have WeCom push a new one now.`
      : `${identifier} had no suite_ticket stored.`,
  );
  return 0;
}
