/**
 * What each message says, per language (src/flows/messages/*): deadlines as people read them, the
 * deadline's justification, the text in the reader's language, the digest's timeline, and wording rules
 * checked over every message of whole consultations (no doubled punctuation after a reason, no nested
 * parentheses, no internal codes).
 */
import { describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { personAddress, secretariatAddress } from '../../../src/flows/addressing.ts';
import { digest } from '../../../src/flows/messages/digest.ts';
import { memberRequest } from '../../../src/flows/messages/member-request.ts';
import { reminderMessage } from '../../../src/flows/messages/reminder.ts';
import { troikaRequest } from '../../../src/flows/messages/troika-request.ts';
import { peopleById } from '../../../src/flows/people.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import type { NewOutboxMessage } from '../../../src/store/consultation-store.ts';
import { answer, directory, fp1, ID, MX, opened, payload, react, send, start, step, STAFF, SV, T, textOf, who } from './fixtures.ts';

const live = peopleById(directory);
const st = secretariatAddress(directory);
/** The reader of a focal point of the example directory (their language and zone), by e-mail. */
function reader(state: ConsultationState, personId: string) {
  const fp = state.participants.members.flatMap((m) => m.focalPoints).find((f) => f.personId === personId)!;
  return personAddress(fp, live);
}
const CLAIRE = 'claire.tremblay@example.org'; // Canada, English, Ottawa
const LUIS = 'luis.mora@example.org'; // Costa Rica, Spanish
const FERNANDA = 'fernanda.rios@example.org'; // Mexico (Troika), Spanish
const RODRIGO = 'rodrigo.alvarado@example.org'; // El Salvador (Troika), Spanish

describe('deadlines read naturally', () => {
  it('the calendar’s day and zone first, then the reader’s own clock; in the calendar’s zone, the first part only', () => {
    const s = opened().after;
    expect(s.deadline).toBe('2026-12-09T05:59:59.000Z');
    const ca = memberRequest(s, reader(s, CLAIRE), 'CA', directory);
    expect(ca.body[0]).toBe(
      'The position of Canada is requested on the proposal "Posición concertada sobre movilidad laboral" (CRM-2026-042). Deadline for responding: end of Tuesday 8 December, Costa Rica time (Wednesday 00:59 in Ottawa).',
    );
    expect(ca.fields).toContainEqual({ label: 'Deadline', value: 'end of Tuesday 8 December, Costa Rica time (Wednesday 00:59 in Ottawa)' });
    const cr = memberRequest(s, reader(s, LUIS), 'CR', directory);
    expect(cr.fields).toContainEqual({ label: 'Fecha límite', value: 'fin del martes 8 de diciembre, hora de Costa Rica' });
    const reminder = reminderMessage(s, reader(s, CLAIRE), { audience: 'member', country: 'CA', personId: CLAIRE }, directory);
    expect(reminder.body[0]).toContain('Deadline for responding: end of Tuesday 8 December, Costa Rica time (Wednesday 00:59 in Ottawa).');
  });

  it('an explicit deadline at another time of day reads with its time', () => {
    const s = opened({ deadline: { kind: 'explicit', at: '2026-12-08T21:00:00.000Z' }, justification: 'Reunión del GRCM el 9 de diciembre' }).after;
    expect(memberRequest(s, reader(s, LUIS), 'CR', directory).fields).toContainEqual({ label: 'Fecha límite', value: 'martes 8 de diciembre a las 15:00, hora de Costa Rica' });
    expect(memberRequest(s, reader(s, CLAIRE), 'CA', directory).fields).toContainEqual({
      label: 'Deadline',
      value: 'Tuesday 8 December at 15:00, Costa Rica time (Tuesday 16:00 in Ottawa)',
    });
  });
});

describe("a shortened or explicit deadline's justification", () => {
  it('is on every member card and reminder, the latest extension’s once extended, and in the digest', () => {
    const o = opened({ deadline: { kind: 'business_days', days: 3 }, justification: 'Urgencia por la reunión del GRCM.' }).after;
    for (const id of [LUIS, CLAIRE]) {
      const card = memberRequest(o, reader(o, id), id === LUIS ? 'CR' : 'CA', directory);
      expect(card.fields.at(-1)).toEqual({ label: id === LUIS ? 'Justificación del plazo' : 'Justification of the period', value: 'Urgencia por la reunión del GRCM.' });
    }
    const rem = reminderMessage(o, reader(o, LUIS), { audience: 'member', country: 'CR', personId: LUIS }, directory);
    expect(rem.fields).toContainEqual({ label: 'Justificación del plazo', value: 'Urgencia por la reunión del GRCM.' });

    const ext = step(o, { type: 'extend', consultationId: ID, actor: who(STAFF), deadline: { kind: 'business_days', days: 6 }, justification: 'Feriados en la región' }, new Date(T.getTime() + 3_600_000)).after;
    expect(memberRequest(ext, reader(ext, LUIS), 'CR', directory).fields).toContainEqual({ label: 'Justificación del plazo', value: 'Feriados en la región' });

    const closed = step(ext, { type: 'withdraw', consultationId: ID, actor: who(STAFF), reason: 'Se retira' }, new Date(T.getTime() + 7_200_000)).after;
    const d = digest(closed, st, directory);
    expect(d.body).toContain('Fecha límite: fin del viernes 4 de diciembre, hora de Costa Rica');
    expect(d.body).toContain('Justificación del plazo: Urgencia por la reunión del GRCM.');
    expect(d.body.find((l) => l.startsWith('Plazo prorrogado'))).toMatch(
      /^Plazo prorrogado el martes 1 de diciembre de 2026, 10:00 \(hora de Costa Rica\) por Ana Rojas Vargas\. Nueva fecha límite: fin del miércoles 9 de diciembre, hora de Costa Rica\. Justificación del plazo: Feriados en la región\.$/,
    );
  });
});

describe("the digest's timeline keeps every version's reactions", () => {
  it('each version presented to the Troika, and each Troika country’s reaction to it with who, when and why', () => {
    let s = send(start().after).after;
    s = react(s, MX, 'approve').after;
    s = react(s, SV, 'request_changes', 'Precisar el alcance del párrafo 2.', new Date(T.getTime() + 3_600_000)).after;
    s = step(s, { type: 'revise', consultationId: ID, actor: who('U0PA0000002'), text: 'Texto revisado con el párrafo 2 precisado.' }, new Date(T.getTime() + 7_200_000)).after;
    s = react(s, MX, 'approve', undefined, new Date(T.getTime() + 10_800_000)).after;
    s = react(s, SV, 'object', 'Sigue sin reflejar nuestra posición', new Date(T.getTime() + 14_400_000)).after;
    const d = digest(s, st, directory);
    const timeline = d.body.slice(d.body.indexOf('Decisiones de la Troika:') + 1, d.body.indexOf('El texto no llegó a circularse a los Países Miembros.'));
    expect(timeline).toHaveLength(2);
    const [v1, v2] = timeline.map((p) => p.split('\n'));
    expect(v1).toEqual([
      expect.stringMatching(/^Versión 1 · [0-9a-f]{12}, presentada el martes 1 de diciembre de 2026, 09:00 \(hora de Costa Rica\)$/),
      'México: Aprueba la circulación, por Fernanda Ríos, el martes 1 de diciembre de 2026, 09:00 (hora de Costa Rica).',
      'Panamá: Aprueba la circulación, como país proponente.',
      'El Salvador: Solicita cambios, por Rodrigo Alvarado, el martes 1 de diciembre de 2026, 10:00 (hora de Costa Rica). Motivo: Precisar el alcance del párrafo 2.',
    ]);
    expect(v2).toEqual([
      expect.stringMatching(/^Versión 2 · [0-9a-f]{12}, presentada el martes 1 de diciembre de 2026, 11:00 \(hora de Costa Rica\)$/),
      'México: Aprueba la circulación, por Fernanda Ríos, el martes 1 de diciembre de 2026, 12:00 (hora de Costa Rica).',
      'Panamá: Aprueba la circulación, como país proponente.',
      'El Salvador: Objeta, por Rodrigo Alvarado, el martes 1 de diciembre de 2026, 13:00 (hora de Costa Rica). Motivo: Sigue sin reflejar nuestra posición.',
    ]);
    expect(d.body.slice(0, 2)).toEqual(['Resultado: No avalada por la Troika', 'Motivo: Sigue sin reflejar nuestra posición.']);
  });
});

describe('the text in the reader’s language', () => {
  const bilingual = (s: ConsultationState, translation = true): ConsultationState => ({
    ...s,
    versions: s.versions.map((v) => ({
      ...v,
      locale: 'es' as const,
      ...(translation ? { translation: { locale: 'en' as const, title: 'Concerted position on labour mobility', text: 'The RCM supports the regional initiative on orderly labour mobility.' } } : {}),
    })),
  });

  it('a translation goes to readers of its language, said to be one; the original to the others', () => {
    const s = bilingual(opened().after);
    const en = memberRequest(s, reader(s, CLAIRE), 'CA', directory);
    expect(en.quote).toBe('The RCM supports the regional initiative on orderly labour mobility.');
    expect(en.body[0]).toContain('"Concerted position on labour mobility"');
    expect(en.body).toContain('English translation; the original is in Spanish.');
    const es = memberRequest(s, reader(s, LUIS), 'CR', directory);
    expect(es.quote).toBe('La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada.');
    expect(es.body.join(' ')).not.toMatch(/traducido|original/);
  });

  it('without a translation, a reader of the other language is told only the original exists', () => {
    const s = bilingual(send(start().after).after, false);
    const who = s.participants.members.find((m) => m.code === 'US')!.focalPoints[0]!;
    const en = troikaRequest(s, personAddress(who, live), directory, false);
    expect(en.body).toContain('This text is only available in Spanish, its original language.');
    const es = troikaRequest(s, reader(s, FERNANDA), directory, false);
    expect(es.body.join(' ')).not.toContain('solo está disponible');
  });
});

describe('wording over whole consultations', () => {
  /** Every message written along the way, in both languages (the example directory has both). */
  function everything(): NeutralMessage[] {
    const out: NewOutboxMessage[] = [];
    const keep = <S extends { out: NewOutboxMessage[]; after: ConsultationState }>(x: S) => (out.push(...x.out), x.after);
    let s = keep(start({ deadline: { kind: 'business_days', days: 3 }, justification: 'Urgente.' }));
    s = keep(send(s));
    s = keep(react(s, SV, 'request_changes', 'Precisar el párrafo 2.'));
    s = keep(step(s, { type: 'revise', consultationId: ID, actor: who('U0PA0000001'), text: 'Texto revisado.' }));
    s = keep(react(s, MX, 'approve'));
    s = keep(react(s, SV, 'approve'));
    s = keep(step(s, { type: 'extend', consultationId: ID, actor: who(STAFF), deadline: { kind: 'business_days', days: 5 }, justification: 'Feriados.' }));
    for (const c of ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO']) s = keep(answer(s, fp1(c), c === 'US' ? 'object' : 'support', c === 'US' ? 'Not now.' : undefined));
    let n = keep(send(start().after));
    n = keep(react(n, SV, 'object', 'No es el momento.'));
    const w = keep(step(opened().after, { type: 'withdraw', consultationId: ID, actor: who('U0PA0000001'), reason: 'Superado.' }));
    expect([s.stage, n.stage, w.stage]).toEqual(['closed', 'not_endorsed', 'withdrawn']);
    return out.map(payload);
  }
  const messages = everything();
  const texts = (m: NeutralMessage) => [m.heading, ...m.body, ...m.fields.map((f) => f.value), ...(m.recorded ? Object.values(m.recorded) : [])];

  it('both languages are there', () => {
    expect(new Set(messages.map((m) => m.locale))).toEqual(new Set(['es', 'en']));
  });

  it('no doubled punctuation after a person’s reason or justification', () => {
    for (const m of messages) for (const x of texts(m)) expect(x, `${m.kind}: ${x}`).not.toMatch(/\.\.|\.,|;\./);
  });

  it('no nested parentheses', () => {
    const nested = (x: string) => {
      let depth = 0;
      for (const ch of x) {
        if (ch === '(') depth += 1;
        if (ch === ')') depth -= 1;
        if (depth > 1) return true;
      }
      return false;
    };
    for (const m of messages) for (const x of textOf(m).split('\n')) expect(nested(x), `${m.kind}: ${x}`).toBe(false);
  });

  it('no internal codes in what people read', () => {
    const codes = /\b(no_consensus|not_endorsed|member_consultation|troika_review|request_changes|business_days|focal_point|positionsVisibility)\b/;
    for (const m of messages) for (const x of texts(m)) expect(x, `${m.kind}: ${x}`).not.toMatch(codes);
  });

  it('no message names a person of an observer country', () => {
    const observers = new Set(directory.countries.filter((c) => c.status === 'observer').flatMap((c) => c.focalPoints.map((f) => f.name)));
    for (const m of messages) for (const name of observers) expect(textOf(m)).not.toContain(name);
  });

  it('the Troika reminder for a country that has not reacted, in English', () => {
    const s = send(start().after).after;
    const us = s.participants.members.find((m) => m.code === 'SV')!.focalPoints[0]!;
    const m = reminderMessage(s, { ...personAddress(us, live), locale: 'en' }, { audience: 'troika', country: 'SV', personId: RODRIGO }, directory);
    expect(m.buttons.map((b) => b.actionId)).toEqual(['troika_approve', 'troika_changes', 'troika_object']);
    expect(m.body[0]).toMatch(/^The proposal "Posición concertada sobre movilidad laboral" \(CRM-2026-042\) has been awaiting your review as a Troika member since Tuesday, December 1, 2026, 9:00 AM \(El Salvador time\)\./);
  });
});
