/**
 * One consultation that mixes Slack and Teams (issue 9, part 3), the bot started as a user starts it
 * (`node bin/start.mjs`) with both configured: a fresh PostgreSQL database, the fake Slack Web API, and the
 * local Microsoft world over HTTPS with real JWT validation both ways (test/helpers/teams-world.ts).
 *
 * The directory: the ST names BOTH a Slack channel and a Teams channel; Guatemala's and Honduras' focal
 * points are on Teams only; Costa Rica's first focal point has both ids and `reach: teams`; Mexico's first
 * focal point (Troika) has both ids and no `reach` (so Slack, the default). Everyone else is on Slack.
 *
 * What it proves:
 *   - each person is reached on their platform (the ones with both ids on their `reach` only);
 *   - every decision is recorded with the platform it was made on (`actor_platform`);
 *   - the ST's live status is one message per channel, updated in place on both, from the same content;
 *   - the digest reaches both ST channels with the same content: Slack's message metadata
 *     `crm_consultation_closed` and the Teams activity's entity carry the same reference, outcome and
 *     positions; each is followed by the record (a PDF on Slack, its card on Teams).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { blocksToText } from '../../../src/demo/block-text.ts';
import { t } from '../../../src/i18n/index.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { cardProblems, cardTexts, executeActions } from '../../helpers/adaptive-cards.ts';
import { ROOT } from '../../helpers/run-bin.ts';
import { APP_ID, TENANT_ID, startTeamsWorld, type TeamsWorld } from '../../helpers/teams-world.ts';
import { headerOf, mentions, startSlackWorld, waitFor, type Actor, type SlackWorld } from '../slack/harness.ts';
import { answer, troikaApproves } from '../slack/steps.ts';

const ST_TEAMS = '19:crm-secretaria-tecnica@thread.tacv2';

interface TeamsPerson {
  name: string;
  country: string;
  aad: string;
  userId: string;
  conversationId: string;
  locale: 'es' | 'en';
}

let world: TeamsWorld;
let w: SlackWorld;
let dir: string;
const onTeams: TeamsPerson[] = [];
/** Costa Rica's first focal point (both ids, reach: teams) and Mexico's (both ids, no reach). */
let crBoth: TeamsPerson;
let mxBoth: { slack: string; aad: string; userId: string; conversationId: string };

function mixedDirectory(): string {
  const doc = parse(readFileSync(join(ROOT, 'config/directory.example.yaml'), 'utf8')) as {
    secretariat: Record<string, unknown>;
    countries: { code: string; focalPoints: { name: string; slack?: string; teams?: string; reach?: string; locale?: string }[] }[];
  };
  doc.secretariat.teams = { channel: ST_TEAMS };
  const person = (code: string, fp: { name: string; teams?: string; locale?: string }): TeamsPerson => ({
    name: fp.name,
    country: code,
    aad: fp.teams!,
    userId: `29:1${fp.teams!.replace(/-/g, '')}`,
    conversationId: '',
    locale: (fp.locale as 'es' | 'en' | undefined) ?? 'es',
  });
  for (const c of doc.countries) {
    if (c.code === 'GT' || c.code === 'HN') {
      for (const fp of c.focalPoints) {
        delete fp.slack;
        fp.teams = randomUUID();
        onTeams.push(person(c.code, fp));
      }
    }
    if (c.code === 'CR') {
      const fp = c.focalPoints[0]!;
      fp.teams = randomUUID();
      fp.reach = 'teams';
      crBoth = person('CR', fp);
      onTeams.push(crBoth);
    }
    if (c.code === 'MX') {
      const fp = c.focalPoints[0]!;
      fp.teams = randomUUID();
      mxBoth = { slack: fp.slack!, aad: fp.teams, userId: `29:1${fp.teams.replace(/-/g, '')}`, conversationId: '' };
    }
  }
  return stringify(doc);
}

function installActivity(p: { userId: string; aad: string; conversationId: string; name?: string }): Record<string, unknown> {
  return {
    type: 'installationUpdate',
    action: 'add',
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: world.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: p.userId, aadObjectId: p.aad, name: p.name ?? 'CRM' },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, source: { name: 'message' } },
    locale: 'es-419',
  };
}

function clickActivity(p: TeamsPerson, replyToId: string, verb: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: world.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: p.userId, aadObjectId: p.aad, name: p.name },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    replyToId,
    locale: 'es-419',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

