/**
 * The Teams adapter on the interaction layer, in-process over real loopback HTTP (the SDK's JWT validation
 * against the local key set; test/helpers/teams-adapter-world.ts), beyond the conformance table:
 *   - `consulta`: the form card has the text in the other official language (title_translation,
 *     proposal_translation) and the visibility; one without the other comes back on the card, with what was
 *     typed and the error under the empty one; both: started with the translation;
 *   - a Troika objection from Teams (the reason card), then `revisar REF`: the resend form, prefilled with
 *     the text and its translation, naming who objected and why; its submission starts a new consultation
 *     that supersedes the old one; a second resend is refused naming the one that superseded it;
 *   - the "awaiting my country" view (verb `home`): a member's pending consultation with its buttons;
 *     a position recorded from it is answered with the view again saying what was recorded, and no request
 *     card is updated (none was clicked).
 * Every card passes the official parser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { reactTroika } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { t } from '../../../src/i18n/index.ts';
import { cardProblems, cardTexts, executeActions, inputIds } from '../../helpers/adaptive-cards.ts';
import { entraId, startTeamsAdapterWorld, type TeamsAdapterWorld } from '../../helpers/teams-adapter-world.ts';

let w: TeamsAdapterWorld;
const PPT = entraId('itzel.castillo@example.org');
const SV = entraId('rodrigo.alvarado@example.org');
const MX = entraId('fernanda.rios@example.org');
const CR = entraId('luis.mora@example.org');

interface CardAnswer {
  type: string;
  value: unknown;
}

beforeAll(async () => {
  w = await startTeamsAdapterWorld('teams-adapter');
}, 120_000);
afterAll(async () => {
  await w?.close();
});

const consultations = async () => (await w.engine.db.prisma.consultation.findMany({ orderBy: { createdAt: 'asc' } })).map((c) => c.snapshot as unknown as ConsultationState);

/** What a Teams client sends for a card's inputs: each input's current value. */
function inputValues(card: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as { type?: unknown; id?: unknown; value?: unknown };
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && o.value !== undefined) out[o.id] = o.value;
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** Submits `card`'s form as a Teams client would: its data, every input's value, then `changes`. */
async function submit(aad: string, card: unknown, changes: Record<string, unknown>): Promise<CardAnswer> {
  const action = executeActions(card)[0]!;
  const res = await w.post(w.invoke(aad, String(action.verb), { ...(action.data as object), ...inputValues(card), ...changes }));
  expect(res.status).toBe(200);
  const body = res.body as CardAnswer;
  if (body.type === 'application/vnd.microsoft.card.adaptive') expect(cardProblems(body.value)).toEqual([]);
  return body;
}

/** The answer to a command typed by `aad`: the cards posted in their chat. */
async function typed(aad: string, text: string): Promise<unknown[]> {
  const before = w.posted(aad).length;
  expect((await w.post(w.message(aad, text))).status).toBe(200);
  expect(await w.listeners.drain(10_000)).toBe(0);
  const cards = w.posted(aad, before).map((a) => (a.activity.attachments as { content: unknown }[])[0]!.content);
  for (const c of cards) expect(cardProblems(c)).toEqual([]);
  return cards;
}

let first: ConsultationState;

describe('a bilingual new consultation from Teams', () => {
  it('the form asks for the other language; one without the other comes back on its field; both: started with it', async () => {
    const [form] = await typed(PPT, 'consulta');
    expect(inputIds(form)).toEqual(['title', 'proposal', 'title_translation', 'proposal_translation', 'days', 'deadline', 'deadline_time', 'rule', 'justification', 'visibility']);
    expect(cardTexts(form)).toContain('Título en inglés (opcional)');
    const values = {
      title: 'Declaración conjunta sobre movilidad laboral',
      proposal: 'La CRM expresa su apoyo a la movilidad laboral ordenada.',
      title_translation: 'Joint statement on labour mobility',
      visibility: 'live',
    };
    const half = await submit(PPT, form, values);
    const texts = cardTexts(half.value);
    expect(texts).toContain('Indique el título y el texto en inglés, o ninguno de los dos.');
    expect(inputValues(half.value)).toMatchObject({ title: values.title, title_translation: values.title_translation, visibility: 'live' });
    expect(await consultations()).toEqual([]);

    const done = await submit(PPT, half.value, { proposal_translation: 'The RCM supports orderly labour mobility.' });
    first = (await consultations())[0]!;
    expect(cardTexts(done.value).join(' ')).toContain(t('es', 'slack.consultation_started', { reference: first.reference, title: values.title }));
    expect(first.positionsVisibility).toBe('live');
    expect(first.versions[0]).toMatchObject({ locale: 'es', translation: { locale: 'en', title: 'Joint statement on labour mobility', text: 'The RCM supports orderly labour mobility.' } });
    const events = await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId: first.consultationId }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.type, e.actorPlatform])).toEqual([
      ['consultation_started', 'teams'],
      ['sent_to_troika', 'teams'],
    ]);
  });
});

