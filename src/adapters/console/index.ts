/**
 * The local console, composed (interfaces.md "Local console"): a third adapter on the interaction layer,
 * the same shape as Slack and Teams —
 *   transport   ./routes.ts    GET /console, Server-Sent Events, POST of commands and clicks
 *   toIntent    ./routes.ts    JSON → Intent (a command's words, a decision, a form's submission)
 *   present     ./present.ts   Reply → cards in the seat
 *   render      ./render.ts    the Teams Adaptive Cards (adapters/teams/render.ts, forms.ts)
 *   notifier    ./console-notifier.ts   the deliver job's messages → cards in the seats, updated in place
 * People act with `platform: console` (the directory's person id is the console's user id).
 *
 * src/main.ts plugs it in:
 *   const console = createConsole(engine, { logger });
 *   Object.assign(notifiers, console.notifiersFor(notifiers));   // console, and stand-ins for what is off
 *   for (const route of console.routes) http.addRoute(route);    …   console.close() before http.close()
 */
import type { MeetingDeps } from '../../flows/meeting-flows.ts';
import type { Engine } from '../../app/context.ts';
import type { Route } from '../../http/server.ts';
import { Identity } from '../../interaction/identity.ts';
import { Interaction } from '../../interaction/interaction.ts';
import type { Notifier } from '../../flows/notifier.ts';
import type { Logger } from '../../log.ts';
import { ConsoleNotifier, parseConsoleReceipt, parseNeutral } from './console-notifier.ts';
import { messageCard } from './render.ts';
import { ConsolePresenter } from './present.ts';
import { consoleRoutes, CONSOLE_PATH } from './routes.ts';
import { seatReader } from './seats.ts';
import { ConsoleStore } from './store.ts';

export { loadConsoleConfig, type ConsoleConfig } from './config.ts';
export { CONSOLE_PATH };

/** The platforms the console stands in for when this process has no notifier for them. */
export const STAND_IN_PLATFORMS = ['slack', 'teams', 'email'] as const;

export interface ConsoleAdapter {
  routes: Route[];
  store: ConsoleStore;
  notifier: ConsoleNotifier;
  /**
   * The notifiers to add: `console` (cards clicked in the console), and the console for each of Slack,
   * Teams and e-mail that `configured` lacks, so that the console shows what those people receive.
   */
  notifiersFor(configured: Readonly<Record<string, Notifier | undefined>>): Record<string, Notifier>;
  /** Rebuilds the seats from the outbox (the cards the console delivered); returns how many cards. */
  restore(): Promise<number>;
  /** The platforms it stands in for (after notifiersFor), for the start log. */
  standsInFor(): string[];
  close(): void;
}

/** How many of the latest sent outbox rows a restart reads back into the seats. */
export const RESTORE_ROWS = 5_000;

export function createConsole(
  engine: Pick<Engine, 'deps' | 'consultations' | 'directory' | 'db'>,
  options: { logger: Logger; budgetMs?: number; /** Meetings (interaction/meetings.ts); absent: off. */ meetings?: MeetingDeps },
): ConsoleAdapter {
  const logger = options.logger.child({ adapter: 'console' });
  const store = new ConsoleStore();
  const identity = new Identity('console', engine.directory, undefined, logger);
  const interaction = new Interaction({ deps: engine.deps, reader: engine.consultations, identity, logger, ...(options.meetings ? { meetings: options.meetings } : {}) });
  const notifier = new ConsoleNotifier(store, logger);
  const now = () => engine.deps.clock.now();
  const transport = consoleRoutes({
    store,
    directory: engine.directory,
    budgetMs: options.budgetMs ?? 5000,
    pictures: { reader: engine.consultations, now },
    presenter: (seat, submitted) => new ConsolePresenter({ interaction, store, logger, now }, seat, seatReader(engine.directory.current(), seat), submitted),
  });
  let standing: string[] = [];
  return {
    routes: transport.routes,
    store,
    notifier,
    notifiersFor(configured) {
      const out: Record<string, Notifier> = { console: notifier };
      standing = STAND_IN_PLATFORMS.filter((p) => !configured[p]);
      for (const p of standing) out[p] = notifier;
      return out;
    },
    standsInFor: () => [...standing],
    async restore() {
      const rows = await engine.db.prisma.outboxMessage.findMany({
        where: { status: 'sent', sentAt: { not: null } },
        orderBy: [{ sentAt: 'desc' }, { createdAt: 'desc' }],
        take: RESTORE_ROWS,
        select: { id: true, payload: true, receipt: true, sentAt: true, replaceKey: true },
      });
      let restored = 0;
      for (const row of rows.reverse()) {
        const receipt = parseConsoleReceipt(row.receipt);
        const message = receipt ? parseNeutral(row.payload) : undefined;
        if (!receipt || !message) continue;
        try {
          store.restore(receipt.console, receipt.card, row.sentAt ?? new Date(), messageCard(message), row.replaceKey ?? undefined);
          restored += 1;
        } catch (err) {
          logger.warn({ err, outboxId: row.id }, 'console: a delivered message cannot be shown again');
        }
      }
      return restored;
    },
    close: () => transport.close(),
  };
}
