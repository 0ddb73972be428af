/**
 * Buttons and the reason modal, end to end in-process: a consultation started from the modal, its cards
 * delivered to the fake Slack by the real SlackNotifier, clicks on those cards (signed block_actions), the
 * card updated in place through the outbox, Slack retries, refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findButton, stateValue } from '../../helpers/slack-requests.ts';
import { asRetry } from '../../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

let w: SlackAppWorld;
let consultationId = '';

const events = async (type?: string) =>
  (await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId }, orderBy: { seq: 'asc' } })).filter((e) => !type || e.type === type);
const refusals = () => w.engine.db.prisma.commandLog.findMany({ where: { status: 'refused' }, orderBy: { createdAt: 'asc' } });
const blocksText = (blocks: unknown) => JSON.stringify(blocks ?? []);

beforeAll(async () => {
  w = await startSlackAppWorld(import.meta.url);
  const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
  const view = await w.openedView(triggerId);
  await w.submit(PEOPLE.pptPA, view, {
    title: stateValue.text('Protección consular de personas migrantes'),
    proposal: stateValue.text('Propuesta de acción concertada.'),
    days: stateValue.number(5),
    deadline: stateValue.datetime(null),
    rule: stateValue.select('explicit'),
    justification: stateValue.text(null),
  });
  consultationId = (await w.engine.db.prisma.consultation.findFirstOrThrow()).id;
  await w.deliver();
});
afterAll(async () => {
  await w?.close();
});

describe('Troika', () => {
  it('a Troika approval is recorded and the clicked card is updated in place through the outbox', async () => {
    const card = w.card(PEOPLE.troikaMX, 'troika_approve');
    const { res } = await w.click(PEOPLE.troikaMX, 'troika_approve', { message: card });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    await w.waitFor(async () => (await events('troika_reacted')).length === 1 || undefined, 'reaction');
    const row = await w.engine.db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'card_update' } });
    expect(row.payload).toMatchObject({ updates: { channel: card.channel, ts: card.ts }, keepButtons: true, recorded: { what: 'Aprueba la circulación' } });
    await w.deliver();
    const updated = w.slack.messages(card.channel).find((m) => m.ts === card.ts)!;
    expect(updated.edited).toBeDefined();
    expect(blocksText(updated.blocks)).toMatch(/Registrado por Fernanda Ríos \(México\) el .+: Aprueba la circulación\./);
    expect(findButton(updated.blocks, 'troika_changes')).toBeDefined();
  });

  it('the same click delivered twice (Slack retry) and a second click record once', async () => {
    const { request } = await w.click(PEOPLE.troikaMX, 'troika_approve');
    await w.post(asRetry(request));
    await w.click(PEOPLE.troikaMX, 'troika_approve');
    // MX approved in the test above: both clicks repeat its record and are told so (the domain's
    // already_recorded, decided in turn under the consultation's lock); the retry is answered silently.
    const told = () => w.privateTexts(PEOPLE.troikaMX).filter((t) => t.includes('ya estaba registrada'));
    await w.waitFor(() => (told().length >= 2 ? true : undefined), 'both clicks answered');
    expect(told()).toHaveLength(2);
    expect(await events('troika_reacted')).toHaveLength(1);
  });

  it('a Troika click from a country outside the Troika is refused, nothing changes, the attempt is logged', async () => {
    // CR has no Troika card: it clicks a copy of MX's card (a forwarded message, or a forged request).
    const before = (await refusals()).length;
    await w.click(PEOPLE.memberCR, 'troika_approve', { message: w.card(PEOPLE.troikaMX, 'troika_approve') });
    const text = await w.waitFor(() => w.privateTexts(PEOPLE.memberCR).find((t) => t.includes('Troika')), 'refusal');
    expect(text).toMatch(/Solo los puntos focales de los países de la Troika/);
    expect(await events('troika_reacted')).toHaveLength(1);
    const after = await refusals();
    expect(after.length, JSON.stringify(after.slice(before).map((r) => [r.key, r.type, r.result]))).toBe(before + 1);
    expect((await refusals()).at(-1)).toMatchObject({ type: 'reactTroika', actorPersonId: 'luis.mora@example.org' });
  });

  it('a malformed or forged button value is refused and changes nothing', async () => {
    await w.click(PEOPLE.troikaSV, 'troika_approve', { message: w.card(PEOPLE.troikaSV, 'troika_approve'), value: '{"c":"x"' });
    const text = await w.waitFor(() => w.privateTexts(PEOPLE.troikaSV).find((t) => t.includes('botón')), 'invalid button');
    expect(text).toMatch(/no es válido/);
    expect(await events('troika_reacted')).toHaveLength(1);
  });

  it('request changes asks for a reason in a modal; the reason is required; its submission records the decision', async () => {
    const card = w.card(PEOPLE.troikaSV, 'troika_changes');
    const { triggerId } = await w.click(PEOPLE.troikaSV, 'troika_changes', { message: card });
    const view = await w.openedView(triggerId);
    expect(view.callback_id).toBe('reason');
    const empty = await w.submit(PEOPLE.troikaSV, view, { reason: stateValue.text('') });
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    const ok = await w.submit(PEOPLE.troikaSV, view, { reason: stateValue.text('Precisar el alcance del párrafo 2.') });
    expect(ok.status).toBe(200);
    const reacted = await events('troika_reacted');
    expect(reacted.at(-1)!.payload).toMatchObject({ country: 'SV', reaction: 'request_changes', reason: 'Precisar el alcance del párrafo 2.' });
    await w.deliver();
    const updated = w.slack.messages(card.channel).find((m) => m.ts === card.ts)!;
    expect(blocksText(updated.blocks)).toContain('Solicita cambios; motivo: Precisar el alcance del párrafo 2.');
    expect(blocksText(updated.blocks)).not.toContain('párrafo 2..');

    // The PPT's focal points and the ST channel hear it at once, with the reason and how to revise.
    const ref = (await w.engine.db.prisma.consultation.findFirstOrThrow()).reference;
    const heading = `Consulta ${ref}: la Troika solicita cambios`;
    for (const where of [w.slack.dmChannelOf(PEOPLE.pptPA), w.slack.dmChannelOf('U0PA0000002'), 'C0ST0000001']) {
      const notice = w.slack.messages(where).find((m) => blocksText(m.blocks).includes(heading));
      expect(notice, `the request for changes in ${where}`).toBeDefined();
      expect(blocksText(notice!.blocks)).toContain('Rodrigo Alvarado, por El Salvador, solicita cambios a la versión 1');
      expect(blocksText(notice!.blocks)).toContain('Motivo: Precisar el alcance del párrafo 2.');
      expect(blocksText(notice!.blocks)).toContain(`/crm revisar ${ref}`);
    }
    // Nobody else: the other Troika country and the Member Countries are not told.
    for (const user of [PEOPLE.troikaMX, PEOPLE.memberCR]) {
      expect(w.slack.messages(w.slack.dmChannelOf(user)).filter((m) => blocksText(m.blocks).includes(heading))).toHaveLength(0);
    }
  });
});

describe('Member Countries', () => {
  it('after a revision and the Troika\'s approval, a position click is recorded; an old text version is refused', async () => {
    const oldCard = w.card(PEOPLE.troikaSV, 'troika_approve');
    // The PPT revises (/crm revisar REF → loading modal → form), then MX and SV approve the new text.
    const ref = (await w.engine.db.prisma.consultation.findFirstOrThrow()).reference;
    const { triggerId } = await w.command(PEOPLE.pptPA, `revisar ${ref}`);
    await w.openedView(triggerId);
    const form = await w.waitFor(() => w.slack.callsOf('views.update').map((c) => ({ ...(c.args.view as Record<string, unknown>), id: String(c.args.view_id) }) as Record<string, unknown> & { id: string }).find((v) => v.callback_id === 'revise'), 'revise form');
    const revised = await w.submit(PEOPLE.pptPA, form, { title: stateValue.text(''), proposal: stateValue.text('Propuesta de acción concertada, párrafo 2 precisado.') });
    expect(JSON.parse(revised.body).view.blocks[0].text.text).toMatch(/versión 2/);
    await w.deliver();

    await w.click(PEOPLE.troikaSV, 'troika_approve', { message: oldCard });
    await w.waitFor(() => w.privateTexts(PEOPLE.troikaSV).find((t) => t.includes('cambió desde que recibió')), 'stale version refusal');

    await w.click(PEOPLE.troikaMX, 'troika_approve');
    await w.click(PEOPLE.troikaSV, 'troika_approve');
    await w.waitFor(async () => (await events('member_consultation_opened')).length === 1 || undefined, 'member stage');
    await w.deliver();

    const card = w.card(PEOPLE.memberCR, 'position_support');
    await w.click(PEOPLE.memberCR, 'position_support', { message: card });
    await w.waitFor(async () => (await events('position_recorded')).length === 1 || undefined, 'position');
    expect((await events('position_recorded'))[0]!.payload).toMatchObject({ country: 'CR', position: 'support' });
    await w.deliver();
    const updated = w.slack.messages(card.channel).find((m) => m.ts === card.ts)!;
    expect(blocksText(updated.blocks)).toMatch(/Registrado por Luis Mora Solís \(Costa Rica\) el .+: Apoya\./);
    // Once: the adapter updates the clicked card; the effects update only the country's other focal points.
    expect(w.slack.callsOf('chat.update').filter((c) => c.args.ts === card.ts)).toHaveLength(1);

    // The other focal point of Costa Rica sees, on their own card (updated in place), who answered what.
    const other = w.slack.messages(w.slack.dmChannelOf('U0CR0000002')).filter((m) => findButton(m.blocks, 'position_support'));
    expect(other).toHaveLength(1);
    expect(other[0]!.edited).toBeDefined();
    expect(blocksText(other[0]!.blocks)).toMatch(/Registrado por Luis Mora Solís \(Costa Rica\) el .+: Apoya\./);
    expect(blocksText(other[0]!.blocks)).toContain('Puede modificar la posición hasta la fecha límite');
    // Another country's focal points hear nothing of it.
    expect(w.slack.messages(w.slack.dmChannelOf(PEOPLE.memberUS)).some((m) => blocksText(m.blocks).includes('Luis Mora'))).toBe(false);
  });

  it('an objection asks for a reason and records it', async () => {
    const { triggerId } = await w.click(PEOPLE.memberUS, 'position_object');
    const view = await w.openedView(triggerId);
    expect(view.callback_id).toBe('reason');
    await w.submit(PEOPLE.memberUS, view, { reason: stateValue.text('Needs consultation with our agencies.') });
    const recorded = await events('position_recorded');
    expect(recorded.at(-1)!.payload).toMatchObject({ country: 'US', position: 'object', reason: 'Needs consultation with our agencies.' });
  });

  it('an observer and someone not in the directory are refused privately; nothing changes', async () => {
    const before = (await events('position_recorded')).length;
    const card = w.card(PEOPLE.memberCR, 'position_support');
    await w.click(PEOPLE.observerJM, 'position_support', { message: card });
    const observer = await w.waitFor(() => w.privateTexts(PEOPLE.observerJM)[0], 'observer refusal');
    expect(observer).toMatch(/Only Member Countries take positions/);
    expect((await refusals()).at(-1)).toMatchObject({ type: 'recordPosition', actorPersonId: 'andre.campbell@example.org' });

    await w.click(PEOPLE.stranger, 'position_support', { message: card });
    const stranger = await w.waitFor(() => w.privateTexts(PEOPLE.stranger)[0], 'stranger refusal');
    expect(stranger).toMatch(/no figura en el directorio[\s\S]*You are not listed in the RCM directory/i);
    expect(await events('position_recorded')).toHaveLength(before);
  });

  it('two clicks at the same instant record one position', async () => {
    const gt = 'U0GT0000001';
    const card = w.card(gt, 'position_abstain');
    const decided = () => w.engine.db.prisma.commandLog.count({ where: { consultationId, type: 'recordPosition' } });
    const before = await decided();
    await Promise.all([w.click(gt, 'position_abstain', { message: card }), w.click(gt, 'position_abstain', { message: card })]);
    // Both clicks decided: one recorded, the other refused as already recorded (each in the command log).
    await w.waitFor(async () => ((await decided()) >= before + 2 ? true : undefined), 'both clicks decided');
    expect((await events('position_recorded')).filter((e) => (e.payload as { country: string }).country === 'GT')).toHaveLength(1);
  });

  it('quick changes of mind: support, abstain, support — every click is decided in turn and the last one wins', async () => {
    const hn = 'U0HN0000001';
    const hnPositions = async () =>
      (await events('position_recorded')).filter((e) => (e.payload as { country: string }).country === 'HN').map((e) => (e.payload as { position: string }).position);
    const card = w.card(hn, 'position_support');
    // Each click is acknowledged at once; the decisions are still being made when the next one arrives.
    await w.click(hn, 'position_support', { message: card });
    await w.click(hn, 'position_abstain', { message: card });
    await w.click(hn, 'position_support', { message: card });
    await w.waitFor(async () => ((await hnPositions()).length === 3 ? true : undefined), 'three HN positions');
    expect(await hnPositions()).toEqual(['support', 'abstain', 'support']);
    const snapshot = (await w.engine.consultations.load(consultationId))!.snapshot as { positions: Record<string, { position: string }> };
    expect(snapshot.positions.HN?.position).toBe('support');
  });

  it('/crm estado REF shows the stage, the answers and who is missing', async () => {
    const ref = (await w.engine.db.prisma.consultation.findFirstOrThrow()).reference;
    await w.command(PEOPLE.memberCR, `estado ${ref}`);
    const body = await w.waitFor(() => w.responses.filter((r) => r.user === PEOPLE.memberCR).map((r) => String(r.body.text ?? '') + JSON.stringify(r.body.blocks)).find((b) => b.includes(ref)), 'status');
    expect(body).toContain('Respuestas: 4/11');
    // A Member Country's focal point sees its own country's answer, not the others' (positionsVisibility at_close).
    expect(body).toContain('Costa Rica: Apoya.');
    expect(body).not.toContain('Estados Unidos: Objeta');
    expect(body).not.toContain('Sin respuesta: Belice');
    // The ST sees every answer as it comes, with its reason, and who is missing.
    await w.command(PEOPLE.staff, `estado ${ref}`);
    const st = await w.waitFor(() => w.responses.filter((r) => r.user === PEOPLE.staff).map((r) => String(r.body.text ?? '') + JSON.stringify(r.body.blocks)).find((b) => b.includes(ref)), 'status for the ST');
    expect(st).toContain('Estados Unidos: Objeta. Motivo: Needs consultation with our agencies.');
    expect(st).toContain('Sin respuesta: Belice');
  });
});
