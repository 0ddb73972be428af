/**
 * Issue 8 in the Slack app, in-process over real loopback HTTP: the new-consultation modal's text in the
 * other official language and visibility; the PPT's country gets no Troika buttons and its clicks are
 * refused (it approves its own text as author); a Troika objection, then `/crm revisar REF` opens the
 * resend form (prefilled), whose submission starts a new consultation superseding the old one; a second
 * resend is refused with the reference of the one that superseded it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { appHomeOpened, findButton, stateValue } from '../../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

let w: SlackAppWorld;
let first: ConsultationState;

const consultations = async () => (await w.engine.db.prisma.consultation.findMany({ orderBy: { createdAt: 'asc' } })).map((c) => c.snapshot as unknown as ConsultationState);
type View = Record<string, unknown> & { id: string };
const updatedViews = (): View[] => w.slack.callsOf('views.update').map((c) => ({ ...(c.args.view as Record<string, unknown>), id: String(c.args.view_id) }));
/** The texts of the modals updated in place (a refusal shows in the modal the command opened). */
const modalTexts = (): string[] =>
  updatedViews().flatMap((v) => ((v.blocks ?? []) as { text?: { text?: string } }[]).map((b) => b.text?.text).filter((t): t is string => typeof t === 'string'));
const inputsOf = (view: Record<string, unknown>) =>
  Object.fromEntries(((view.blocks ?? []) as { type: string; block_id?: string; label?: { text: string }; element?: { initial_value?: string } }[]).filter((b) => b.type === 'input').map((b) => [b.block_id!, b]));

beforeAll(async () => {
  w = await startSlackAppWorld(import.meta.url);
});
afterAll(async () => {
  await w?.close();
});

describe('bilingual new consultation', () => {
  it('the form asks for the text in the other language and the visibility; the consultation records both', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    const view = await w.openedView(triggerId);
    const inputs = inputsOf(view);
    expect(inputs.title_translation!.label!.text).toBe('Título en inglés (opcional)');
    expect(inputs.proposal_translation!.label!.text).toBe('Texto de la propuesta en inglés (opcional)');
    expect(inputs.visibility).toBeDefined();

    const values = {
      title: stateValue.text('Declaración conjunta sobre movilidad laboral'),
      proposal: stateValue.text('La CRM expresa su apoyo a la movilidad laboral ordenada.'),
      title_translation: stateValue.text('Joint statement on labour mobility'),
      proposal_translation: stateValue.text(null),
      visibility: stateValue.select('live'),
    };
    const half = await w.submit(PEOPLE.pptPA, view, values);
    expect(JSON.parse(half.body)).toEqual({ response_action: 'errors', errors: { proposal_translation: 'Indique el título y el texto en inglés, o ninguno de los dos.' } });

    const res = await w.submit(PEOPLE.pptPA, view, { ...values, proposal_translation: stateValue.text('The RCM supports orderly labour mobility.') });
    expect(JSON.parse(res.body)).toMatchObject({ response_action: 'update' });
    first = (await consultations())[0]!;
    expect(first!.positionsVisibility).toBe('live');
    expect(first!.versions[0]).toMatchObject({
      locale: 'es',
      translation: { locale: 'en', title: 'Joint statement on labour mobility', text: 'The RCM supports orderly labour mobility.' },
    });
    await w.deliver();
  });
});

describe('the author country does not react to its own text', () => {
  it('its focal points get no Troika buttons on the Home tab; another Troika country does', async () => {
    for (const user of [PEOPLE.pptPA, PEOPLE.troikaMX]) await w.post(appHomeOpened(user));
    const home = (user: string) => w.waitFor(() => w.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).at(-1)?.args.view, `home of ${user}`);
    expect(findButton((await home(PEOPLE.pptPA) as { blocks: unknown[] }).blocks, 'troika_approve')).toBeUndefined();
    expect(findButton((await home(PEOPLE.troikaMX) as { blocks: unknown[] }).blocks, 'troika_approve')).toBeDefined();
  });

  it('a click from the author country (on a copy of a Troika card) is refused before any reason form; nothing changes', async () => {
    const card = w.card(PEOPLE.troikaMX, 'troika_object');
    const { triggerId } = await w.click(PEOPLE.pptPA, 'troika_object', { message: card });
    const text = await w.waitFor(() => w.privateTexts(PEOPLE.pptPA).find((t) => t.includes('Presidencia Pro Tempore')), 'refusal');
    expect(text).toBe('Su país presenta este texto como Presidencia Pro Tempore y lo aprueba como autor; no se pronuncia sobre él.');
    expect(w.slack.callsOf('views.open').some((c) => c.args.trigger_id === triggerId)).toBe(false);
    await w.click(PEOPLE.pptPA, 'troika_approve', { message: card });
    await w.waitFor(() => (w.privateTexts(PEOPLE.pptPA).filter((t) => t.includes('Presidencia Pro Tempore')).length === 2 ? true : undefined), 'second refusal');
    const events = await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId: first.consultationId } });
    expect(events.map((e) => e.type)).toEqual(['consultation_started', 'sent_to_troika']);
    const refused = await w.engine.db.prisma.commandLog.findMany({ where: { status: 'refused', actorPersonId: 'itzel.castillo@example.org' } });
    expect(refused.map((r) => (r.result as { code: string }).code)).toEqual(['author_country', 'author_country']);
  });
});

