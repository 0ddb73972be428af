/**
 * A body of 193 Member Countries and 600 focal points (issue 14), through the real flows on a real
 * PostgreSQL: the PPT starts, the Troika (previous, current and next presidency) approves, the text
 * circulates to every focal point, every country answers, the consultation closes early. Then every kind
 * of message the bot wrote is rendered for the platform it goes to and checked against that platform's
 * limits (Slack: 50 blocks, 3,000 characters a section, 150 a header; Teams: a 28 KB card the official
 * Adaptive Cards parser accepts), and what the ST reads is a summary, not 193 rows.
 *
 * The worst cases too: every country objecting with a reason of the longest length allowed, in the
 * 193-member body and in the CRM's own eleven.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../../src/adapters/slack/render.ts';
import { renderActivity } from '../../../src/adapters/teams/render.ts';
import { LIMITS, type ConsultationState, type Position } from '../../../src/domain/types.ts';
import type { Directory, Person } from '../../../src/directory/model.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { MESSAGE_LISTS } from '../../../src/flows/messages/common.ts';
import { identify } from '../../../src/flows/people.ts';
import { troikaAt } from '../../../src/directory/presidency.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { cardProblems } from '../../helpers/adaptive-cards.ts';
import { bigDirectory } from '../../helpers/big-directory.ts';
import { exampleDirectory, importLive, openTestEngine, outboxOf, type OutboxRow, type TestEngine } from '../../helpers/engine.ts';
import { expectOk, Keys } from './scenario.ts';

const big = bigDirectory({ members: 193, focalPoints: 600, today: '2026-12-01' });

function actorOf(directory: Directory, p: Person) {
  const who = p.slack ? { platform: 'slack' as const, userId: p.slack } : { platform: 'teams' as const, userId: p.teams! };
  const a = identify(directory, who);
  if (!a) throw new Error(`unknown ${p.id}`);
  return a;
}
const firstFp = (directory: Directory, code: string) => directory.countries.find((c) => c.code === code)!.focalPoints[0]!;

/** Every text a Block Kit message shows, with the kind of block holding it. */
function slackTexts(blocks: unknown[]): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const b of blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text?: unknown }[] }[]) {
    if (b.text) out.push({ where: b.type, text: b.text.text });
    for (const f of b.fields ?? []) out.push({ where: `${b.type}.field`, text: f.text });
    for (const e of b.elements ?? []) if (typeof e.text === 'string') out.push({ where: `${b.type}.element`, text: e.text });
  }
  return out;
}

