/**
 * `npm run demo -- --console`: the scripted consultation (./demo.ts) played on the embedded defaults, its
 * messages left in the outbox, then the bot started with the local console only (Slack, Teams and e-mail
 * off whatever the environment says), which delivers them to the console's seats. It prints the console's
 * address and runs until Ctrl-C, for the person to carry on clicking: `consulta` as the PPT starts another
 * consultation.
 */
import { stopOnSignals } from '../app/shutdown.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { DEFAULT_DRAIN_MS, startBot } from '../main.ts';
import { runDemo } from './demo.ts';

/** The variables that would turn a platform on: the console demo runs without any. */
const PLATFORM_VARIABLES = /^(SLACK_|TEAMS_|SMTP_URL$|MAIL_FROM$)/;

export async function runConsoleDemo(print: (line?: string) => void = (l = '') => process.stdout.write(`${l}\n`), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const consoleEnv: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(env).filter(([k]) => !PLATFORM_VARIABLES.test(k))), CRM_CONSOLE: 'on' };
  await runDemo(print, consoleEnv, { leavePending: true });
  const logger = createLogger(env.LOG_LEVEL ? loadConfig(consoleEnv).logLevel : 'warn');
  const starting = startBot(consoleEnv, { logger });
  stopOnSignals(process, async () => (await starting).stop(), { logger, exit: (code) => process.exit(code), forceAfterMs: DEFAULT_DRAIN_MS + 25_000, ready: starting });
  const bot = await starting;
  const url = `http://127.0.0.1:${bot.port}/console`;
  print();
  print(`══ Consola / Console: ${url} ══`);
  print(`• Abra ${url} y elija a alguien: la PPT escribe «consulta», la Troika aprueba, los países responden. Ctrl-C detiene el bot.`);
  print(`  Open ${url} and pick someone: the PPT types "consult", the Troika approves, the countries answer. Ctrl-C stops the bot.`);
}
