/**
 * What a focal point with only e-mail receives over a whole consultation, read as they would read it, in
 * Spanish and in English (harness.ts: real SMTP on loopback, real HTTP, the real jobs): the Troika request,
 * the member request, a reminder fired by the reminder job, the result; every link acting once per answer;
 * a colleague's answer told, and nothing a mailbox cannot update in place (a card closed or corrected, the
 * live status) sent as one more e-mail. Nothing is asserted before the deliveries it depends on are done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { reactTroika, recordPosition, startConsultation } from '../../../src/flows/consultation-flows.ts';
import { processReminder } from '../../../src/jobs/remind.ts';
import { EMAIL_ONLY, getPage, postAnswer, startEmailWorld, type EmailWorld } from './harness.ts';

const PPT = 'itzel.castillo@example.org'; // PA, the PPT in office
const MX = 'fernanda.rios@example.org';
const OTHERS: Record<string, string> = {
  BZ: 'marisol.young@example.org',
  US: 'jennifer.walsh@example.org',
  GT: 'analucia.perez@example.org',
  HN: 'jose.zelaya@example.org',
  MX: 'fernanda.rios@example.org',
  PA: 'itzel.castillo@example.org',
};

let w: EmailWorld;
let state: ConsultationState;
const tokens: Record<string, string> = {};

const mailsTo = (to: string) => w.smtp.received.filter((m) => m.envelope.to.includes(to));
const subjectsOf = (to: string) => mailsTo(to).map((m) => m.parsed.subject ?? '');

/** Waits until every e-mail row of the consultation is done (sent, skipped or dead): the proof that nothing more is on its way. */
async function deliveriesDone(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const pending = await w.engine.db.prisma.outboxMessage.count({ where: { consultationId: state.consultationId, platform: 'email', status: 'pending' } });
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} e-mail rows still pending`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  w = await startEmailWorld(import.meta.url);
  const started = await startConsultation(w.engine.deps, {
    key: 'e2e-email-life:start',
    actor: w.actor(PPT),
    title: 'Retorno asistido de personas migrantes',
    text: 'La CRM propone coordinar el retorno asistido y voluntario.',
    locale: 'es',
    translation: { locale: 'en', title: 'Assisted return of migrants', text: 'The RCM proposes to coordinate assisted voluntary return.' },
    deadline: { kind: 'business_days', days: 5 },
  });
  if (!started.ok) throw new Error(`start refused: ${started.code}`);
  state = started.state;
});
afterAll(async () => {
  await w?.stop();
});

describe('a whole consultation, by e-mail', () => {
  it('the Troika request (es): the text in the reader’s language, the link, how long it works; no chat words', async () => {
    const { mail, token } = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'Troika');
    tokens.rodrigoTroika = token!;
    const text = mail.parsed.text ?? '';
    expect(text).toContain('Solicitud de revisión de la Troika');
    expect(text).toContain('> La CRM propone coordinar el retorno asistido y voluntario.');
    expect(text).toContain('Responda en la página del enlace');
    expect(text).toMatch(/Funciona hasta el \S+ \d+ de \S+ de \d{4}, \d\d:\d\d \(hora de El Salvador\)/);
    expect(text).not.toMatch(/botones de este mensaje|\/crm /);
    expect(mail.parsed.html).toContain('<html lang="es">');
  });

  it('a Troika reminder fired by the reminder job: the same link page, no "buttons of this message"', async () => {
    const out = await processReminder(w.jobs.runtime, {
      consultationId: state.consultationId, audience: 'troika', country: 'SV', personId: EMAIL_ONLY.rodrigo,
      slot: 'troika-1', deadlineVersion: 0, textVersion: state.currentVersion, dueAt: w.engine.clock.now().toISOString(),
    });
    expect(out.result).toBe('sent');
    const { mail, token } = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'Recordatorio');
    expect(mail.parsed.text).toContain('espera su revisión como miembro de la Troika');
    expect(mail.parsed.text).not.toContain('botones de este mensaje');
    expect(token).toBeDefined();
    tokens.rodrigoTroikaReminder = token!;
    expect(token).not.toBe(tokens.rodrigoTroika);
  });

  it('approve through the reminder’s link; the same answer through the request’s link is "already recorded", nothing new', async () => {
    expect((await postAnswer(w, tokens.rodrigoTroikaReminder!, { choice: 'troika_approve' })).status).toBe(200);
    const again = await postAnswer(w, tokens.rodrigoTroika!, { choice: 'troika_approve' });
    expect(again.status).toBe(200);
    expect(again.html).toContain('Esa decisión ya estaba registrada para su país sobre el texto vigente; no se hizo ningún cambio.');
    const reacted = await w.engine.db.prisma.consultationEvent.count({ where: { consultationId: state.consultationId, type: 'troika_reacted' } });
    expect(reacted).toBe(1);
    // The person the link is for hears of the answer given with it (whoever clicked): SECURITY.md "Answer links".
    const told = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'respuesta registrada (Aprueba la circulación)');
    expect(told.mail.parsed.text).toContain('Registrado por Rodrigo Alvarado (El Salvador) el ');
  });

  it('circulation: each e-mail-only focal point gets the member request in their language', async () => {
    const mx = await reactTroika(w.engine.deps, { key: 'e2e-email-life:mx', actor: w.actor(MX), consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
    if (!mx.ok) throw new Error(mx.code);
    state = mx.state;
    const es = await w.mailTo(EMAIL_ONLY.gabriela, state.reference, 'se solicita su posición');
    const en = await w.mailTo(EMAIL_ONLY.claire, state.reference, 'your position');
    tokens.gabriela = es.token!;
    tokens.claire = en.token!;
    expect(es.mail.parsed.text).toContain('Se solicita la posición de Costa Rica');
    expect(es.mail.parsed.text).toContain('> La CRM propone coordinar el retorno asistido y voluntario.');
    expect(en.mail.parsed.text).toContain('The position of Canada is requested');
    // Claire reads English: the English text the author gave, not the Spanish original.
    expect(en.mail.parsed.text).toContain('> The RCM proposes to coordinate assisted voluntary return.');
    expect(en.mail.parsed.text).toContain('Please answer on the page of the link');
    expect(en.mail.parsed.html).toContain('<html lang="en">');
  });

  it('a member reminder (en) through the reminder job; its link records the answer', async () => {
    const out = await processReminder(w.jobs.runtime, {
      consultationId: state.consultationId, audience: 'member', country: 'CA', personId: EMAIL_ONLY.claire,
      slot: 'before-2', deadlineVersion: state.deadlineVersion, dueAt: w.engine.clock.now().toISOString(),
    });
    expect(out.result).toBe('sent');
    const { mail, token } = await w.mailTo(EMAIL_ONLY.claire, state.reference, 'Reminder');
    expect(mail.parsed.text).toContain('Please answer on the page of the link');
    expect(mail.parsed.text).not.toContain('buttons in this message');
    const page = await postAnswer(w, token!, { choice: 'position_abstain' });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Canada');
    // A different answer while it is open is a change of position, as a second click on chat.
    const changed = await postAnswer(w, tokens.claire!, { choice: 'position_support' });
    expect(changed.status).toBe(200);
    const positions = await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId: state.consultationId, type: 'position_recorded' }, orderBy: { seq: 'asc' } });
    expect(positions.map((e) => [(e.payload as { country: string }).country, (e.payload as { position: string }).position, e.actorPlatform])).toEqual([
      ['CA', 'abstain', 'email'],
      ['CA', 'support', 'email'],
    ]);
  });

  it('the reader’s own answer is confirmed by e-mail, saying what was recorded (not the request again)', async () => {
    await deliveriesDone();
    const confirmations = mailsTo(EMAIL_ONLY.claire).filter((m) => (m.parsed.subject ?? '').includes('answer recorded'));
    expect(confirmations.map((m) => m.parsed.subject)).toEqual([
      `Consultation ${state.reference}: answer recorded (Abstains)`,
      `Consultation ${state.reference}: answer recorded (Supports)`,
    ]);
    expect(confirmations[1]!.parsed.text).toContain('Recorded by Claire Tremblay (Canada) on ');
  });

  it('every country answers; the result reaches each in their language, with the tally and no link', async () => {
    const gab = await postAnswer(w, tokens.gabriela!, { choice: 'position_object', reason: 'Falta el dictamen jurídico.' });
    expect(gab.status).toBe(200);
    const sv = await w.mailTo(EMAIL_ONLY.rodrigo, state.reference, 'se solicita su posición');
    expect((await postAnswer(w, sv.token!, { choice: 'position_support' })).status).toBe(200);
    for (const [country, person] of Object.entries(OTHERS)) {
      const r = await recordPosition(w.engine.deps, { key: `e2e-email-life:${country}`, actor: w.actor(person), consultationId: state.consultationId, version: state.currentVersion, position: 'support' });
      if (!r.ok) throw new Error(`${country}: ${r.code}`);
    }
    for (const [country, person] of [['NI', 'ernesto.baltodano@example.org'], ['DO', 'yokasta.feliz@example.org']] as const) {
      const r = await recordPosition(w.engine.deps, { key: `e2e-email-life:${country}`, actor: w.actor(person), consultationId: state.consultationId, version: state.currentVersion, position: 'support' });
      if (!r.ok) throw new Error(`${country}: ${r.code}`);
      state = r.state;
    }
    expect(state.stage).toBe('closed');
    const es = await w.mailTo(EMAIL_ONLY.gabriela, state.reference, 'Resultado');
    const en = await w.mailTo(EMAIL_ONLY.claire, state.reference, 'Outcome');
    expect(es.mail.parsed.text).toContain('Resultado: Sin consenso');
    expect(es.mail.parsed.text).toContain('Objeción de Costa Rica: Falta el dictamen jurídico.');
    expect(en.mail.parsed.text).toContain('Outcome: No consensus');
    expect(en.mail.parsed.text).toContain('Recorded position of Canada: Supports.');
    expect(es.token).toBeUndefined();
    expect(en.token).toBeUndefined();
  });

  it('after the close every link is refused with a clear page in the reader’s language, nothing recorded', async () => {
    const before = await w.engine.db.prisma.consultationEvent.count({ where: { consultationId: state.consultationId } });
    const en = await getPage(w, tokens.claire!);
    expect(en.status).toBe(410);
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('The consultation has ended; no further actions are possible.');
    const es = await postAnswer(w, tokens.gabriela!, { choice: 'position_support' });
    expect(es.status).toBe(410);
    expect(es.html).toContain('La consulta ya concluyó; no admite más acciones.');
    expect(await w.engine.db.prisma.consultationEvent.count({ where: { consultationId: state.consultationId } })).toBe(before);
  });

  it('nothing a mailbox cannot update in place was e-mailed: no live status, no closed or corrected card', async () => {
    await deliveriesDone();
    const skipped = await w.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: state.consultationId, platform: 'email', receipt: { equals: { skipped: 'in_place_update' } } } });
    // Rodrigo's Troika card closed at circulation, and every member card closed at the end.
    expect(skipped.length).toBeGreaterThanOrEqual(4);
    for (const who of Object.values(EMAIL_ONLY)) {
      const subjects = subjectsOf(who);
      expect(subjects.filter((s) => s.startsWith(`${state.reference} · `)), `${who}: a live status`).toEqual([]);
      // One request per stage, one result: never the same request twice.
      expect(subjects.filter((s) => s.includes('Solicitud de revisión de la Troika') || s.includes('se solicita su posición') || s.includes('your position is requested')).length).toBeLessThanOrEqual(2);
      expect(subjects.filter((s) => s.startsWith('Resultado') || s.startsWith('Outcome'))).toHaveLength(1);
    }
  });
});
