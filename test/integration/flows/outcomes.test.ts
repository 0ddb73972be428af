/**
 * Every other way a consultation ends, through the flows on a real database: no consensus, incomplete at
 * the deadline, the silence rule, not endorsed by the Troika, changes requested → revised → approved,
 * withdrawn, extended (and the stale close job of the old deadline).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConsultationState, Position } from '../../../src/domain/types.ts';
import {
  closeAtDeadline,
  extend,
  reactTroika,
  recordPosition,
  revise,
  startConsultation,
  withdraw,
} from '../../../src/flows/consultation-flows.ts';
import type { FlowResult } from '../../../src/flows/execute.ts';
import { BACKENDS } from '../../helpers/db.ts';
import {
  commandLogOf,
  DECEMBER_2026,
  expectLogMatchesSnapshot,
  focalPointIds,
  outboxOf,
  recipientsOf,
  slackActor,
  type TestEngine,
  openTestEngine,
} from '../../helpers/engine.ts';
import { expectOk, expectRefused, fp1, Keys, MEMBERS, openMemberStage, SLACK, startByPpt, type Started } from './scenario.ts';

/** Opened at DECEMBER_2026 (Tue 1 Dec, 09:00 CR): deadline end of Tue 8 Dec in San José. */
const DEADLINE_1 = '2026-12-09T05:59:59.000Z';

