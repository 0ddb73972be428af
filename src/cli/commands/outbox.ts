/**
 * `crm outbox [--status pending|sent|dead] [--limit N]`: how many outgoing messages are pending, sent and
 * dead, then the rows themselves (newest first): when written, kind, platform, recipient by NAME (never an
 * id or e-mail address), consultation reference, attempts, last error.
 *
 * `crm outbox requeue [--since ISO_INSTANT] [--platform slack|teams|email]`: dead messages (not the ST's
 * dead letters) back to pending, after a platform outage outlasted the retries; the running bot's
 * reconcile (every 5 minutes, and at start-up) sends them.
 */
import { loadConfig } from '../../config.ts';
import { recipientName } from '../../jobs/deliver.ts';
import { openDatabase } from '../../store/database.ts';
import { OutboxStore, type OutboxStatus } from '../../store/outbox-store.ts';
import { shown, type CliIo } from '../io.ts';

const STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'dead'];
const USAGE = 'usage: crm outbox [--status pending|sent|dead] [--limit N]';
const DEFAULT_LIMIT = 50;

const REQUEUE_USAGE = 'usage: crm outbox requeue [--since ISO_INSTANT] [--platform slack|teams|email]';

async function requeue(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let since: Date | undefined;
  let platform: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--since' && value && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value)) since = new Date(value);
    else if (flag === '--platform' && value && ['slack', 'teams', 'email'].includes(value)) platform = value;
    else {
      io.err(`crm outbox requeue: ${flag === '--since' ? `--since: expected an ISO instant such as 2026-12-01T08:00:00-06:00, got ${value === undefined ? 'nothing' : `"${value}"`}` : flag === '--platform' ? `--platform: expected slack, teams or email, got ${value === undefined ? 'nothing' : `"${value}"`}` : `unexpected argument "${flag}"`}; ${REQUEUE_USAGE}`);
      return 1;
    }
  }
  const config = loadConfig(env);
  const db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    const n = await new OutboxStore(db.prisma).requeueDead({ ...(since ? { since } : {}), ...(platform ? { platform } : {}) });
    io.out(`${n} dead messages back to pending${since ? ` (written since ${since.toISOString()})` : ''}${platform ? ` on ${platform}` : ''}; the bot's reconcile sends them within 5 minutes (at once when it starts)`);
    return 0;
  } finally {
    await db.close();
  }
}

export async function run(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (args[0] === 'requeue') return requeue(args.slice(1), io, env);
  let status: OutboxStatus | undefined;
  let limit = DEFAULT_LIMIT;
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i];
    const value = args[i + 1];
    if (flag === '--status') {
      if (!value || !STATUSES.includes(value as OutboxStatus)) {
        io.err(`crm outbox: --status: expected one of ${STATUSES.join(', ')}, got ${value === undefined ? 'nothing' : shown(value)}`);
        return 1;
      }
      status = value as OutboxStatus;
    } else if (flag === '--limit') {
      const n = Number(value);
      if (!value || !Number.isInteger(n) || n < 1 || n > 10_000) {
        io.err(`crm outbox: --limit: expected a whole number from 1 to 10000, got ${value === undefined ? 'nothing' : shown(value)}`);
        return 1;
      }
      limit = n;
    } else {
      io.err(`crm outbox: unexpected argument ${shown(String(flag))}; ${USAGE}`);
      return 1;
    }
  }

  const config = loadConfig(env);
  const db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    const counts = await new OutboxStore(db.prisma).counts();
    io.out(`pending ${counts.pending}\tsent ${counts.sent}\tdead ${counts.dead}`);
    const total = status ? counts[status] : counts.pending + counts.sent + counts.dead;
    if (total === 0) {
      io.out(status ? `No ${status} messages.` : 'No messages yet.');
      return 0;
    }
    // OutboxStore has no listing yet; read-only query here (see the report: OutboxStore.list).
    const rows = await db.prisma.outboxMessage.findMany({
      where: status ? { status } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      include: { consultation: { select: { reference: true } } },
    });
    io.out('');
    io.out(['created', 'status', 'kind', 'platform', 'recipient', 'reference', 'attempts', 'last error'].join('\t'));
    for (const r of rows) {
      const payloadRef = (r.payload as { reference?: unknown } | null)?.reference;
      const reference = r.consultation?.reference ?? (typeof payloadRef === 'string' ? payloadRef : '-');
      io.out(
        [
          r.createdAt.toISOString(),
          r.status,
          r.kind,
          r.platform,
          recipientName(r.recipient, 'en'),
          reference,
          String(r.attempts),
          oneLine(r.lastError),
        ].join('\t'),
      );
    }
    if (total > rows.length) io.out(`(showing the newest ${rows.length} of ${total}; --limit N for more)`);
    return 0;
  } finally {
    await db.close();
  }
}

/** Errors come from platforms: keep them to one short line. */
function oneLine(s: string | null): string {
  if (!s) return '-';
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}
