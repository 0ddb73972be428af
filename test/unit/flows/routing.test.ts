/**
 * Who is told what (src/flows/routing.ts through messagesFor), event by event, on the example directory:
 * the Troika, the PPT (PA), the Member Countries' focal points and the ST channel.
 */
import { describe, expect, it } from 'vitest';
import {
  answer,
  focalPointIds,
  forPerson,
  forST,
  fp1,
  ID,
  MX,
  opened,
  payload,
  personOf,
  PPT,
  react,
  recipients,
  REF,
  send,
  start,
  step,
  STAFF,
  SV,
  T,
  textOf,
  toST,
  who,
} from './fixtures.ts';
import type { NewOutboxMessage } from '../../../src/store/consultation-store.ts';

const ALL = focalPointIds();
const TROIKA = focalPointIds(['MX', 'PA', 'SV']);
const PA = focalPointIds(['PA']);
const CR1 = 'luis.mora@example.org';
const CR2 = 'gabriela.chaves@example.org';
const kindsOf = (out: { kind: string }[]) => [...new Set(out.map((r) => r.kind))].sort();

describe('while it runs', () => {
  it('sent to the Troika: the non-author Troika countries are asked; the ST and each PPT focal point get the live status', () => {
    const sent = send(start().after);
    expect(recipients(sent.out, 'troika_request')).toEqual(focalPointIds(['MX', 'SV']));
    expect(sent.out.filter((r) => r.kind === 'status' && toST(r))).toHaveLength(1);
    expect(recipients(sent.out, 'status')).toEqual(PA);
    for (const r of sent.out.filter((x) => x.kind === 'status')) {
      expect(payload(r).replaceKey).toBe(toST(r) ? `status:${ID}` : `status:${ID}:${personOf(r)}`);
    }
    expect(kindsOf(sent.out)).toEqual(['status', 'troika_request']);
  });

  it('a Troika request for changes reaches the PPT and the ST at once, with the reason and how to revise', () => {
    const sent = send(start().after);
    const changes = react(sent.after, SV, 'request_changes', 'Precisar el alcance del párrafo 2');
    expect(recipients(changes.out, 'troika_feedback')).toEqual(PA);
    const st = forST(changes.out, 'troika_feedback')!;
    for (const m of [st, forPerson(changes.out, 'troika_feedback', PA[0]!)!]) {
      expect(m.heading).toBe(`Consulta ${REF}: la Troika solicita cambios`);
      expect(m.body).toEqual([
        'Rodrigo Alvarado, por El Salvador, solicita cambios a la versión 1 de la propuesta «Posición concertada sobre movilidad laboral» (CRM-2026-042).',
        'Motivo: Precisar el alcance del párrafo 2.',
        `Para presentar a la Troika una versión revisada, use /crm revisar ${REF}. Las aprobaciones anteriores quedarán sin efecto.`,
      ]);
    }
    // The other Troika country and the members hear nothing of it; the PPT's status shows the decision.
    expect(changes.out.filter((r) => r.kind === 'troika_feedback')).toHaveLength(PA.length + 1);
    expect(textOf(forPerson(changes.out, 'status', PA[0]!)!)).toContain('El Salvador: Solicita cambios');
    // An approval is not a notice of its own.
    // An approval is no notice: the live status, and Mexico's other focal point's card shows who approved.
    const approved = react(sent.after, MX, 'approve');
    expect(kindsOf(approved.out)).toEqual(['status', 'troika_request']);
    const mx = focalPointIds(['MX']);
    expect(recipients(approved.out, 'troika_request')).toEqual(mx);
    for (const r of approved.out.filter((x) => x.kind === 'troika_request')) {
      expect(payload(r)).toMatchObject({ updateOnly: true, keepButtons: true, recorded: { what: 'Aprueba la circulación' } });
      expect(payload(r).recorded!.who).toContain('Fernanda Ríos');
    }
  });

  it('the member stage opens: every Member Country focal point gets its card, replaced in place per person', () => {
    const o = opened();
    expect(recipients(o.out, 'member_request')).toEqual(ALL);
    for (const r of o.out.filter((x) => x.kind === 'member_request')) {
      expect(payload(r).replaceKey).toBe(`member:${ID}:${personOf(r)}`);
      expect(payload(r).recorded).toBeUndefined();
    }
  });

  it("an answer updates the card of the country's other focal points (who answered what), not the answerer's twice", () => {
    const o = opened();
    const byCard = answer(o.after, fp1('CR'), 'support', undefined, undefined, { cardUpdatedFor: CR1 });
    expect(recipients(byCard.out, 'member_request')).toEqual([CR2]);
    const card = forPerson(byCard.out, 'member_request', CR2)!;
    expect(card.replaceKey).toBe(`member:${ID}:${CR2}`);
    expect(card.recorded).toMatchObject({ who: 'Luis Mora Solís (Costa Rica)', what: 'Apoya' });
    expect(card.keepButtons).toBe(true);
    expect(card.buttons.map((b) => b.actionId)).toEqual(['position_support', 'position_object', 'position_abstain']);
    // Without a chat adapter updating the clicked card (the CLI, the Home tab), the answerer's card too.
    expect(recipients(answer(o.after, fp1('CR'), 'support').out, 'member_request')).toEqual([CR1, CR2].sort());
    // Nobody of another country hears of it; the ST and the PPT see it in their live status.
    expect(byCard.out.filter((r) => r.kind !== 'status').every((r) => personOf(r) === CR2)).toBe(true);
  });

  it('the ST and the PPT see each answer as it comes (country, position, reason); members only their own', () => {
    let s = opened().after;
    s = answer(s, fp1('CR'), 'support').after;
    const us = answer(s, fp1('US'), 'object', 'The text does not reflect our current policy.');
    for (const m of [forST(us.out, 'status')!, forPerson(us.out, 'status', PA[0]!)!]) {
      expect(m.table?.rows).toEqual([
        ['Costa Rica', 'Apoya', ''],
        ['Estados Unidos', 'Objeta', 'The text does not reflect our current policy.'],
      ]);
      expect(m.fields).toContainEqual({ label: 'Respuestas', value: '2/11' });
    }
    // The US focal points' cards say who answered for the US; nothing about Costa Rica.
    for (const id of focalPointIds(['US'])) {
      const card = forPerson(us.out, 'member_request', id)!;
      expect(card.recorded?.what).toBe(card.locale === 'en' ? 'Objects; reason: The text does not reflect our current policy.' : 'Objeta; motivo: The text does not reflect our current policy.');
      expect(JSON.stringify(card)).not.toContain('Luis Mora');
    }
    expect(recipients(us.out, 'member_request')).toEqual(focalPointIds(['US']));
  });

  it('an extension tells every Member Country focal point, with its justification', () => {
    const o = opened();
    const ext = step(o.after, { type: 'extend', consultationId: ID, actor: who(STAFF), deadline: { kind: 'business_days', days: 7 }, justification: 'Feriados en la región' });
    expect(recipients(ext.out, 'extension_notice')).toEqual(ALL);
    expect(forPerson(ext.out, 'extension_notice', CR1)!.fields).toContainEqual({ label: 'Justificación del plazo', value: 'Feriados en la región' });
  });
});

