/**
 * Secrets and personal data never reach the logs: the bot as a user starts it (./harness.ts) with every
 * secret it reads configured — the Slack signing secret and bot token, a DATABASE_URL with a password,
 * a REDIS_URL with a user and password of a real Redis ACL user, an SMTP_URL with the user and password
 * of a loopback SMTP server that requires them, and CRM_LINK_SECRET — at LOG_LEVEL=debug, plays a whole
 * consultation (changes requested with a reason, a revision, approval, an objection with its reason, the
 * close and the digest) with the failures that make code log errors (a forged signature, a person not in
 * the directory, an observer refused, Slack answering 500, 429 and a permanent error that dead-letters a
 * message of a second consultation), then reads every byte the process wrote to stdout and stderr and looks for each secret, every
 * e-mail address of the directory, the proposal's text and the reasons.
 *
 * Redis: the bot's queues use the default prefix, so it runs in a logical database of its own (13), which
 * this test empties before and after, with an ACL user created for the run and deleted after it.
 * Any answer link e-mailed on the way (a Slack message that died falls back to e-mail) is a secret too.
 * When Teams is wired into `npm start`, add TEAMS_APP_PASSWORD here.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/run-bin.ts';
import { TEST_REDIS_URL } from '../../helpers/redis.ts';
import { startTestSmtp, type TestSmtp } from '../../helpers/smtp.ts';
import { postToSlackEvents, slashCommand, triggerId } from '../../helpers/slack-requests.ts';
import { BOT_TOKEN, SIGNING_SECRET, startSlackWorld, waitFor, type SlackWorld } from './harness.ts';
import { answer, commandModal, expectMembersAsked, expectTroikaAsked, positionsOf, stateValue, troikaApproves } from './steps.ts';

const REDIS_DB = 13;
const run = randomBytes(6).toString('hex');
const DB_PASSWORD = `pg-pass-${run}-Zq9`;
const REDIS_USER = `crm_e2e_${run}`;
const REDIS_PASSWORD = `redis-pass-${run}-Xw4`;
const SMTP_PASSWORD = `smtp-pass-${run}-Kp7`;
const LINK_SECRET = `link-secret-${run}-0123456789abcdefghij`;

const PROPOSAL = 'Propuesta confidencial de posición concertada sobre corredores humanitarios en la frontera sur, versión preliminar.';
const REVISED = `${PROPOSAL} Incluye la protección de la niñez no acompañada.`;
const CHANGES = 'Solicitamos aclarar el alcance de los corredores antes de circular.';
const OBJECTION = 'Nuestro gobierno no acompaña el párrafo sobre corredores.';

let output = '';
let w: SlackWorld;
let admin: Redis;
let smtp: TestSmtp;

/** Up to two lines of the output holding `value` (shown with the value masked), for the failure message. */
function where(value: string): string {
  const lines = output.split('\n').filter((l) => l.includes(value));
  return lines.length ? `${lines.length} line(s), e.g.:\n${lines.slice(0, 2).map((l) => l.split(value).join('<LEAK>').slice(0, 600)).join('\n')}` : '';
}

function directoryEmails(): string[] {
  const yaml = readFileSync(join(ROOT, 'config/directory.example.yaml'), 'utf8');
  return [...new Set([...yaml.matchAll(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g)].map((m) => m[0]))];
}

beforeAll(async () => {
  admin = new Redis(TEST_REDIS_URL, { db: REDIS_DB, maxRetriesPerRequest: 1 });
  await admin.flushdb();
  await admin.call('ACL', 'SETUSER', REDIS_USER, 'reset', 'on', `>${REDIS_PASSWORD}`, '~*', '&*', '+@all');
  const redis = new URL(TEST_REDIS_URL);
  redis.username = REDIS_USER;
  redis.password = REDIS_PASSWORD;
  redis.pathname = `/${REDIS_DB}`;
  smtp = await startTestSmtp({ user: 'crm-mailer', pass: SMTP_PASSWORD });
  w = await startSlackWorld(import.meta.url, {
    databasePassword: DB_PASSWORD,
    env: { REDIS_URL: redis.toString(), LOG_LEVEL: 'debug', SMTP_URL: smtp.url, MAIL_FROM: 'crm-bot@example.net', CRM_LINK_SECRET: LINK_SECRET },
    onOutput: (chunk) => {
      output += chunk;
    },
  });
}, 180_000);

afterAll(async () => {
  await w?.stop();
  await smtp?.close();
  await admin?.call('ACL', 'DELUSER', REDIS_USER).catch(() => undefined);
  await admin?.flushdb().catch(() => undefined);
  admin?.disconnect();
});