const signed = () => `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl })}`;

async function postTeams(activity: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${w.bot.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: signed() },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const cardOf = (a: { activity: Record<string, unknown> }) => (a.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content;

beforeAll(async () => {
  world = await startTeamsWorld();
  dir = await mkdtemp(join(tmpdir(), 'crm-mixed-e2e-'));
  const directory = join(dir, 'directory.yaml');
  await writeFile(directory, mixedDirectory());
  world.connector.addChannel(ST_TEAMS);
  for (const p of [...onTeams, mxBoth]) {
    p.conversationId = world.connector.conversationOf(p.userId);
    world.connector.install(p.userId, { tenantId: TENANT_ID, aadObjectId: p.aad });
  }
  w = await startSlackWorld(import.meta.url, { env: { ...world.env, NODE_EXTRA_CA_CERTS: world.tls.caFile, CRM_DIRECTORY: directory } });
  // Everyone with a Teams id installed the app (Mexico's focal point too: installed, yet reached on Slack).
  for (const p of [...onTeams, mxBoth]) expect((await postTeams(installActivity(p))).status).toBe(200);
  await waitFor(async () => Number((await w.db.query<{ n: string }>('SELECT count(*) AS n FROM teams_users')).rows[0]!.n) === onTeams.length + 1, 'every install stored');
}, 240_000);

afterAll(async () => {
  await w?.stop();
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('a consultation mixing Slack and Teams, with the ST on both', () => {
  it('each person on their platform, every decision recorded with its platform, the ST status and digest identical on both channels', { timeout: 600_000 }, async () => {
    const title = 'E2E mixta · protocolo regional de retorno asistido';
    const { ref, id } = await w.startConsultation(w.people.ppt, {
      title,
      proposal: 'La CRM adopta el protocolo regional de retorno asistido y encarga a la Secretaría Técnica su difusión.',
      days: 5,
    });
    // The Troika (MX, SV) approves on Slack: Mexico's focal point has both ids and no reach, so Slack.
    await troikaApproves(w, ref);
    const heading = (p: { locale: 'es' | 'en' }) => t(p.locale, 'member_request.heading', { reference: ref });

    // Teams focal points get their member card on Teams; Costa Rica's first (reach: teams) too, not on Slack.
    const cards = new Map<TeamsPerson, { id: string; card: unknown }>();
    for (const p of onTeams) {
      const a = await waitFor(() => world.connector.activities(p.conversationId).find((x) => cardTexts(cardOf(x))[0] === heading(p)), `the member card of ${p.name} on Teams`);
      expect(cardProblems(cardOf(a))).toEqual([]);
      cards.set(p, { id: a.id, card: cardOf(a) });
    }
    const crSlack = w.people.firstOf.CR!;
    expect(crSlack.name).toBe(crBoth.name);
    // Costa Rica's second focal point (Slack only) got hers on Slack: by then every card was written.
    const crSecond = w.people.focalPointsOf.CR![1]!;
    await w.cardFor(crSecond, ref, 'position_support');
    expect(w.dmsOf(crSlack.slack, ref)).toEqual([]);
    expect(w.callsToUser('chat.postMessage', crSlack.slack)).toEqual([]);
    // Mexico's first focal point: Slack only, nothing in the Teams chat but the welcome card.
    expect(w.dmsOf(mxBoth.slack, ref).length).toBeGreaterThan(0);
    expect(world.connector.activities(mxBoth.conversationId).filter((a) => JSON.stringify(a.activity).includes(ref))).toEqual([]);

    // Teams: Guatemala supports, Costa Rica (its first focal point) supports, Honduras objects with a reason.
    const click = async (p: TeamsPerson, verb: string, extra: Record<string, unknown> = {}) => {
      const { id: cardId, card } = cards.get(p)!;
      const action = executeActions(card).find((a) => a.verb === verb)!;
      const res = await postTeams(clickActivity(p, cardId, verb, { ...(action.data as Record<string, unknown>), ...extra }));
      expect(res.status).toBe(200);
      expect(cardProblems(res.body.value)).toEqual([]);
      return res.body.value;
    };
    const firstOnTeams = (code: string) => onTeams.find((p) => p.country === code)!;
    await click(firstOnTeams('GT'), 'position_support');
    await click(crBoth, 'position_support');
    const hn = firstOnTeams('HN');
    const reasonCard = await click(hn, 'position_object');
    const submit = executeActions(reasonCard).find((a) => a.verb === 'reason')!;
    const reason = 'El texto no refleja la posición de nuestro gobierno sobre el retorno.';
    const res = await postTeams(clickActivity(hn, cards.get(hn)!.id, 'reason', { ...(submit.data as Record<string, unknown>), reason }));
    expect(res.status).toBe(200);

    // Slack: every other Member Country; Belize abstains.
    const onSlack: Actor[] = w.people.memberCodes.filter((c) => !['GT', 'HN', 'CR'].includes(c)).map((c) => w.people.firstOf[c]!);
    for (const who of onSlack) await answer(w, who, ref, who.country === 'BZ' ? 'abstain' : 'support');

    // Every Member Country answered: it closes early, with no consensus (Honduras objected).
    await waitFor(async () => (await w.consultation(ref))?.stage === 'closed', `${ref} closed`);
    expect((await w.consultation(ref))!.outcome).toBe('no_consensus');
    const recorded = await w.db.query<{ country: string; position: string; actor_platform: string }>(
      "SELECT payload->>'country' AS country, payload->>'position' AS position, actor_platform FROM consultation_events WHERE consultation_id = $1 AND type = 'position_recorded' ORDER BY seq",
      [id],
    );
    const platformOf = Object.fromEntries(recorded.rows.map((r) => [r.country, `${r.position}@${r.actor_platform}`]));
    expect(platformOf).toEqual({
      GT: 'support@teams',
      CR: 'support@teams',
      HN: 'object@teams',
      ...Object.fromEntries(onSlack.map((a) => [a.country!, `${a.country === 'BZ' ? 'abstain' : 'support'}@slack`])),
    });
    const troika = await w.db.query("SELECT DISTINCT actor_platform FROM consultation_events WHERE consultation_id = $1 AND type IN ('consultation_started', 'sent_to_troika', 'troika_reacted')", [id]);
    expect(troika.rows).toEqual([{ actor_platform: 'slack' }]);

    const outbox = await w.outboxSettled(id);
    expect(outbox.filter((r) => r.status === 'dead')).toEqual([]);

    // The ST's live status: per decision, one row per channel with the same message, all sent.
    const statusRows = await w.db.query<{ dedupe_key: string; platform: string; payload: NeutralMessage; status: string }>(
      "SELECT dedupe_key, platform, payload, status FROM outbox WHERE consultation_id = $1 AND kind = 'status' AND recipient->>'kind' = 'secretariat_channel' ORDER BY created_at, dedupe_key",
      [id],
    );
    const bySeq = new Map<string, Record<string, NeutralMessage>>();
    for (const r of statusRows.rows) {
      expect(r.status).toBe('sent');
      const seq = r.dedupe_key.split(':status:')[0]!;
      bySeq.set(seq, { ...bySeq.get(seq), [r.platform]: r.payload });
    }
    expect(bySeq.size).toBeGreaterThan(10);
    for (const [seq, rows] of bySeq) {
      expect(Object.keys(rows).sort(), `status rows of ${seq}`).toEqual(['slack', 'teams']);
      expect(rows.teams).toEqual(rows.slack);
    }
    const finalStatus = [...bySeq.values()].at(-1)!.slack!;
    const statusHeading = `${ref} · ${title}`;
    // Slack: one status message in the ST channel, updated in place; Teams: one status activity, PUT in place.
    const slackStatus = w.slack.messages(w.people.stChannel).filter((m) => headerOf(m) === statusHeading);
    expect(slackStatus).toHaveLength(1);
    // Updated in place at least once (a burst of answers is coalesced into one update per interval: how many
    // depends on the machine's speed); what it shows at the end is checked below.
    expect(w.slack.callsOf('chat.update').filter((c) => c.args.channel === w.people.stChannel && c.args.ts === slackStatus[0]!.ts).length).toBeGreaterThan(0);
    const teamsStatus = world.connector.activities(ST_TEAMS).filter((a) => cardTexts(cardOf(a))[0] === statusHeading);
    expect(teamsStatus).toHaveLength(1);
    expect(teamsStatus[0]!.updates).toBeGreaterThan(0);
    expect(cardProblems(cardOf(teamsStatus[0]!))).toEqual([]);
    // Both show the final state: every field and table cell of the last status.
    const slackText = blocksToText(slackStatus[0]!.blocks, { width: 100_000 });
    const teamsText = cardTexts(cardOf(teamsStatus[0]!)).join('\n');
    const shown = [...finalStatus.fields.flatMap((f) => [f.label, f.value]), ...(finalStatus.table?.rows.flat().filter(Boolean) ?? [])];
    expect(shown).toContain(t('es', 'stage.closed'));
    for (const s of shown) {
      expect(slackText, `Slack status shows "${s}"`).toContain(s);
      expect(teamsText, `Teams status shows "${s}"`).toContain(s);
    }

    // The digest: once on each channel, the same values in Slack's metadata and the Teams entity.
    const slackDigest = await waitFor(() => w.digest(ref), 'the Slack digest');
    expect(w.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === w.people.stChannel && (c.args.metadata as { event_type?: string } | undefined)?.event_type === 'crm_consultation_closed' && mentions(c.args as { blocks?: unknown[] }, ref))).toHaveLength(1);
    const metadata = slackDigest.args.metadata as { event_type: string; event_payload: Record<string, unknown> };
    const teamsDigests = world.connector
      .activities(ST_TEAMS)
      .filter((a) => (a.activity.entities as { type?: string; reference?: string }[] | undefined)?.some((e) => e.type === 'crm_consultation_closed' && e.reference === ref));
    expect(teamsDigests).toHaveLength(1);
    const entity = (teamsDigests[0]!.activity.entities as Record<string, unknown>[]).find((e) => e.type === 'crm_consultation_closed')!;
    expect(entity).toEqual({ type: 'crm_consultation_closed', ...metadata.event_payload });
    expect(metadata.event_payload).toEqual({
      reference: ref,
      outcome: 'no_consensus',
      positions: Object.fromEntries(w.people.memberCodes.map((c) => [c, c === 'HN' ? 'object' : c === 'BZ' ? 'abstain' : 'support'])),
    });
    expect(cardProblems(cardOf(teamsDigests[0]!))).toEqual([]);
    const digestTexts = cardTexts(cardOf(teamsDigests[0]!)).join('\n');
    const slackDigestText = blocksToText(slackDigest.args.blocks, { width: 100_000 });
    for (const s of [t('es', 'digest.heading', { reference: ref }), t('es', 'outcome.no_consensus'), reason, hn.name]) {
      expect(digestTexts).toContain(s);
      expect(slackDigestText).toContain(s);
    }
    const digestRows = await w.db.query<{ platform: string; payload: NeutralMessage }>(
      "SELECT platform, payload FROM outbox WHERE consultation_id = $1 AND kind = 'digest' ORDER BY platform",
      [id],
    );
    expect(digestRows.rows.map((r) => r.platform)).toEqual(['slack', 'teams']);
    expect(digestRows.rows[1]!.payload).toEqual(digestRows.rows[0]!.payload);

    // The record after the digest: the PDF shared in the Slack channel, its card (naming the CLI command) on Teams.
    const filename = `${ref}-registro-record.pdf`;
    await waitFor(() => w.slack.callsOf('files.completeUploadExternal').find((c) => c.args.channel_id === w.people.stChannel && JSON.stringify(c.args).includes(ref)), 'the record PDF in the Slack ST channel');
    const recordCard = await waitFor(
      () => world.connector.activities(ST_TEAMS).find((a) => cardTexts(cardOf(a))[0] === t('es', 'record.attached.heading', { reference: ref })),
      'the record card in the Teams ST channel',
    );
    // Teams cannot take the file: the card says so (never "attached") and names the command that writes it.
    expect(cardTexts(cardOf(recordCard)).join('\n')).toContain(t('es', 'record.not_attached.body', { reference: ref }));
    expect(cardTexts(cardOf(recordCard)).join('\n')).toContain(filename);
    const order = world.connector.activities(ST_TEAMS).map((a) => a.id);
    expect(order.indexOf(recordCard.id)).toBeGreaterThan(order.indexOf(teamsDigests[0]!.id));

    // The result notice reaches each focal point on their own platform: the Teams people in Teams.
    for (const p of onTeams) {
      await waitFor(() => world.connector.activities(p.conversationId).find((a) => cardTexts(cardOf(a))[0] === t(p.locale, 'result.heading', { reference: ref })), `the result notice of ${p.name} on Teams`);
    }
    expect(w.dmsOf(crSlack.slack, ref)).toEqual([]);
  });
});