describe('the end', () => {
  it('closed: the digest to the ST, and to every member focal point the result with the tally and the objections’ reasons', () => {
    let s = opened().after;
    let last;
    for (const c of ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO']) {
      last = answer(s, fp1(c), c === 'US' ? 'object' : c === 'BZ' ? 'abstain' : 'support', c === 'US' ? 'Needs consultation with our agencies' : undefined);
      s = last.after;
    }
    expect(s.outcome).toBe('no_consensus');
    const end = last!.out;
    expect(end.filter((r) => r.kind === 'digest' && toST(r))).toHaveLength(1);
    // The audit record follows the digest to the ST channel, as a PDF named by the reference.
    const record = end.filter((r) => r.kind === 'record');
    expect(record).toHaveLength(1);
    expect(toST(record[0]!)).toBe(true);
    expect(end.indexOf(record[0]!)).toBe(end.findIndex((r) => r.kind === 'digest' && toST(r)) + 1);
    expect((record[0]!.payload as { attachment?: { filename: string } }).attachment?.filename).toBe(`${REF}-registro-record.pdf`);
    // …and right after the record, the status matrix and timeline as a PNG, in the ST's language.
    const picture = end.filter((r) => r.kind === 'status_picture');
    expect(picture).toHaveLength(1);
    expect(toST(picture[0]!)).toBe(true);
    expect(end.indexOf(picture[0]!)).toBe(end.indexOf(record[0]!) + 1);
    expect((picture[0]!.payload as { attachment?: unknown }).attachment).toEqual({
      kind: 'consultation_picture',
      consultationId: ID,
      reference: REF,
      format: 'png',
      locale: 'es',
      filename: `${REF}-estado-status.png`,
    });
    expect(recipients(end, 'result_notice')).toEqual(ALL);
    const es = forPerson(end, 'result_notice', CR1)!;
    expect(es.body.slice(1)).toEqual([
      'Apoyan: 9 · Objetan: 1 · Se abstienen: 1 · Sin respuesta: 0',
      'Apoyan: Canadá, Costa Rica, El Salvador, Guatemala, Honduras, México, Nicaragua, Panamá y República Dominicana.',
      'Objetan: Estados Unidos.',
      'Se abstienen: Belice.',
      'Objeción de Estados Unidos: Needs consultation with our agencies.',
      'Posición registrada de Costa Rica: Apoya.',
    ]);
    const en = forPerson(end, 'result_notice', 'claire.tremblay@example.org')!;
    expect(en.body).toContain('Supporting: 9 · Objecting: 1 · Abstaining: 1 · No response: 0');
    expect(en.body).toContain('Objection by the United States: Needs consultation with our agencies.');
  });

  it('not endorsed: only the Troika countries and the ST; the PPT is told how to revise and resend', () => {
    const sent = send(start().after);
    const ne = react(react(sent.after, MX, 'approve').after, SV, 'object', 'No es el momento de circular este texto.');
    expect(ne.after.stage).toBe('not_endorsed');
    expect(recipients(ne.out, 'result_notice')).toEqual(TROIKA);
    expect(ne.out.every((r) => toST(r) || TROIKA.includes(personOf(r)!))).toBe(true);
    const ppt = forPerson(ne.out, 'result_notice', PA[0]!)!;
    expect(ppt.body).toEqual([
      'La Troika no avaló la circulación de la propuesta «Posición concertada sobre movilidad laboral» (CRM-2026-042): El Salvador la objetó. La consulta concluye sin haberse circulado a los Países Miembros.',
      'Motivo: No es el momento de circular este texto.',
      `Para revisar el texto y presentarlo de nuevo a la Troika, use /crm revisar ${REF}: se iniciará una nueva consulta vinculada a esta.`,
    ]);
    expect(forPerson(ne.out, 'result_notice', 'fernanda.rios@example.org')!.body.join(' ')).not.toContain('/crm revisar');
    const digest = forST(ne.out, 'digest')!;
    expect(digest.table).toBeUndefined();
    expect(textOf(digest)).not.toMatch(/Sin respuesta:|Apoyan:/);
    expect(digest.body).toContain('El texto no llegó a circularse a los Países Miembros.');
    expect(digest.metadata?.payload['positions']).toEqual(Object.fromEntries(ne.after.participants.members.map((m) => [m.code, 'none'])));
  });

  it('withdrawn after circulation by the PPT: every member focal point, credited to the PPT’s country, with the reason', () => {
    const o = opened();
    const wd = step(o.after, { type: 'withdraw', consultationId: ID, actor: who(PPT), reason: 'Superado por los hechos.' });
    expect(recipients(wd.out, 'result_notice')).toEqual(ALL);
    expect(forPerson(wd.out, 'result_notice', CR1)!.body.slice(0, 2)).toEqual([
      'La propuesta «Posición concertada sobre movilidad laboral» (CRM-2026-042) fue retirada por Panamá, en su calidad de Presidencia Pro Tempore.',
      'Motivo: Superado por los hechos.',
    ]);
    expect(forPerson(wd.out, 'result_notice', 'claire.tremblay@example.org')!.body[0]).toBe(
      'The proposal "Posición concertada sobre movilidad laboral" (CRM-2026-042) was withdrawn by Panama, as the Pro Tempore Presidency.',
    );
    expect(forST(wd.out, 'digest')!.body).toContain('Retirada por Panamá, en su calidad de Presidencia Pro Tempore.');
  });

  it('withdrawn before circulation by the ST: only the Troika and the ST, credited to the ST', () => {
    const sent = send(start().after);
    const wd = step(sent.after, { type: 'withdraw', consultationId: ID, actor: who(STAFF) });
    expect(recipients(wd.out, 'result_notice')).toEqual(TROIKA);
    expect(forPerson(wd.out, 'result_notice', PA[0]!)!.body).toEqual([
      'La propuesta «Posición concertada sobre movilidad laboral» (CRM-2026-042) fue retirada por la Secretaría Técnica.',
    ]);
    // Withdrawn as a draft (never sent): only the ST hears of it.
    const draft = step(start().after, { type: 'withdraw', consultationId: ID, actor: who(STAFF) });
    expect(draft.out.filter((r) => r.kind === 'result_notice')).toHaveLength(0);
    expect(draft.out.filter((r) => r.kind === 'digest' && toST(r))).toHaveLength(1);
    expect(draft.out.filter((r) => r.kind === 'record' && toST(r))).toHaveLength(1);
    expect(draft.out.filter((r) => r.kind === 'status_picture' && toST(r))).toHaveLength(1);
  });
});