describe('no secret and no e-mail address in the logs of a whole consultation', () => {
  it('plays a consultation with failures on the way, then greps everything the bot wrote', { timeout: 600_000 }, async () => {
    expect(output).toContain('BullMQ on Redis (REDIS_URL)');
    // A forged request and a person who is not in the directory.
    const forged = await postToSlackEvents(w.eventsUrl, 'not-the-signing-secret', slashCommand({ userId: w.people.ppt.slack, text: 'lista', triggerId: triggerId(), responseUrl: w.responseUrl(w.people.ppt) }));
    expect(forged.status).toBe(401);
    const stranger = { slack: 'U0STRANGER1', name: 'Stranger', locale: 'es' as const };
    expect((await w.command(stranger, 'consulta')).res.status).toBe(200);
    // An observer country's focal point tries to open a consultation.
    const observer = w.people.observers[0]!;
    await w.command(observer, 'consulta');

    // Slack fails on the way: a 500 and a 429 (retried), and Belize's focal point cannot be messaged (dead letter).
    w.slack.failNext('chat.postMessage', { status: 500 });
    w.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const { ref, id } = await w.startConsultation(w.people.ppt, { title: 'E2E registros · corredores', proposal: PROPOSAL, days: 5 });
    await expectTroikaAsked(w, ref);
    const [first] = w.people.troika;
    const card = await w.cardFor(first!, ref, 'troika_changes');
    expect((await w.clickWithReason(first!, card, 'troika_changes', CHANGES)).status).toBe(200);
    await waitFor(async () => (await w.events(id)).some((e) => e.type === 'troika_reacted'), 'the request for changes recorded');
    await commandModal(w, w.people.ppt, `revisar ${ref}`, 'revise', { proposal: stateValue.text(REVISED) });
    await expectTroikaAsked(w, ref, { revised: true });
    await troikaApproves(w, ref); // each clicks the latest card: the revised version's
    await expectMembersAsked(w, ref);
    const given: Record<string, 'support' | 'object'> = {};
    for (const code of w.people.memberCodes) {
      const position = code === 'MX' ? 'object' : 'support';
      await answer(w, w.people.firstOf[code]!, ref, position, OBJECTION);
      given[code] = position;
    }
    // Not expectEnded: the 500 above may have hit the ST channel's status, which is then posted twice.
    const digest = await waitFor(() => w.digest(ref), `the digest of ${ref}`);
    expect((digest.args.metadata as { event_payload: unknown }).event_payload).toEqual({ reference: ref, outcome: 'no_consensus', positions: positionsOf(w, given) });
    await w.outboxSettled(id);

    // A second consultation whose first message Slack refuses for good: a dead letter to the ST.
    w.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    const second = await w.startConsultation(w.people.ppt, { title: 'E2E registros · segunda', proposal: PROPOSAL, days: 5 });
    const rows = await w.outboxSettled(second.id);
    expect(rows.some((r) => r.status === 'dead'), JSON.stringify(rows)).toBe(true);
    await waitFor(async () => (await w.db.query("SELECT 1 FROM outbox WHERE kind = 'dead_letter' AND status = 'sent'")).rowCount, 'the dead letter delivered to the ST');

    // Everything the process wrote, from its first byte (CRM_LOG_DUMP=FILE keeps a copy to read).
    if (process.env['CRM_LOG_DUMP']) writeFileSync(process.env['CRM_LOG_DUMP'], output);
    expect(output.length).toBeGreaterThan(10_000);
    expect(output).toMatch(/"level":"debug"/);
    expect(smtp.url).toContain(SMTP_PASSWORD);
    const links = smtp.received.flatMap((m) => [...`${m.parsed.text ?? ''} ${m.parsed.html || ''}`.matchAll(/\/answer\/([A-Za-z0-9_.-]{20,})/g)].map((x) => x[1]!));
    const secrets: Record<string, string> = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      'DATABASE_URL password': DB_PASSWORD,
      'REDIS_URL password': REDIS_PASSWORD,
      'SMTP_URL password': SMTP_PASSWORD,
      CRM_LINK_SECRET: LINK_SECRET,
      ...Object.fromEntries(links.map((l, i) => [`answer link ${i + 1}`, l])),
    };
    for (const [name, value] of Object.entries(secrets)) expect(where(value), `${name} in the logs`).toBe('');
    const emails = directoryEmails();
    expect(emails.length).toBeGreaterThan(5);
    for (const email of emails) expect(where(email), `${email} in the logs`).toBe('');
    expect(output).not.toMatch(/[A-Za-z0-9._%+-]+@example\.(org|com|net)/);
    for (const text of [PROPOSAL, CHANGES, OBJECTION]) expect(where(text.slice(0, 40)), `"${text.slice(0, 40)}…" in the logs`).toBe('');
  });
});