/** The PPT starts, the Troika approves, each country answers `answer(i)`: the closed state. */
async function runConsultation(engine: TestEngine, directory: Directory, answer: (i: number, code: string) => { position: Position; reason?: string }): Promise<ConsultationState> {
  const keys = new Keys();
  const ppt = troikaAt(directory.presidencies, '2026-12-01')!.current;
  const s = await startConsultation(engine.deps, {
    key: keys.next('start'),
    actor: actorOf(directory, firstFp(directory, ppt)),
    title: 'Posición común',
    text: 'Texto de la propuesta.',
    deadline: { kind: 'business_days', days: 5 },
  });
  expectOk(s);
  let state = s.state;
  expect(state.troika?.countries).toHaveLength(3);
  for (const code of state.troika!.countries.filter((c) => c !== ppt)) {
    const r = await reactTroika(engine.deps, { key: keys.next(`troika:${code}`), actor: actorOf(directory, firstFp(directory, code)), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
    expectOk(r);
    state = r.state;
  }
  expect(state.stage).toBe('member_consultation');
  for (const [i, m] of state.participants.members.entries()) {
    engine.clock.advance(60_000);
    const a = answer(i, m.code);
    const r = await recordPosition(engine.deps, {
      key: keys.next(`position:${m.code}`),
      actor: actorOf(directory, firstFp(directory, m.code)),
      consultationId: state.consultationId,
      version: state.currentVersion,
      position: a.position,
      ...(a.reason ? { reason: a.reason } : {}),
    });
    expectOk(r);
    state = r.state;
  }
  expect(state.stage).toBe('closed');
  return state;
}

/** The latest row of each kind of message per language and kind of recipient. */
function latestOfEachKind(rows: readonly OutboxRow[]): OutboxRow[] {
  const last = new Map<string, OutboxRow>();
  for (const row of rows) {
    if (row.kind === 'record') continue;
    const m = row.payload as unknown as NeutralMessage;
    last.set(`${row.kind}:${m.locale}:${row.recipient.kind}`, row);
  }
  return [...last.values()];
}

/** Every limit problem of these rows, rendered for Slack and for Teams alike (anyone may be on either). */
function limitProblems(rows: readonly OutboxRow[]): string[] {
  const problems: string[] = [];
  for (const row of rows) {
    const m = row.payload as unknown as NeutralMessage;
    const label = `${row.kind} on ${row.platform} to ${row.recipient.kind} (${m.locale})`;
    {
      try {
        const out = renderMessage(m);
        if (out.blocks.length > 50) problems.push(`${label}: ${out.blocks.length} Slack blocks`);
        for (const { where, text } of slackTexts(out.blocks)) {
          if (text.length > (where === 'header' ? 150 : 3000)) problems.push(`${label}: a Slack ${where} of ${text.length} characters`);
        }
      } catch (e) {
        problems.push(`${label}: Slack: ${(e as Error).message}`);
      }
    }
    {
      try {
        const card = renderActivity(m).attachments[0]!.content;
        const size = Buffer.byteLength(JSON.stringify(card));
        if (size > 28_000) problems.push(`${label}: a Teams card of ${size} bytes`);
        for (const p of cardProblems(card)) problems.push(`${label}: ${p}`);
      } catch (e) {
        problems.push(`${label}: Teams: ${(e as Error).message}`);
      }
    }
  }
  return problems;
}

const longReason = (code: string) => `${code}: ${'El párrafo operativo no refleja la posición de nuestro Gobierno. '.repeat(40)}`.slice(0, LIMITS.reasonMax);

describe('a 193-member body, 600 focal points', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await openTestEngine('postgres', import.meta.url, { directory: big.directory, now: '2026-12-01T15:00:00.000Z' });
  }, 120_000);
  afterAll(async () => {
    await engine?.dispose();
  });

  it('runs a whole consultation; every message fits its platform; the ST reads counts and the objections, not 193 rows', async () => {
    const positions: Position[] = ['support', 'support', 'support', 'abstain', 'support', 'object'];
    const state = await runConsultation(engine, big.directory, (i, code) => {
      const position = positions[i % positions.length]!;
      return position === 'object' ? { position, reason: `Objeción de ${code}: el párrafo 2 no refleja nuestra posición.` } : { position };
    });
    expect(state.outcome).toBe('no_consensus');
    expect(Object.keys(state.positions)).toHaveLength(193);

    const rows = await outboxOf(engine, state.consultationId);
    const reached = new Set(rows.filter((r) => r.kind === 'member_request' && r.recipient.kind === 'person').map((r) => (r.recipient as { personId: string }).personId));
    expect(reached.size).toBe(600);
    expect(limitProblems(latestOfEachKind(rows))).toEqual([]);

    // The digest to the ST: the counts, the objections only in its table (20 of 32), and the record has every row.
    const digest = rows.find((r) => r.kind === 'digest' && r.platform === 'slack')!.payload as unknown as NeutralMessage;
    expect(digest.body).toContain('Apoyan: 129 · Objetan: 32 · Se abstienen: 32 · Sin respuesta: 0');
    expect(digest.table?.rows).toHaveLength(MESSAGE_LISTS.OBJECTIONS_SHOWN);
    expect(digest.table?.rows.every((row) => row[1] === 'Objeta')).toBe(true);
    expect(digest.body.some((b) => b.startsWith('12 objeciones más'))).toBe(true);
    expect(digest.body.some((b) => b.startsWith('Con 193 Países Miembros, la tabla muestra solo las objeciones'))).toBe(true);
    expect(rows.some((r) => r.kind === 'record')).toBe(true);

    // The live status while the member stage ran: who is missing, cut at 40 names "y N más".
    const midway = rows.filter((r) => r.kind === 'status' && r.recipient.kind === 'secretariat_channel' && r.platform === 'slack')
      .map((r) => r.payload as unknown as NeutralMessage)
      .find((m) => m.fields.some((f) => f.label === 'Sin respuesta' && / y 1\d\d más$/.test(f.value)));
    expect(midway, 'a status with more than 100 countries missing').toBeDefined();

    // A result notice names 40 supporters, then says how many more.
    const notice = rows.find((r) => r.kind === 'result_notice' && (r.payload as { locale: string }).locale === 'en')!.payload as unknown as NeutralMessage;
    const supporters = notice.body.find((b) => b.startsWith('Supporting: Federal Republic'));
    expect(supporters).toMatch(/ and 89 more\.$/);
    expect(supporters!.split(', ')).toHaveLength(MESSAGE_LISTS.NAMES_SHOWN);
  }, 600_000);

  it('every country objecting with the longest reason allowed: still within every limit, the rest said to be in the record', async () => {
    const state = await runConsultation(engine, big.directory, (_i, code) => ({ position: 'object', reason: longReason(code) }));
    const rows = await outboxOf(engine, state.consultationId);
    expect(limitProblems(latestOfEachKind(rows))).toEqual([]);
    const notice = rows.find((r) => r.kind === 'result_notice' && (r.payload as { locale: string }).locale === 'es')!.payload as unknown as NeutralMessage;
    expect(notice.body).toContain('173 objeciones más: sus motivos constan en el acta de la consulta, que conserva la Secretaría Técnica.');
    expect(notice.body.some((b) => b.startsWith('Los motivos extensos se abrevian aquí'))).toBe(true);
  }, 600_000);
});

describe("the CRM's eleven, every one objecting with the longest reason allowed", () => {
  let engine: TestEngine;
  let crm: Directory;
  beforeAll(async () => {
    crm = await exampleDirectory();
    engine = await openTestEngine('postgres', `${import.meta.url}#crm`, { now: '2026-12-01T15:00:00.000Z' });
    await importLive(engine, crm);
  }, 120_000);
  afterAll(async () => {
    await engine?.dispose();
  });

  it('nothing is cut: every message fits, each objection is named with its whole reason, one row per country in the digest', async () => {
    const state = await runConsultation(engine, crm, (_i, code) => ({ position: 'object', reason: longReason(code) }));
    const rows = await outboxOf(engine, state.consultationId);
    expect(limitProblems(latestOfEachKind(rows))).toEqual([]);
    const notice = rows.find((r) => r.kind === 'result_notice' && (r.payload as { locale: string }).locale === 'es')!.payload as unknown as NeutralMessage;
    const objections = notice.body.filter((b) => b.startsWith('Objeción de '));
    expect(objections).toHaveLength(11);
    for (const [i, m] of state.participants.members.entries()) expect(objections[i]).toContain(longReason(m.code));
    expect(notice.body.some((b) => b.includes('objeciones más') || b.startsWith('Los motivos extensos'))).toBe(false);
    const digest = rows.find((r) => r.kind === 'digest')!.payload as unknown as NeutralMessage;
    expect(digest.table?.rows).toHaveLength(11);
  }, 600_000);
});
