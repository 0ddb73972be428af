/**
 * Consultations played through the pure domain (decide + evolve) for the record's unit tests, with the
 * stored shapes the record reads: event rows (seq, payload, recordedAt) and refused-command rows.
 */
import type { Directory } from '../../../src/directory/model.ts';
import type { Command, ConsultationEvent, ConsultationState, TextTranslation } from '../../../src/domain/types.ts';
import { decide } from '../../../src/domain/decide.ts';
import { evolve } from '../../../src/domain/evolve.ts';
import { attemptOf } from '../../../src/flows/attempt.ts';
import type { RecordEventRow, RecordInput, RecordRefusalRow } from '../../../src/record/model.ts';
import { readDirectoryFile } from '../../../src/app/context.ts';
import { EXAMPLE_DIRECTORY } from '../../../src/config.ts';
import { DAY, HOUR, ID, T0, at, ctx, fp, staff, startCommand, system } from '../domain/fixtures.ts';

export const directory: Directory = (await readDirectoryFile(EXAMPLE_DIRECTORY)).directory;

export class Play {
  state: ConsultationState | undefined;
  readonly events: ConsultationEvent[] = [];
  readonly refusals: RecordRefusalRow[] = [];

  do(command: Command, now: Date): this {
    const d = decide(this.state, command, ctx(now));
    if (!d.ok) throw new Error(`refused ${command.type}: ${d.code}`);
    for (const e of d.events) {
      this.events.push(e);
      this.state = evolve(this.state, e);
    }
    return this;
  }

  /** A refused attempt, as execute records it (the decision must refuse). */
  refuse(command: Command, now: Date): this {
    const d = decide(this.state, command, ctx(now));
    if (d.ok) throw new Error(`expected ${command.type} to be refused`);
    this.refusals.push({
      type: command.type,
      result: { ok: false, code: d.code, ...(d.detail ? { detail: d.detail } : {}) },
      attempt: attemptOf(command.actor, command, now),
      actorPersonId: command.actor.personId,
      actorPlatform: command.actor.platform,
      createdAt: new Date(now.getTime() + 5),
    });
    return this;
  }

  get s(): ConsultationState {
    if (!this.state) throw new Error('nothing played');
    return this.state;
  }

  input(generatedAt = at(30 * DAY)): RecordInput {
    const rows: RecordEventRow[] = this.events.map((e, i) => ({ seq: i + 1, payload: e, recordedAt: new Date(Date.parse(e.at) + 3) }));
    return { state: this.s, events: rows, refusals: this.refusals, directory, generatedAt };
  }
}

export const TRANSLATION: TextTranslation = {
  locale: 'en',
  title: 'Consular protection of migrants (revised)',
  text: 'The RCM proposes a concerted consular protection action.\nSecond paragraph.',
};

/**
 * The full story: MX (the PPT) starts and sends; HN asks for changes; MX revises (version 2, Spanish
 * original with an English translation); HN and PA approve; it circulates; CR supports then objects
 * (reason with a comma, quotes and a line break); US abstains; a GT focal point tries to answer for CR
 * and an observer tries to answer (refused); the ST extends; the deadline close comes (incomplete).
 */
export function fullStory(): Play {
  const p = new Play();
  p.do(startCommand({ title: 'Protección consular de personas migrantes', text: 'La CRM propone una acción concertada.' }), T0);
  p.do({ type: 'sendToTroika', consultationId: ID, actor: fp('MX') }, T0);
  p.do({ type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: p.s.currentVersion, reaction: 'request_changes', reason: 'Precisar el alcance.' }, at(HOUR));
  p.do(
    {
      type: 'revise',
      consultationId: ID,
      actor: fp('MX'),
      title: 'Protección consular de personas migrantes (revisada)',
      text: 'La CRM propone una acción concertada de protección consular.\nSegundo párrafo.',
      locale: 'es',
      translation: TRANSLATION,
    },
    at(2 * HOUR),
  );
  const v2 = p.s.currentVersion;
  p.do({ type: 'reactTroika', consultationId: ID, actor: fp('HN'), version: v2, reaction: 'approve' }, at(3 * HOUR));
  p.do({ type: 'reactTroika', consultationId: ID, actor: fp('PA'), version: v2, reaction: 'approve' }, at(4 * HOUR));
  p.do({ type: 'recordPosition', consultationId: ID, actor: fp('CR'), country: 'CR', position: 'support', version: v2 }, at(5 * HOUR));
  p.do(
    { type: 'recordPosition', consultationId: ID, actor: fp('CR', 2), country: 'CR', position: 'object', version: v2, reason: 'Falta una consulta interna, "urgente".\nVolveremos a escribir.' },
    at(6 * HOUR),
  );
  p.do({ type: 'recordPosition', consultationId: ID, actor: { ...fp('US'), platform: 'teams' }, country: 'US', position: 'abstain', version: v2 }, at(7 * HOUR));
  p.refuse({ type: 'recordPosition', consultationId: ID, actor: fp('GT'), country: 'CR', position: 'support', version: v2 }, at(8 * HOUR));
  p.refuse(
    { type: 'recordPosition', consultationId: ID, actor: { personId: 'fp1.ar@example.org', name: 'Focal AR', platform: 'teams', isStaff: false, country: 'AR' }, country: 'AR', position: 'support', version: v2 },
    at(9 * HOUR),
  );
  p.do({ type: 'extend', consultationId: ID, actor: staff, deadline: { kind: 'business_days', days: 7 }, justification: 'Semana con feriados; =SUM(A1) no es una fórmula.' }, at(DAY));
  p.do({ type: 'close', consultationId: ID, actor: system }, new Date(Date.parse(p.s.deadline!) + 1000));
  return p;
}

/** The Troika objects: not endorsed. */
export function notEndorsed(): Play {
  const p = new Play();
  p.do(startCommand(), T0);
  p.do({ type: 'sendToTroika', consultationId: ID, actor: fp('MX') }, T0);
  p.do({ type: 'reactTroika', consultationId: ID, actor: fp('PA'), version: p.s.currentVersion, reaction: 'object', reason: 'No es urgente.' }, at(HOUR));
  return p;
}

/** Withdrawn by the ST while the Troika reviews it. */
export function withdrawn(): Play {
  const p = new Play();
  p.do(startCommand(), T0);
  p.do({ type: 'sendToTroika', consultationId: ID, actor: fp('MX') }, T0);
  p.do({ type: 'withdraw', consultationId: ID, actor: staff, reason: 'Se tratará en la reunión del GRCM.' }, at(HOUR));
  return p;
}