describe.each(BACKENDS)('consultation outcomes through the flows on %s', (backend) => {
  let engine: TestEngine;
  let keys: Keys;
  beforeAll(async () => {
    engine = await openTestEngine(backend, import.meta.url);
  });
  afterAll(async () => {
    await engine?.dispose();
  });
  beforeEach(() => {
    engine.clock.set(DECEMBER_2026);
    keys = new Keys();
  });

  const answer = (s: Started, slack: string, position: Position, over: { reason?: string; version?: string; country?: string } = {}) =>
    recordPosition(engine.deps, {
      key: keys.next(`position:${slack}`),
      actor: slackActor(engine, slack),
      consultationId: s.id,
      position,
      version: over.version ?? s.state.currentVersion,
      ...(over.reason !== undefined ? { reason: over.reason } : {}),
      ...(over.country !== undefined ? { country: over.country } : {}),
    });

  async function answerAll(s: Started, positions: Partial<Record<string, Position>>): Promise<FlowResult[]> {
    const out: FlowResult[] = [];
    for (const [c, p] of Object.entries(positions)) {
      engine.clock.advance(60_000);
      const r = await answer(s, fp1(c), p!, p === 'object' ? { reason: `Objeción de ${c}` } : {});
      expectOk(r);
      out.push(r);
    }
    return out;
  }

  async function snapshotOf(id: string): Promise<ConsultationState> {
    return (await engine.consultations.load(id))!.snapshot as ConsultationState;
  }

  async function counts(id: string) {
    const [events, outbox, commands] = await Promise.all([
      engine.db.prisma.consultationEvent.count({ where: { consultationId: id } }),
      engine.db.prisma.outboxMessage.count({ where: { consultationId: id } }),
      engine.db.prisma.commandLog.count({ where: { consultationId: id } }),
    ]);
    return { events, outbox, commands, version: (await engine.consultations.load(id))!.version };
  }

  async function digestOf(id: string) {
    const digests = (await outboxOf(engine, id)).filter((r) => r.kind === 'digest');
    expect(digests).toHaveLength(1);
    return digests[0]!;
  }

  it('no consensus: one objection with its reason; an objection without a reason is refused', async () => {
    const s = await openMemberStage(engine, keys);
    expect(s.state.deadline).toBe(DEADLINE_1);
    expectRefused(await answer(s, fp1('GT'), 'object'), 'reason_required');
    const positions = Object.fromEntries(MEMBERS.map((c) => [c, c === 'GT' ? 'object' : 'support'])) as Record<string, Position>;
    const results = await answerAll(s, positions);
    const last = results.at(-1)!;
    expectOk(last);
    expect(last.state).toMatchObject({ stage: 'closed', outcome: 'no_consensus', closeReason: 'all_answered' });
    expect(last.state.positions['GT']).toMatchObject({ position: 'object', reason: 'Objeción de GT' });
    const d = await digestOf(s.id);
    expect(d.payload.metadata?.payload).toEqual({ reference: s.state.reference, outcome: 'no_consensus', positions });
    expect(JSON.stringify(d.payload['table'])).toContain('Objeción de GT');
    await expectLogMatchesSnapshot(engine, s.id);
  });

  it('incomplete at the deadline: answers until the last millisecond, then the close job', async () => {
    const s = await openMemberStage(engine, keys);
    await answerAll(s, { BZ: 'support', CA: 'support', CR: 'abstain' });
    engine.clock.set(new Date(Date.parse(DEADLINE_1) - 1));
    expectOk(await answer(s, fp1('DO'), 'support'));
    engine.clock.set(DEADLINE_1);
    expectRefused(await answer(s, fp1('GT'), 'support'), 'deadline_passed');

    engine.clock.set(new Date(Date.parse(DEADLINE_1) + 1_000));
    const closed = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 });
    expectOk(closed);
    expect(closed.state).toMatchObject({ stage: 'closed', outcome: 'incomplete', closeReason: 'deadline' });
    expect(closed.events).toMatchObject([{ type: 'consultation_closed', actor: { personId: 'system', role: 'system' } }]);
    const missing = MEMBERS.filter((c) => !['BZ', 'CA', 'CR', 'DO'].includes(c));
    expect(closed.events[0]).toMatchObject({ missing, reason: 'deadline', outcome: 'incomplete' });
    const d = await digestOf(s.id);
    expect(d.payload.metadata?.payload['outcome']).toBe('incomplete');
    expect(d.payload.metadata?.payload['positions']).toMatchObject({ BZ: 'support', CR: 'abstain', GT: 'none', US: 'none' });
    expect(recipientsOf(await outboxOf(engine, s.id), 'result_notice')).toEqual(focalPointIds(engine.directory.current()));

    // The job delivered twice (a retry) changes nothing.
    const before = await counts(s.id);
    const again = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 });
    expect(again).toMatchObject({ ok: true, duplicate: true, events: [] });
    expect(await counts(s.id)).toEqual(before);
    await expectLogMatchesSnapshot(engine, s.id);
  });

  it('a close job that fires before the deadline (clock skew) can still close when it runs again', async () => {
    const s = await openMemberStage(engine, keys);
    engine.clock.set(new Date(Date.parse(DEADLINE_1) - 500));
    expectRefused(await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 }), 'deadline_not_reached');
    expect((await snapshotOf(s.id)).stage).toBe('member_consultation');
    engine.clock.set(DEADLINE_1);
    const closed = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 });
    expectOk(closed);
    expect(closed.duplicate).toBe(false);
    expect(closed.state).toMatchObject({ stage: 'closed', outcome: 'incomplete', closeReason: 'deadline' });
    // The early attempt is still in the audit.
    const log = await commandLogOf(engine, { consultationId: s.id });
    expect(log.filter((l) => l.type === 'close').map((l) => l.status).sort()).toEqual(['applied', 'refused']);
    await expectLogMatchesSnapshot(engine, s.id);
  });

  it('silence rule: missing answers count as no objection → consensus at the deadline', async () => {
    const s = await openMemberStage(engine, keys, { rule: 'silence' });
    await answerAll(s, { MX: 'support', PA: 'support', HN: 'abstain' });
    engine.clock.set(new Date(Date.parse(DEADLINE_1) + 60_000));
    const closed = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 });
    expectOk(closed);
    expect(closed.state).toMatchObject({ stage: 'closed', outcome: 'consensus', rule: 'silence', closeReason: 'deadline' });
    expect(closed.events[0]).toMatchObject({ missing: MEMBERS.filter((c) => !['MX', 'PA', 'HN'].includes(c)) });
    expect((await digestOf(s.id)).payload.metadata?.payload).toMatchObject({ outcome: 'consensus', positions: { MX: 'support', HN: 'abstain', BZ: 'none' } });
    await expectLogMatchesSnapshot(engine, s.id);

    // …and one objection breaks the silence.
    engine.clock.set(DECEMBER_2026);
    const s2 = await openMemberStage(engine, keys, { rule: 'silence' });
    await answerAll(s2, { MX: 'support', US: 'object' });
    engine.clock.set(new Date(Date.parse(DEADLINE_1) + 60_000));
    const broken = await closeAtDeadline(engine.deps, { consultationId: s2.id, deadlineVersion: 1 });
    expectOk(broken);
    expect(broken.state.outcome).toBe('no_consensus');
  });

  it('not endorsed: a Troika objection ends it; the PPT may resend it as a new consultation', async () => {
    const s = await startByPpt(engine, keys);
    const mx = await reactTroika(engine.deps, {
      key: keys.next('troika:mx'),
      actor: slackActor(engine, SLACK.mx),
      consultationId: s.id,
      version: s.state.currentVersion,
      reaction: 'approve',
    });
    expectOk(mx);
    expectRefused(
      await reactTroika(engine.deps, { key: keys.next('troika:sv-noreason'), actor: slackActor(engine, SLACK.sv), consultationId: s.id, version: s.state.currentVersion, reaction: 'object' }),
      'reason_required',
    );
    const sv = await reactTroika(engine.deps, {
      key: keys.next('troika:sv'),
      actor: slackActor(engine, SLACK.sv),
      consultationId: s.id,
      version: s.state.currentVersion,
      reaction: 'object',
      reason: 'No es urgente: que lo vea la Reunión Viceministerial.',
    });
    expectOk(sv);
    expect(sv.events.map((e) => e.type)).toEqual(['troika_reacted', 'consultation_not_endorsed']);
    expect(sv.state).toMatchObject({ stage: 'not_endorsed', outcome: 'not_endorsed', endReason: 'No es urgente: que lo vea la Reunión Viceministerial.' });
    expect(sv.state.circulatedAt).toBeUndefined();

    const rows = await outboxOf(engine, s.id);
    const dir = engine.directory.current();
    expect(recipientsOf(rows, 'member_request')).toEqual([]);
    // Only the Troika (the PPT included) and the ST hear of a text that never reached the members.
    expect(recipientsOf(rows, 'result_notice')).toEqual(focalPointIds(dir, ['MX', 'PA', 'SV']));
    const notices = rows.filter((r) => r.kind === 'result_notice');
    for (const n of notices) {
      const body = (n.payload['body'] as string[]).join('\n');
      expect(body).toContain('El Salvador la objetó');
      expect(body).toContain('Motivo: No es urgente: que lo vea la Reunión Viceministerial.');
      const ppt = focalPointIds(dir, ['PA']).includes((n.recipient as { personId: string }).personId);
      expect(body.includes(`/crm revisar ${s.state.reference}`), `resend hint for ${(n.recipient as { personId: string }).personId}`).toBe(ppt);
    }
    const d = await digestOf(s.id);
    expect(d.payload.metadata?.payload).toMatchObject({ reference: s.state.reference, outcome: 'not_endorsed' });
    // The metadata still maps every member to none (interfaces.md), but the digest lists no one as "no answer".
    expect(d.payload['table']).toBeUndefined();
    expect(JSON.stringify(d.payload['body'])).not.toContain('Sin respuesta:');
    // Nothing more can happen to it.
    expectRefused(
      await reactTroika(engine.deps, { key: keys.next('troika:late'), actor: slackActor(engine, SLACK.mx), consultationId: s.id, version: s.state.currentVersion, reaction: 'approve' }),
      'consultation_closed',
    );
    await expectLogMatchesSnapshot(engine, s.id);

    // Resent as a new consultation that names the one it supersedes.
    const resent = await startConsultation(engine.deps, {
      key: keys.next('resend'),
      actor: slackActor(engine, SLACK.ppt),
      title: 'Posición concertada sobre movilidad laboral (rev.)',
      text: 'Texto revisado tras la reacción de la Troika.',
      deadline: { kind: 'business_days', days: 5 },
      supersedes: s.state.reference,
    });
    expectOk(resent);
    expect(resent.state).toMatchObject({ stage: 'troika_review', supersedes: s.state.reference });
    expect(resent.state.reference).not.toBe(s.state.reference);
    const bad = await startConsultation(engine.deps, {
      key: keys.next('resend-bad'),
      actor: slackActor(engine, SLACK.ppt),
      title: 't',
      text: 'x',
      deadline: { kind: 'business_days', days: 5 },
      supersedes: resent.state.reference,
    });
    expectRefused(bad, 'invalid_command');
  });

  it('changes requested → revised → approved: earlier approvals are void, stale clicks refused', async () => {
    const s = await startByPpt(engine, keys);
    const v1 = s.state.currentVersion;
    expectOk(await reactTroika(engine.deps, { key: keys.next('mx-v1'), actor: slackActor(engine, SLACK.mx), consultationId: s.id, version: v1, reaction: 'approve' }));
    const changes = await reactTroika(engine.deps, {
      key: keys.next('sv-v1'),
      actor: slackActor(engine, SLACK.sv),
      consultationId: s.id,
      version: v1,
      reaction: 'request_changes',
      reason: 'Precisar el alcance del párrafo 2.',
    });
    expectOk(changes);
    expect(changes.state.stage).toBe('troika_review');
    // The PPT's focal points and the ST channel hear it at once, with the reason.
    const feedback = (await outboxOf(engine, s.id)).filter((r) => r.kind === 'troika_feedback');
    expect(recipientsOf(feedback, 'troika_feedback')).toEqual(focalPointIds(engine.directory.current(), ['PA']));
    expect(feedback.filter((r) => r.recipient.kind === 'secretariat_channel')).toHaveLength(1);
    for (const f of feedback) expect((f.payload['body'] as string[]).join(' ')).toContain('Motivo: Precisar el alcance del párrafo 2.');

    // Only the PPT (or ST staff) may revise.
    expectRefused(await revise(engine.deps, { key: keys.next('rev-mx'), actor: slackActor(engine, SLACK.mx), consultationId: s.id, text: 'otro' }), 'not_authorized');
    engine.clock.advance(3_600_000);
    const revised = await revise(engine.deps, {
      key: keys.next('rev'),
      actor: slackActor(engine, SLACK.ppt2),
      consultationId: s.id,
      text: 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada, en el marco del párrafo 2 precisado.',
    });
    expectOk(revised);
    const v2 = revised.state.currentVersion;
    expect(v2).not.toBe(v1);
    expect(revised.state.versions.map((v) => v.number)).toEqual([1, 2]);
    // MX's approval of v1 is void: only the author's implicit approval of v2 stands.
    expect(Object.keys(revised.state.troikaReactions)).toEqual(['PA']);
    expect(revised.state.troikaReactions['PA']).toMatchObject({ implicit: true, version: v2 });
    expect(revised.state.troikaHistory.filter((h) => h.country === 'MX')).toMatchObject([{ reaction: 'approve', version: v1 }]);

    // The old button (v1) is refused as stale; the new one works.
    const stale = await reactTroika(engine.deps, { key: keys.next('mx-stale'), actor: slackActor(engine, SLACK.mx), consultationId: s.id, version: v1, reaction: 'approve' });
    expectRefused(stale, 'stale_version');
    expect(!stale.ok && stale.detail).toMatchObject({ current: v2, givenNumber: 1 });
    expectOk(await reactTroika(engine.deps, { key: keys.next('mx-v2'), actor: slackActor(engine, SLACK.mx2), consultationId: s.id, version: v2, reaction: 'approve' }));
    const opened = await reactTroika(engine.deps, { key: keys.next('sv-v2'), actor: slackActor(engine, SLACK.sv), consultationId: s.id, version: v2, reaction: 'approve' });
    expectOk(opened);
    expect(opened.state).toMatchObject({ stage: 'member_consultation', circulatedVersion: v2 });

    // The Troika was asked twice (v1, then v2 marked as revised); members got v2 only.
    const rows = await outboxOf(engine, s.id);
    const troikaFps = focalPointIds(engine.directory.current(), ['MX', 'SV']);
    const asked = rows.filter((r) => r.kind === 'troika_request' && r.payload['updateOnly'] !== true);
    expect(recipientsOf(asked, 'troika_request')).toEqual([...troikaFps, ...troikaFps].sort());
    // The v1 cards were closed in place when v2 went out (and the v2 cards when it circulated).
    const closed = rows.filter((r) => r.kind === 'troika_request' && r.payload['updateOnly'] === true && (r.payload['buttons'] as unknown[]).length === 0);
    expect(closed.filter((r) => String(r.payload['replaceKey']).endsWith(v1)).length).toBe(troikaFps.length);
    const members = rows.filter((r) => r.kind === 'member_request');
    expect(members.length).toBe(focalPointIds(engine.directory.current()).length);
    for (const m of members) expect(JSON.stringify(m.payload['buttons'])).toContain(v2);
    // A member answering the old version is refused too.
    expectRefused(await answer({ id: s.id, state: opened.state }, fp1('CR'), 'support', { version: v1 }), 'stale_version');
    await expectLogMatchesSnapshot(engine, s.id);
  });

  it('withdrawn: by the PPT with a reason; nobody else; nothing happens afterwards', async () => {
    const s = await openMemberStage(engine, keys);
    await answerAll(s, { CR: 'support' });
    expectRefused(await withdraw(engine.deps, { key: keys.next('wd-mx'), actor: slackActor(engine, SLACK.mx), consultationId: s.id }), 'not_authorized');
    const w = await withdraw(engine.deps, { key: keys.next('wd'), actor: slackActor(engine, SLACK.ppt2), consultationId: s.id, reason: 'Superado por los hechos.' });
    expectOk(w);
    expect(w.events).toMatchObject([{ type: 'consultation_withdrawn', fromStage: 'member_consultation', actor: { country: 'PA', role: 'focal_point' } }]);
    expect(w.state).toMatchObject({ stage: 'withdrawn', outcome: 'withdrawn', endReason: 'Superado por los hechos.' });
    expect((await digestOf(s.id)).payload.metadata?.payload).toMatchObject({ outcome: 'withdrawn', positions: { CR: 'support', MX: 'none' } });
    const rows = await outboxOf(engine, s.id);
    expect(recipientsOf(rows, 'result_notice')).toEqual(focalPointIds(engine.directory.current()));
    // Credited to the PPT's country (its focal point acted), with the reason.
    for (const n of rows.filter((r) => r.kind === 'result_notice' && r.payload.locale === 'es')) {
      expect((n.payload['body'] as string[]).slice(0, 2)).toEqual([
        `La propuesta «${s.state.title}» (${s.state.reference}) fue retirada por Panamá, en su calidad de Presidencia Pro Tempore.`,
        'Motivo: Superado por los hechos.',
      ]);
    }
    expectRefused(await answer(s, fp1('GT'), 'support'), 'consultation_closed');
    engine.clock.set('2026-12-31T00:00:00.000Z');
    expectRefused(await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 }), 'consultation_closed');
    await expectLogMatchesSnapshot(engine, s.id);

    // ST staff may withdraw too, also during the Troika review.
    engine.clock.set(DECEMBER_2026);
    const t = await startByPpt(engine, keys);
    const ws = await withdraw(engine.deps, { key: keys.next('wd-st'), actor: slackActor(engine, SLACK.staff), consultationId: t.id });
    expectOk(ws);
    expect(ws.events).toMatchObject([{ fromStage: 'troika_review', actor: { role: 'staff' } }]);
  });

  it('withdrawn before circulation, by the ST: only the Troika and the ST are told, credited to the ST', async () => {
    const s = await startByPpt(engine, keys);
    const w = await withdraw(engine.deps, { key: keys.next('wd-st2'), actor: slackActor(engine, SLACK.staff), consultationId: s.id, reason: 'La PPT lo presentará en la próxima reunión' });
    expectOk(w);
    expect(w.events).toMatchObject([{ type: 'consultation_withdrawn', fromStage: 'troika_review', actor: { role: 'staff' } }]);
    const rows = await outboxOf(engine, s.id);
    const dir = engine.directory.current();
    expect(recipientsOf(rows, 'result_notice')).toEqual(focalPointIds(dir, ['MX', 'PA', 'SV']));
    for (const n of rows.filter((r) => r.kind === 'result_notice')) {
      const [by, reason] = n.payload['body'] as string[];
      expect(by).toMatch(n.payload.locale === 'es' ? /fue retirada por la Secretaría Técnica\.$/ : /was withdrawn by the Technical Secretariat\.$/);
      // The reason had no full stop: one is added, never two.
      expect(reason).toBe(n.payload.locale === 'es' ? 'Motivo: La PPT lo presentará en la próxima reunión.' : 'Reason: La PPT lo presentará en la próxima reunión.');
    }
    const d = await digestOf(s.id);
    expect(d.payload['table']).toBeUndefined();
    expect(d.payload['body']).toContain('Retirada por la Secretaría Técnica.');
  });

  it('extended: deadlineVersion bumps, everyone is told, the old deadline’s close job does nothing', async () => {
    const s = await openMemberStage(engine, keys);
    await answerAll(s, { BZ: 'support' });
    const staff = slackActor(engine, SLACK.staff2);
    expectRefused(
      await extend(engine.deps, { key: keys.next('ext-nojust'), actor: staff, consultationId: s.id, deadline: { kind: 'business_days', days: 10 }, justification: ' ' }),
      'justification_required',
    );
    expectRefused(
      await extend(engine.deps, { key: keys.next('ext-mx'), actor: slackActor(engine, SLACK.mx), consultationId: s.id, deadline: { kind: 'business_days', days: 10 }, justification: 'x' }),
      'not_authorized',
    );
    const ext = await extend(engine.deps, {
      key: keys.next('ext'),
      actor: staff,
      consultationId: s.id,
      deadline: { kind: 'business_days', days: 10 },
      justification: 'Varias cancillerías pidieron más tiempo.',
    });
    expectOk(ext);
    // Ten CR business days from the circulation day (Tue 1 Dec): Wed 2 … Tue 15 December.
    expect(ext.state).toMatchObject({ deadline: '2026-12-16T05:59:59.000Z', deadlineVersion: 2 });
    expect(ext.state.extensions).toMatchObject([{ from: DEADLINE_1, to: '2026-12-16T05:59:59.000Z', justification: 'Varias cancillerías pidieron más tiempo.' }]);
    expect(recipientsOf(await outboxOf(engine, s.id), 'extension_notice')).toEqual(focalPointIds(engine.directory.current()));

    // The close job planned for the old deadline fires: refused, nothing changes.
    engine.clock.set(new Date(Date.parse(DEADLINE_1) + 1_000));
    const before = await counts(s.id);
    const stale = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 });
    expectRefused(stale, 'deadline_not_reached');
    const after = await counts(s.id);
    expect(after).toEqual({ ...before, commands: before.commands + 1 });
    expect((await snapshotOf(s.id)).stage).toBe('member_consultation');
    // Members can still answer after the old deadline.
    expectOk(await answer(s, fp1('CA'), 'support'));

    // The new deadline's job closes it.
    engine.clock.set('2026-12-16T06:00:00.000Z');
    const closed = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 2 });
    expectOk(closed);
    expect(closed.state).toMatchObject({ stage: 'closed', outcome: 'incomplete', closeReason: 'deadline', deadlineVersion: 2 });
    const again = await closeAtDeadline(engine.deps, { consultationId: s.id, deadlineVersion: 1 });
    expect(again.ok && again.events.length > 0).toBe(false);
    await expectLogMatchesSnapshot(engine, s.id);
  });
});