describe('cards that can no longer be answered close in place', () => {
  const closedOf = (out: readonly NewOutboxMessage[], kind: string) => out.filter((r) => r.kind === kind && payload(r).updateOnly && payload(r).buttons.length === 0);

  it('a revision closes the cards of the replaced version, saying where to answer; the new version goes out as new cards', () => {
    const sent = send(start().after);
    const changes = react(sent.after, MX, 'request_changes', 'Precisar el alcance.');
    const revised = step(changes.after, { type: 'revise', consultationId: ID, actor: who(PPT), text: 'Texto revisado de la propuesta.' });
    const ask = focalPointIds(['MX', 'SV']);
    const fresh = revised.out.filter((r) => r.kind === 'troika_request' && !payload(r).updateOnly);
    expect(fresh.map(personOf).sort()).toEqual(ask);
    expect(fresh.every((r) => payload(r).replaceKey!.endsWith(revised.after.currentVersion))).toBe(true);
    const closed = closedOf(revised.out, 'troika_request');
    expect(closed.map(personOf).sort()).toEqual(ask);
    for (const r of closed) {
      expect(payload(r).replaceKey!.endsWith(sent.after.currentVersion)).toBe(true);
      expect(payload(r).quote).toBe(sent.after.text);
    }
    expect(forPerson(closed, 'troika_request', ask.find((id) => id.includes('fernanda'))!)!.body[0]).toMatch(
      /^Esta versión del texto fue sustituida por la versión 2 el .+: responda en el mensaje de la nueva versión\.$/,
    );
  });

  it('circulation closes the Troika cards, except the one the last approver clicked (the adapter updates it)', () => {
    const sent = send(start().after);
    const mx = react(sent.after, MX, 'approve');
    const sv = step(mx.after, { type: 'reactTroika', consultationId: ID, actor: who(SV), version: mx.after.currentVersion, reaction: 'approve' }, T, { cardUpdatedFor: who(SV).personId });
    expect(sv.after.stage).toBe('member_consultation');
    const closed = closedOf(sv.out, 'troika_request');
    expect(closed.map(personOf).sort()).toEqual(focalPointIds(['MX', 'SV']).filter((id) => id !== who(SV).personId));
    expect(payload(closed[0]!).body[0]).toMatch(/^La Troika aprobó la circulación: el texto se envió a los Países Miembros el /);
  });

  it('not endorsed: the Troika cards close with why', () => {
    const sent = send(start().after);
    const ne = react(react(sent.after, MX, 'approve').after, SV, 'object', 'No es el momento.');
    const closed = closedOf(ne.out, 'troika_request');
    expect(closed.map(personOf).sort()).toEqual(focalPointIds(['MX', 'SV']));
    expect(payload(closed[0]!).body[0]).toMatch(/^La Troika no avaló la circulación el .+: la consulta concluyó sin circularse a los Países Miembros\.$/);
  });

  it('the close: every member card closes with the outcome, in its reader\'s language, except the last clicker\'s', () => {
    let s = opened().after;
    let last: ReturnType<typeof answer> | undefined;
    const codes = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'];
    for (const c of codes) {
      last = answer(s, fp1(c), 'support', undefined, T, c === 'DO' ? { cardUpdatedFor: who(fp1('DO')).personId } : {});
      s = last.after;
    }
    expect(s.outcome).toBe('consensus');
    const closed = closedOf(last!.out, 'member_request');
    expect(closed.map(personOf).sort()).toEqual(ALL.filter((id) => id !== who(fp1('DO')).personId));
    expect(forPerson(closed, 'member_request', CR1)!.body[0]).toMatch(/^La consulta se cerró el .+\. Resultado: Consenso\. Ya no se pueden registrar ni cambiar posiciones\.$/);
    expect(forPerson(closed, 'member_request', 'claire.tremblay@example.org')!.body[0]).toMatch(/^The consultation closed on .+\. Outcome: Consensus\./);
    // The card keeps who answered for the country.
    expect(forPerson(closed, 'member_request', CR2)!.recorded?.who).toContain('Luis Mora');
  });

  it('withdrawn after circulation: the member cards close; before circulation, the Troika cards', () => {
    const wd = step(opened().after, { type: 'withdraw', consultationId: ID, actor: who(STAFF), reason: 'Superado.' });
    expect(closedOf(wd.out, 'member_request').map(personOf).sort()).toEqual(ALL);
    expect(payload(closedOf(wd.out, 'member_request')[0]!).body[0]).toMatch(/fue retirada el|was withdrawn on/);
    const early = step(send(start().after).after, { type: 'withdraw', consultationId: ID, actor: who(STAFF) });
    expect(closedOf(early.out, 'troika_request').map(personOf).sort()).toEqual(focalPointIds(['MX', 'SV']));
    expect(closedOf(early.out, 'member_request')).toEqual([]);
  });

  it('an extension corrects the deadline on every member card already sent (an update, never a new card)', () => {
    const o = opened();
    const ext = step(o.after, { type: 'extend', consultationId: ID, actor: who(STAFF), deadline: { kind: 'business_days', days: 8 }, justification: 'Feriados' });
    const cards = ext.out.filter((r) => r.kind === 'member_request');
    expect(cards.map(personOf).sort()).toEqual(ALL);
    expect(cards.every((r) => payload(r).updateOnly === true && payload(r).buttons.length === 3)).toBe(true);
    const before = forPerson(o.out, 'member_request', CR1)!.fields.find((f) => f.label === 'Fecha límite')!.value;
    const after = forPerson(cards, 'member_request', CR1)!.fields.find((f) => f.label === 'Fecha límite')!.value;
    expect(after).not.toBe(before);
  });
});