describe('not endorsed, then resent from Teams', () => {
  it('an objection with its reason card; `revisar REF` opens the resend form, prefilled; its submission supersedes the old one; a second is refused', async () => {
    const data = { c: first.consultationId, v: first.currentVersion };
    const asked = (await w.post(w.invoke(SV, 'troika_object', data))).body as CardAnswer;
    expect(cardProblems(asked.value)).toEqual([]);
    expect(inputIds(asked.value)).toEqual(['reason']);
    await submit(SV, asked.value, { reason: 'El párrafo 2 excede el mandato.' });
    expect((await consultations())[0]!.stage).toBe('not_endorsed');

    const [form] = await typed(PPT, `revisar ${first.reference}`);
    expect(executeActions(form)[0]!.verb).toBe('revise');
    expect(cardTexts(form)[0]).toBe(t('es', 'form.resend.heading'));
    expect(cardTexts(form).join(' ')).toContain('País que objetó: El Salvador. Motivo: «El párrafo 2 excede el mandato».');
    expect(inputValues(form)).toMatchObject({
      proposal: 'La CRM expresa su apoyo a la movilidad laboral ordenada.',
      title_translation: 'Joint statement on labour mobility',
      proposal_translation: 'The RCM supports orderly labour mobility.',
    });

    const done = await submit(PPT, form, {
      proposal: 'La CRM expresa su apoyo a la movilidad laboral ordenada, sin el párrafo 2.',
      proposal_translation: 'The RCM supports orderly labour mobility, without paragraph 2.',
    });
    const all = await consultations();
    expect(all).toHaveLength(2);
    const resent = all[1]!;
    expect(cardTexts(done.value).join(' ')).toContain(`La consulta ${resent.reference} se envió a la Troika; sustituye a la consulta ${first.reference}, que la Troika no avaló.`);
    expect(resent).toMatchObject({ stage: 'troika_review', supersedes: first.reference, title: first.title, positionsVisibility: 'live' });
    expect(resent.versions[0]).toMatchObject({ locale: 'es', translation: { locale: 'en', text: 'The RCM supports orderly labour mobility, without paragraph 2.' } });

    const [again] = await typed(PPT, `revisar ${first.reference}`);
    expect(cardTexts(again).join(' ')).toContain(t('es', 'resend.already_resent', { reference: first.reference, by: resent.reference }));
    expect(executeActions(again)).toEqual([]);
  });
});

describe('the "awaiting my country" view', () => {
  it('shows a member its pending consultation with the buttons; a position from it answers with the view again, and no card is updated', async () => {
    const resent = (await consultations())[1]!;
    let state = resent;
    for (const aad of [MX, SV]) {
      const actor = identify(w.engine.deps.directory.current(), { platform: 'teams', userId: aad })!;
      const r = await reactTroika(w.engine.deps, { key: `test:${aad}`, actor, consultationId: state.consultationId, version: state.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(r.code);
      state = r.state;
    }
    expect(state.stage).toBe('member_consultation');

    const view = (await w.post(w.invoke(CR, 'home', {}))).body as CardAnswer;
    expect(cardProblems(view.value)).toEqual([]);
    expect(cardTexts(view.value)).toContain(t('es', 'home.awaiting_my_country'));
    const support = executeActions(view.value).find((a) => a.verb === 'position_support')!;
    expect(support.data).toEqual({ c: state.consultationId, v: state.currentVersion, h: '1' });

    const answered = (await w.post(w.invoke(CR, 'position_support', support.data as Record<string, unknown>))).body as CardAnswer;
    expect(cardProblems(answered.value)).toEqual([]);
    expect(cardTexts(answered.value)).toContain(t('es', 'slack.decision_recorded', { what: t('es', 'position.support'), reference: state.reference }));
    expect(cardTexts(answered.value)).toContain(t('es', 'home.my_country_answers'));
    const events = await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId: state.consultationId, type: 'position_recorded' } });
    expect(events.map((e) => e.actorPlatform)).toEqual(['teams']);
    const updates = await w.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: state.consultationId, kind: 'card_update' } });
    expect(updates).toEqual([]);
  });
});

describe('installing the app', () => {
  it('a member who installs it while a consultation awaits their country gets the welcome card, then the view with it', async () => {
    const us = entraId('jennifer.walsh@example.org');
    const before = w.posted(us).length;
    const install = { ...w.message(us, ''), type: 'installationUpdate', action: 'add', text: undefined };
    expect((await w.post(install)).status).toBe(200);
    expect(await w.listeners.drain(10_000)).toBe(0);
    const cards = w.posted(us, before).map((a) => (a.activity.attachments as { content: unknown }[])[0]!.content);
    expect(cards).toHaveLength(2);
    for (const c of cards) expect(cardProblems(c)).toEqual([]);
    expect(cardTexts(cards[0])[0]).toBe(t('en', 'teams.welcome.heading'));
    expect(executeActions(cards[0]).map((a) => a.verb)).toEqual(['home']);
    const resent = (await consultations())[1]!;
    expect(cardTexts(cards[1])).toContain(t('en', 'home.awaiting_my_country'));
    expect(cardTexts(cards[1]).join(' ')).toContain(resent.reference);
    expect(executeActions(cards[1]).map((a) => a.verb)).toContain('position_support');
    // The welcome card says the word that shows the view again; typed, it does.
    expect(cardTexts(cards[0]).join(' ')).toContain('home (inicio)');
    for (const word of ['home', 'Inicio']) {
      const [typedView] = await typed(us, word);
      expect(cardProblems(typedView)).toEqual([]);
      expect(cardTexts(typedView)).toContain(t('en', 'home.awaiting_my_country'));
      expect(cardTexts(typedView).join(' ')).toContain(resent.reference);
    }
  });
});

describe('the meeting commands', () => {
  it('are answered on Teams too (interaction/meetings.ts), in the person\'s language', async () => {
    const [card] = await typed(CR, 'reuniones');
    expect(cardTexts(card)[0]).toBe(t('es', 'meeting.list.heading'));
  });
});