describe('not endorsed, then resent as a new consultation', () => {
  it('an objection ends it; /crm revisar opens the resend form, prefilled; its submission starts a new consultation', async () => {
    const { triggerId } = await w.click(PEOPLE.troikaSV, 'troika_object');
    const reason = await w.openedView(triggerId);
    await w.submit(PEOPLE.troikaSV, reason, { reason: stateValue.text('El párrafo 2 excede el mandato.') });
    expect((await consultations())[0]!.stage).toBe('not_endorsed');

    const cmd = await w.command(PEOPLE.pptPA, `revisar ${first.reference}`);
    await w.openedView(cmd.triggerId);
    const form = await w.waitFor(() => updatedViews().find((v) => v.callback_id === 'revise'), 'resend form');
    expect((form.title as { text: string }).text).toBe('Reenviar a la Troika');
    expect(JSON.stringify(form.blocks)).toContain('País que objetó: El Salvador. Motivo: «El párrafo 2 excede el mandato». El texto revisado');
    const inputs = inputsOf(form);
    expect(inputs.proposal!.element!.initial_value).toBe('La CRM expresa su apoyo a la movilidad laboral ordenada.');
    expect(inputs.title_translation!.element!.initial_value).toBe('Joint statement on labour mobility');
    expect(inputs.proposal_translation!.element!.initial_value).toBe('The RCM supports orderly labour mobility.');

    const res = await w.submit(PEOPLE.pptPA, form, {
      proposal: stateValue.text('La CRM expresa su apoyo a la movilidad laboral ordenada, sin el párrafo 2.'),
      proposal_translation: stateValue.text('The RCM supports orderly labour mobility, without paragraph 2.'),
    });
    const notice = (JSON.parse(res.body) as { response_action: string; view: { blocks: { text: { text: string } }[] } });
    expect(notice.response_action).toBe('update');
    const all = await consultations();
    expect(all).toHaveLength(2);
    const resent = all[1]!;
    expect(notice.view.blocks[0]!.text.text).toBe(`La consulta ${resent.reference} se envió a la Troika; sustituye a la consulta ${first.reference}, que la Troika no avaló.`);
    expect(resent).toMatchObject({ stage: 'troika_review', supersedes: first.reference, title: first.title, positionsVisibility: 'live' });
    expect(resent.versions[0]).toMatchObject({ locale: 'es', translation: { locale: 'en', text: 'The RCM supports orderly labour mobility, without paragraph 2.' } });
    expect(all[0]).toMatchObject({ stage: 'not_endorsed', reference: first.reference });
    const troikaRequests = await w.engine.db.prisma.outboxMessage.findMany({ where: { consultationId: resent.consultationId, kind: 'troika_request' } });
    expect(troikaRequests.map((r) => (r.recipient as { slack?: string }).slack).sort()).toEqual(['U0MX0000001', 'U0MX0000002', 'U0SV0000001']);

    // The same form submitted again with other text: refused, naming the consultation that superseded it.
    const again = await w.submit(PEOPLE.pptPA, form, { proposal: stateValue.text('Otra versión.') });
    expect(JSON.parse(again.body).view.blocks[0].text.text).toBe(
      `La consulta ${first.reference} ya se reenvió a la Troika como la consulta ${resent.reference}; para cambiar el texto, revise la consulta ${resent.reference}.`,
    );
    expect(await consultations()).toHaveLength(2);
  });

  it('/crm revisar on a consultation already resent answers with the reference of the one that superseded it', async () => {
    const [old, resent] = await consultations();
    const before = updatedViews().length;
    const { triggerId } = await w.command(PEOPLE.staffEn, `revise ${old!.reference}`);
    await w.openedView(triggerId);
    const expected = `Consultation ${old!.reference} was already resent to the Troika as consultation ${resent!.reference}; to change the text, revise consultation ${resent!.reference}.`;
    await w.waitFor(() => modalTexts().find((t) => t === expected), 'refusal in the modal');
    expect(updatedViews().slice(before).some((v) => v.callback_id === 'revise')).toBe(false);
    // Said once: not again in the conversation.
    expect(w.privateTexts(PEOPLE.staffEn).filter((t) => t === expected)).toEqual([]);
  });

  it('a member focal point may not resend, and is told who may', async () => {
    const [old] = await consultations();
    await w.command(PEOPLE.memberCR, `revisar ${old!.reference}`);
    const text = await w.waitFor(() => [...modalTexts(), ...w.privateTexts(PEOPLE.memberCR)].find((t) => t.includes('Presidencia Pro Tempore')), 'refusal');
    expect(text).toMatch(/^Solo los puntos focales de la Presidencia Pro Tempore/);
    const refused = await w.engine.db.prisma.commandLog.findMany({ where: { status: 'refused', actorPersonId: 'luis.mora@example.org' } });
    expect(refused.map((r) => [r.type, (r.result as { code: string }).code])).toEqual([['start', 'not_authorized']]);
  });
});
