/**
 * Meetings on Teams, end to end: the bot started as a user starts it (`node bin/start.mjs`) with Slack and
 * Teams configured, a fresh PostgreSQL database and the local Microsoft world over HTTPS (real JWTs, real
 * client-credential tokens; test/helpers/teams-world.ts). The PPT's second focal point and Guatemala's focal
 * point are on Teams only.
 *
 *   - the PPT's focal point types `reunion`: the `meeting_new` form card; reversed dates come back under the
 *     `end` input; a good one records the meeting (the answer says so);
 *   - Guatemala's focal point types `reuniones`: the card with `meeting_delegation_open`; its invoke answers
 *     the `meeting_delegation` form (one multi-select per segment); its submit registers the delegation;
 *   - the invitation reaches Guatemala's focal point on Teams as a proactive card with the Action.Execute
 *     verbs `meeting_attend` / `meeting_decline`; `meeting_attend` is answered with the card updated
 *     ("Answer recorded: attending", buttons kept) and recorded in PostgreSQL; the PPT's focal point,
 *     not invited, is refused and nothing changes;
 *   - `pendientes` answers the duties as a card with a Table, and no meeting command is answered "not
 *     available".
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { t } from '../../../src/i18n/index.ts';
import { cardProblems, cardTexts, executeActions, inputIds } from '../../helpers/adaptive-cards.ts';
import { ROOT } from '../../helpers/run-bin.ts';
import { APP_ID, TENANT_ID, startTeamsWorld, type TeamsWorld } from '../../helpers/teams-world.ts';
import { startSlackWorld, waitFor, type SlackWorld } from '../slack/harness.ts';

interface TeamsPerson {
  name: string;
  email: string;
  country: string;
  aad: string;
  userId: string;
  conversationId: string;
}

let world: TeamsWorld;
let w: SlackWorld;
let dir: string;
const people: TeamsPerson[] = [];
/** Next year's November: the Vice-Ministerial is always ahead of the clock. */
const YEAR = new Date().getUTCFullYear() + 1;

function teamsDirectory(): string {
  const doc = parse(readFileSync(join(ROOT, 'config/directory.example.yaml'), 'utf8')) as {
    countries: { code: string; focalPoints: { name: string; email: string; slack?: string; teams?: string }[] }[];
  };
  for (const c of doc.countries) {
    if (c.code !== 'GT' && c.code !== 'PA') continue;
    const fp = c.code === 'PA' ? c.focalPoints[1]! : c.focalPoints[0]!;
    delete fp.slack;
    fp.teams = randomUUID();
    people.push({ name: fp.name, email: fp.email, country: c.code, aad: fp.teams, userId: `29:1${fp.teams.replace(/-/g, '')}`, conversationId: '' });
  }
  return stringify(doc);
}

const person = (country: string) => people.find((p) => p.country === country)!;

beforeAll(async () => {
  world = await startTeamsWorld();
  dir = await mkdtemp(join(tmpdir(), 'crm-teams-meetings-'));
  const directory = join(dir, 'directory.yaml');
  await writeFile(directory, teamsDirectory());
  for (const p of people) {
    p.conversationId = world.connector.conversationOf(p.userId);
    world.connector.install(p.userId, { tenantId: TENANT_ID, aadObjectId: p.aad });
  }
  w = await startSlackWorld(import.meta.url, { env: { ...world.env, NODE_EXTRA_CA_CERTS: world.tls.caFile, CRM_DIRECTORY: directory } });
}, 240_000);

