/**
 * The Troika did not endorse a text; the PPT revises it and resends it (domain.md "Troika reactions").
 * The resend is a NEW consultation that `supersedes` the old one, with the old one's settings, sent to
 * a Troika derived anew from the roster; the old one stays as it ended, and a second resend is refused
 * with the reference of the consultation that superseded it. Through the flows on a real database.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { reactTroika, resendConsultation, resendIdOf, resentAs } from '../../../src/flows/consultation-flows.ts';
import { BACKENDS } from '../../helpers/db.ts';
import { DECEMBER_2026, expectLogMatchesSnapshot, focalPointIds, outboxOf, recipientsOf, slackActor, openTestEngine, type TestEngine } from '../../helpers/engine.ts';
import { approveByTroika, expectOk, expectRefused, fp1, Keys, SLACK, startByPpt, type Started } from './scenario.ts';

describe.each(BACKENDS)('resending a text the Troika did not endorse, on %s', (backend) => {
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

  /** Started by the PPT (PA), approved by MX, objected to by SV. */
  async function notEndorsed(over: Parameters<typeof startByPpt>[2] = {}): Promise<Started> {
    const s = await startByPpt(engine, keys, over);
    expectOk(await reactTroika(engine.deps, { key: keys.next('mx'), actor: slackActor(engine, SLACK.mx), consultationId: s.id, version: s.state.currentVersion, reaction: 'approve' }));
    const sv = await reactTroika(engine.deps, {
      key: keys.next('sv'),
      actor: slackActor(engine, SLACK.sv),
      consultationId: s.id,
      version: s.state.currentVersion,
      reaction: 'object',
      reason: 'El párrafo 2 excede el mandato.',
    });
    expectOk(sv);
    expect(sv.state.stage).toBe('not_endorsed');
    return { id: s.id, state: sv.state };
  }

  const troikaFocalPoints = () => focalPointIds(engine.directory.current(), ['MX', 'SV']);
  const membersOutsideTroika = () => focalPointIds(engine.directory.current()).filter((id) => !focalPointIds(engine.directory.current(), ['MX', 'PA', 'SV']).includes(id));

  it('creates a new consultation that supersedes the old one, with its settings, sent to the Troika at once', async () => {
    const old = await notEndorsed({
      rule: 'silence',
      deadline: { kind: 'business_days', days: 3 },
      justification: 'Reunión ministerial la próxima semana.',
      calendarPolicy: 'all-members',
      closeEarly: false,
      positionsVisibility: 'live',
    });
    const oldRows = await outboxOf(engine, old.id);
    const { events: oldEvents } = await expectLogMatchesSnapshot(engine, old.id);

    engine.clock.advance(2 * 3_600_000);
    const r = await resendConsultation(engine.deps, {
      key: keys.next('resend'),
      actor: slackActor(engine, SLACK.ppt2),
      reference: old.state.reference,
      text: 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada, sin el párrafo 2.',
      locale: 'es',
      translation: { locale: 'en', title: 'Concerted position on labour mobility', text: 'The RCM supports the regional initiative for orderly labour mobility, without paragraph 2.' },
    });
    expectOk(r);
    const s = r.state;
    expect(r.events.map((e) => e.type)).toEqual(['sent_to_troika']);
    expect(s.consultationId).toBe(resendIdOf(old.id));
    expect(s.reference).not.toBe(old.state.reference);
    expect(s).toMatchObject({
      stage: 'troika_review',
      supersedes: old.state.reference,
      title: old.state.title,
      rule: 'silence',
      deadlineRequest: { kind: 'business_days', days: 3 },
      justification: 'Reunión ministerial la próxima semana.',
      calendarPolicy: 'all-members',
      closeEarly: false,
      positionsVisibility: 'live',
    });
    expect(s.versions).toHaveLength(1);
    expect(s.versions[0]).toMatchObject({ locale: 'es', translation: { locale: 'en', title: 'Concerted position on labour mobility' } });
    expect(s.currentVersion).not.toBe(old.state.currentVersion);
    // The Troika is derived anew at send time (same roster here: MX, PA the author, SV).
    expect(s.troika).toMatchObject({ countries: ['MX', 'PA', 'SV'], authorCountry: 'PA', asOf: '2026-12-01' });
    expect(s.sentToTroikaAt).toBe(engine.clock.now().toISOString());
    const rows = await outboxOf(engine, s.consultationId);
    expect(recipientsOf(rows, 'troika_request')).toEqual(troikaFocalPoints());
    expect(await resentAs(engine.deps, old.state)).toBe(s.reference);

    // The old consultation stays as it ended: no event, no message added.
    const after = await expectLogMatchesSnapshot(engine, old.id);
    expect(after.events).toEqual(oldEvents);
    expect(after.state).toMatchObject({ stage: 'not_endorsed', outcome: 'not_endorsed' });
    expect(await outboxOf(engine, old.id)).toEqual(oldRows);
    await expectLogMatchesSnapshot(engine, s.consultationId);

    // Members never hear of the first text: it was never circulated to them, and the new one's messages do
    // not name it when it reaches them.
    expect(oldRows.filter((row) => row.kind === 'member_request')).toEqual([]);
    const approved = await approveByTroika(engine, keys, { id: s.consultationId, state: s });
    expect(approved.stage).toBe('member_consultation');
    const memberRows = (await outboxOf(engine, s.consultationId)).filter(
      (row) => row.recipient.kind === 'person' && membersOutsideTroika().includes(row.recipient.personId),
    );
    expect(recipientsOf(memberRows, 'member_request')).toEqual(membersOutsideTroika());
    for (const row of memberRows) expect(JSON.stringify(row.payload)).not.toContain(old.state.reference);
  });

  it('a second resend of the same consultation is refused with the reference of the one that superseded it', async () => {
    const old = await notEndorsed();
    const key = keys.next('resend-1');
    const input = { key, actor: slackActor(engine, SLACK.ppt), reference: old.state.reference, text: 'Texto revisado.' };
    const first = await resendConsultation(engine.deps, input);
    expectOk(first);
    // The same request again (a retry): the first answer, nothing new.
    const retry = await resendConsultation(engine.deps, input);
    expectOk(retry);
    expect(retry.duplicate).toBe(true);
    expect(retry.state.reference).toBe(first.state.reference);
    // Another resend, by anyone: refused, naming the consultation that superseded it.
    for (const who of [SLACK.ppt2, SLACK.staff]) {
      const again = await resendConsultation(engine.deps, { key: keys.next('resend-2'), actor: slackActor(engine, who), reference: old.state.reference, text: 'Otro texto.' });
      expect(again).toEqual({ ok: false, code: 'already_exists', detail: { reference: first.state.reference, supersedes: old.state.reference }, duplicate: false });
    }
    const list = await engine.consultations.listConsultations();
    expect(list.filter((c) => (c.reference === first.state.reference))).toHaveLength(1);
  });

  it('two resends at the same instant create one consultation; the other is told which', async () => {
    const old = await notEndorsed();
    const [a, b] = await Promise.all(
      [SLACK.ppt, SLACK.ppt2].map((who) =>
        resendConsultation(engine.deps, { key: keys.next(`race:${who}`), actor: slackActor(engine, who), reference: old.state.reference, text: `Texto de ${who}.` }),
      ),
    );
    const ok = [a!, b!].filter((r) => r.ok);
    const refused = [a!, b!].filter((r) => !r.ok);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    const winner = ok[0] as Extract<typeof a, { ok: true }>;
    expect(refused[0]).toMatchObject({ code: 'already_exists', detail: { reference: winner.state.reference, supersedes: old.state.reference } });
    const superseding = (await engine.consultations.listConsultations()).filter((c) => c.id === resendIdOf(old.id));
    expect(superseding).toHaveLength(1);
  });

  it('only a not-endorsed consultation is resent, by the PPT or the ST', async () => {
    const running = await startByPpt(engine, keys);
    expectRefused(await resendConsultation(engine.deps, { key: keys.next('r'), actor: slackActor(engine, SLACK.ppt), reference: running.state.reference, text: 'x' }), 'wrong_stage');
    expectRefused(await resendConsultation(engine.deps, { key: keys.next('r'), actor: slackActor(engine, SLACK.ppt), reference: 'CRM-2026-999', text: 'x' }), 'not_found');
    const old = await notEndorsed();
    for (const who of [SLACK.sv, fp1('CR')]) {
      expectRefused(await resendConsultation(engine.deps, { key: keys.next('r'), actor: slackActor(engine, who), reference: old.state.reference, text: 'x' }), 'not_authorized');
    }
    expectRefused(
      await resendConsultation(engine.deps, { key: keys.next('r'), actor: slackActor(engine, SLACK.ppt), reference: old.state.reference, text: 'x', translation: { locale: 'es', title: 'T', text: 'x' }, locale: 'es' }),
      'invalid_command',
    );
    // Refusals create nothing: it can still be resent.
    expect(await resentAs(engine.deps, old.state)).toBeUndefined();
  });

  it('after the presidency changes hands the Troika is the new one; a passed explicit deadline becomes the default period', async () => {
    const old = await notEndorsed({ deadline: { kind: 'explicit', at: '2026-12-18T23:00:00.000Z' }, justification: 'Antes de fin de año.' });
    // Monday 22 November 2027, 09:00 in San José: SV holds the presidency; no successor is designated.
    engine.clock.set('2027-11-22T15:00:00.000Z');
    expectRefused(await resendConsultation(engine.deps, { key: keys.next('late-pa'), actor: slackActor(engine, SLACK.ppt), reference: old.state.reference, text: 'Texto.' }), 'not_authorized');
    const r = await resendConsultation(engine.deps, { key: keys.next('late'), actor: slackActor(engine, SLACK.staff), reference: old.state.reference, text: 'Texto revisado.' });
    expectOk(r);
    const s: ConsultationState = r.state;
    expect(s.troika).toMatchObject({ countries: ['PA', 'SV'], authorCountry: 'SV', incomplete: true, asOf: '2027-11-22' });
    expect(s.deadlineRequest).toEqual({ kind: 'business_days', days: 5 });
    expect(s.justification).toBeUndefined();
    expect(s.reference.startsWith('CRM-2027-')).toBe(true);
    expect(recipientsOf(await outboxOf(engine, s.consultationId), 'troika_request')).toEqual(focalPointIds(engine.directory.current(), ['PA']));
  });
});