afterAll(async () => {
  await w?.stop();
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

const signed = () => `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl })}`;

async function post(activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${w.bot.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: signed() },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const base = (p: TeamsPerson) => ({
  id: `f:${randomUUID()}`,
  timestamp: new Date().toISOString(),
  serviceUrl: world.connector.serviceUrl,
  channelId: 'msteams',
  from: { id: p.userId, aadObjectId: p.aad, name: p.name },
  recipient: { id: `28:${APP_ID}`, name: 'CRM' },
  conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
  channelData: { tenant: { id: TENANT_ID } },
  locale: 'es-419',
});
const click = (p: TeamsPerson, replyToId: string, verb: string, data: unknown) => ({
  ...base(p),
  type: 'invoke',
  name: 'adaptiveCard/action',
  replyToId,
  value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});
const cardOf = (a: { activity: Record<string, unknown> }) => (a.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content;

/** The first activity sent to `p` after typing `text` that `is` the answer. */
async function type(p: TeamsPerson, text: string, is: (card: unknown) => boolean) {
  const before = world.connector.activities(p.conversationId).length;
  expect((await post({ ...base(p), type: 'message', text })).status).toBe(200);
  return waitFor(() => world.connector.activities(p.conversationId).slice(before).find((a) => is(cardOf(a))), `the answer to "${text}"`);
}
const withVerb = (verb: string) => (card: unknown) => executeActions(card).some((x) => x.verb === verb);

describe('meetings on Teams', () => {
  it('the PPT records a meeting with the meeting_new form card; reversed dates are refused under the field', { timeout: 120_000 }, async () => {
    const pa = person('PA');
    const formActivity = await type(pa, 'reunión', withVerb('meeting_new'));
    const form = cardOf(formActivity);
    expect(cardProblems(form)).toEqual([]);
    expect(inputIds(form)).toEqual(['kind', 'start', 'end', 'city', 'country', 'title']);
    const submit = executeActions(form)[0]!;
    const values = { kind: 'vice_ministerial', start: `${YEAR}-11-11`, end: `${YEAR}-11-10`, city: 'Ciudad de Panamá', title: 'E2E Teams · Reunión Viceministerial' };
    const refused = await post(click(pa, formActivity.id, 'meeting_new', { ...(submit.data as object), ...values }));
    expect(refused.status).toBe(200);
    expect(cardProblems(refused.body.value)).toEqual([]);
    expect(cardTexts(refused.body.value)).toContain(t('es', 'meeting.form.refusal.end_before_start'));
    expect((await w.db.query('SELECT 1 FROM meetings')).rows).toEqual([]);
    const done = await post(click(pa, formActivity.id, 'meeting_new', { ...(submit.data as object), ...values, start: `${YEAR}-11-10`, end: `${YEAR}-11-11` }));
    expect(cardProblems(done.body.value)).toEqual([]);
    const row = await waitFor(async () => (await w.db.query<{ reference: string; country: string }>('SELECT reference, country FROM meetings')).rows[0], 'the meeting stored');
    expect(row.country).toBe('PA');
    expect(cardTexts(done.body.value).join(' ')).toContain(t('es', 'meeting.form.recorded', { reference: row.reference, title: values.title }));
  });

  it("Guatemala registers its delegation from reuniones; the invitation card is answered on Teams", { timeout: 180_000 }, async () => {
    const gt = person('GT');
    const list = await type(gt, 'reuniones', withVerb('meeting_delegation_open'));
    expect(cardProblems(cardOf(list))).toEqual([]);
    expect(cardTexts(cardOf(list))[0]).toBe(t('es', 'meeting.list.heading'));
    const open = executeActions(cardOf(list)).find((a) => a.verb === 'meeting_delegation_open')!;
    const formAnswer = await post(click(gt, list.id, 'meeting_delegation_open', open.data));
    expect(formAnswer.status).toBe(200);
    const form = formAnswer.body.value;
    expect(cardProblems(form)).toEqual([]);
    expect(inputIds(form)).toEqual(['plenary', 'closed_door']);
    const submit = executeActions(form)[0]!;
    expect(submit.verb).toBe('meeting_delegation');
    const recorded = await post(click(gt, list.id, 'meeting_delegation', { ...(submit.data as object), plenary: gt.email }));
    expect(cardTexts(recorded.body.value).join(' ')).toContain(t('es', 'meeting.delegation.recorded', { count: 1, title: 'E2E Teams · Reunión Viceministerial' }));

    // The invitation, delivered proactively on Teams with the answer verbs.
    const heading = t('es', 'meeting.invitation.heading', { title: 'E2E Teams · Reunión Viceministerial' });
    const invitation = await waitFor(() => world.connector.activities(gt.conversationId).find((a) => cardTexts(cardOf(a))[0] === heading), 'the invitation on Teams');
    const card = cardOf(invitation);
    expect(cardProblems(card)).toEqual([]);
    const actions = executeActions(card);
    expect(actions.map((a) => a.verb)).toEqual(['meeting_attend', 'meeting_decline']);

    // Someone not invited (the PPT's focal point) clicks it: refused, nothing recorded.
    const pa = person('PA');
    const refused = await post(click(pa, invitation.id, 'meeting_attend', actions[0]!.data));
    expect(refused.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t('es', 'meeting.response.not_invited') });

    const answered = await post(click(gt, invitation.id, 'meeting_attend', actions[0]!.data));
    expect(answered.status).toBe(200);
    expect(answered.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(answered.body.value)).toEqual([]);
    const texts = cardTexts(answered.body.value).join(' ');
    expect(texts).toContain(t('es', 'meeting.response.recorded_attend'));
    // The thanks: on the card, or right after it in the chat (the invoke's answer holds one card).
    const thanks = 'Queda registrado que asistirá';
    if (!texts.includes(thanks)) await waitFor(() => world.connector.activities(gt.conversationId).find((a) => cardTexts(cardOf(a)).join(' ').includes(thanks)), 'the thanks in the chat');
    expect(executeActions(answered.body.value).map((a) => a.verb)).toEqual(['meeting_attend', 'meeting_decline']);
    const rows = await w.db.query('SELECT person_id, segment, response FROM meeting_invitations');
    expect(rows.rows).toEqual([{ person_id: gt.email, segment: 'plenary', response: 'attend' }]);
  });

  it('pendientes: the duties as a card with a table', { timeout: 60_000 }, async () => {
    const gt = person('GT');
    const duties = await type(gt, 'crm pendientes', (c) => cardTexts(c)[0] === t('es', 'duty.list.heading'));
    expect(cardProblems(cardOf(duties))).toEqual([]);
    expect(JSON.stringify(cardOf(duties))).toContain('"type":"Table"');
  });
});
