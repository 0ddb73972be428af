/**
 * The Slack inbox in-process (real PostgreSQL, the real Bolt app on our HTTP server, the fake Slack API):
 *   - a decision click is in the inbox by the time its ack arrives, and marked processed once recorded;
 *   - what only opens a modal (a reason click, /crm consulta) is not stored; a command that answers is;
 *   - replay at start records an acknowledged click the last run left unprocessed, once — also when its
 *     work had in fact been committed just before the crash — and says nothing twice;
 *   - a replayed form submission is answered privately (nobody waits for its ack any more);
 *   - a click whose work fails stays in the inbox with its error and is recorded by the next replay; one that
 *     keeps failing is given up;
 *   - while running, a click whose work failed (the database went away after its ack) is retried and
 *     recorded, without waiting for the next start;
 *   - a person's next click first runs their earlier clicks whose work failed, in order; a stored click after
 *     which the same person's next click on the same consultation was already handled is superseded, never
 *     replayed over their later choice;
 *   - stop(): new requests are refused and store nothing — a click or a command with a notice that nothing
 *     was recorded (Slack does not retry them), else 503 — and the drain waits for the work in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableInteraction } from '../../../src/adapters/slack/listeners/durable.ts';
import { startConsultation } from '../../../src/flows/consultation-flows.ts';
import type { ConsultationRepository, FlowDeps } from '../../../src/flows/ports.ts';
import { slackActor } from '../../helpers/engine.ts';
import { inBothLanguages } from '../../../src/i18n/index.ts';
import { blockActions, findButton, postToSlackEvents, stateValue, viewSubmission, type SlackRequest } from '../../helpers/slack-requests.ts';
import { PEOPLE, SECRET, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

let w: SlackAppWorld;
let consultationId = '';
/** Faults injected into the flows' store: appends fail, or wait for a gate. */
const faults = { failAppends: 0, gate: undefined as Promise<void> | undefined };

const bodyOf = (r: SlackRequest): Record<string, unknown> => {
  const form = new URLSearchParams(r.body);
  const payload = form.get('payload');
  return payload !== null ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
};
const inboxRows = () => w.engine.db.prisma.inboxItem.findMany({ orderBy: { id: 'asc' } });
const positions = async (country: string) =>
  (await w.engine.db.prisma.consultationEvent.findMany({ where: { consultationId, type: 'position_recorded' }, orderBy: { seq: 'asc' } })).filter(
    (e) => (e.payload as { country?: string }).country === country,
  );
/** Stores `request` in the inbox as the receiver would have before a crash; returns its row id. */
async function storeUnprocessed(request: SlackRequest): Promise<string> {
  const body = bodyOf(request);
  const durable = durableInteraction(body);
  if (!durable) throw new Error('not a durable interaction');
  return (await w.engine.inbox.receive({ platform: 'slack', kind: durable.kind, key: durable.key, payload: body })).id;
}
const memberClick = (user: string, actionId: string) => {
  const message = w.card(user, actionId);
  return blockActions({
    userId: user,
    actionId,
    value: findButton(message.blocks, actionId)!.value,
    message: { channel: message.channel, ts: message.ts, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) },
    responseUrl: `http://127.0.0.1:9/unused/${user}`,
  });
};

beforeAll(async () => {
  w = await startSlackAppWorld(import.meta.url, {
    drainMs: 30_000,
    deps: (deps: FlowDeps): FlowDeps => {
      const store = deps.store;
      const faulty: ConsultationRepository = {
        load: (id) => store.load(id),
        loadByReference: (r) => store.loadByReference(r),
        recordRefusal: (c) => store.recordRefusal(c),
        nextReference: (y) => store.nextReference(y),
        findCommand: (key) => store.findCommand(key),
        append: async (input) => {
          if (faults.failAppends > 0) {
            faults.failAppends--;
            throw new Error('injected: the database went away');
          }
          if (faults.gate) await faults.gate;
          return store.append(input);
        },
      };
      return { ...deps, store: faulty };
    },
  });
  const started = await startConsultation(w.engine.deps, {
    key: 'setup',
    actor: slackActor(w.engine, PEOPLE.pptPA),
    title: 'Consulta de prueba',
    text: 'Texto.',
    deadline: { kind: 'business_days', days: 5 },
  });
  if (!started.ok) throw new Error(`setup: ${started.code}`);
  consultationId = started.state.consultationId;
  await w.deliver();
});
afterAll(async () => {
  await w?.close();
});

describe('the Slack inbox', () => {
  it('a decision click is in the inbox when its ack arrives, and marked processed once recorded', async () => {
    const before = (await inboxRows()).length;
    const { res, request } = await w.click(PEOPLE.troikaMX, 'troika_approve');
    expect(res.status).toBe(200);
    const rows = await inboxRows();
    expect(rows).toHaveLength(before + 1); // committed before the ack
    const row = rows.at(-1)!;
    expect(row).toMatchObject({ platform: 'slack', kind: 'block_actions', key: durableInteraction(bodyOf(request))!.key });
    expect(row.payload).not.toHaveProperty('token'); // Slack's legacy verification token is not stored
    await w.waitFor(async () => ((await w.engine.inbox.get(String(row.id)))?.processedAt ? true : undefined), 'the row marked processed');
    expect(await w.engine.db.prisma.consultationEvent.count({ where: { consultationId, type: 'troika_reacted' } })).toBe(1);
    expect(await w.engine.inbox.get(String(row.id))).toMatchObject({ attempts: 1, lastError: null });
  });

  it('stores a command that answers, not what only opens a modal (a reason click, /crm consulta)', async () => {
    const before = (await inboxRows()).length;
    const help = await w.command(PEOPLE.memberCR, 'ayuda');
    expect(help.res.status).toBe(200);
    const consult = await w.command(PEOPLE.pptPA, 'consulta');
    await w.openedView(consult.triggerId);
    const reason = await w.click(PEOPLE.troikaSV, 'troika_changes');
    await w.openedView(reason.triggerId);
    const rows = (await inboxRows()).slice(before);
    expect(rows.map((r) => r.kind)).toEqual(['slash_command']);
    await w.waitFor(async () => ((await w.engine.inbox.countUnprocessed()) === 0 ? true : undefined), 'the help answered');
  });

  it('the SV approval opens the member round', async () => {
    await w.click(PEOPLE.troikaSV, 'troika_approve');
    await w.waitFor(async () => ((await w.engine.consultations.load(consultationId))?.stage === 'member_consultation' ? true : undefined), 'member consultation');
    await w.deliver();
  });

  it('replay records an acknowledged click the last run left unprocessed, once, even when its work had been committed', async () => {
    const id = await storeUnprocessed(memberClick(PEOPLE.memberCR, 'position_support'));
    expect(await w.app.replay()).toMatchObject({ replayed: 1, failed: 0, abandoned: 0 });
    expect(await positions('CR')).toHaveLength(1);
    expect((await w.engine.inbox.get(id))?.processedAt).not.toBeNull();
    // The card update went to the outbox with the decision.
    expect(await w.engine.db.prisma.outboxMessage.count({ where: { kind: 'card_update', consultationId } })).toBeGreaterThanOrEqual(1);

    // A crash after the decision committed but before the row was marked: the next start replays it again.
    await w.engine.db.prisma.inboxItem.update({ where: { id: BigInt(id) }, data: { processedAt: null } });
    const said = w.privateTexts(PEOPLE.memberCR).length;
    expect(await w.app.replay()).toMatchObject({ replayed: 1 });
    expect(await positions('CR')).toHaveLength(1); // the flows know the key: recorded once
    expect((await w.engine.inbox.get(id))?.processedAt).not.toBeNull();
    expect(w.privateTexts(PEOPLE.memberCR)).toHaveLength(said); // and nothing is said twice
    expect(await w.app.replay()).toMatchObject({ replayed: 0, failed: 0 });
  });

  it('a replayed form submission is answered privately', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    const view = await w.openedView(triggerId);
    const request = viewSubmission({
      userId: PEOPLE.pptPA,
      callbackId: 'consultation_new',
      view,
      viewId: String(view.id),
      values: {
        title: stateValue.text('Consulta repetida al arrancar'),
        proposal: stateValue.text('Texto.'),
        days: stateValue.number(5),
        deadline: stateValue.datetime(null),
        rule: stateValue.select('explicit'),
        justification: stateValue.text(null),
      },
    });
    await storeUnprocessed(request);
    expect(await w.app.replay()).toMatchObject({ replayed: 1 });
    const created = await w.engine.db.prisma.consultation.findFirstOrThrow({ where: { title: 'Consulta repetida al arrancar' } });
    await w.waitFor(() => w.privateTexts(PEOPLE.pptPA).find((t) => t.includes(created.reference)), 'the confirmation, said privately');
  });

  it('a meeting form is stored before its ack; replayed after its work was committed, the meeting is recorded once and nothing said twice', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'reunion');
    const view = await w.openedView(triggerId);
    const values = { kind: stateValue.select('grcm'), start: stateValue.date('2027-06-15'), end: stateValue.date('2027-06-16'), title: stateValue.text('GRCM guardado en el buzón') };
    const request = viewSubmission({ userId: PEOPLE.pptPA, callbackId: 'meeting_new', view, viewId: String(view.id), values });
    const before = (await inboxRows()).length;
    const res = await w.post(request);
    expect(res.body).toContain('Reunión registrada');
    const row = (await inboxRows()).slice(before).find((r) => r.kind === 'view_submission')!;
    expect(row.key).toBe(durableInteraction(bodyOf(request))!.key);
    await w.waitFor(async () => ((await w.engine.inbox.get(String(row.id)))?.processedAt ? true : undefined), 'the row marked processed');
    const meetings = () => w.engine.db.prisma.meeting.findMany({ where: { title: 'GRCM guardado en el buzón' } });
    expect(await meetings()).toHaveLength(1);
    // A crash after the meeting was committed but before the row was marked: replayed, recorded once, nothing said.
    await w.engine.db.prisma.inboxItem.update({ where: { id: row.id }, data: { processedAt: null } });
    const said = w.privateTexts(PEOPLE.pptPA).length;
    expect(await w.app.replay()).toMatchObject({ replayed: 1, failed: 0 });
    expect(await meetings()).toHaveLength(1);
    expect(w.privateTexts(PEOPLE.pptPA)).toHaveLength(said);

    // A submission acknowledged but never handled: the replay records it and says so privately.
    const second = viewSubmission({ userId: PEOPLE.pptPA, callbackId: 'meeting_new', view, viewId: 'V0REPLAY0001', values: { ...values, title: stateValue.text('GRCM repetido al arrancar') } });
    await storeUnprocessed(second);
    expect(await w.app.replay()).toMatchObject({ replayed: 1 });
    const created = await w.engine.db.prisma.meeting.findFirstOrThrow({ where: { title: 'GRCM repetido al arrancar' } });
    await w.waitFor(() => w.privateTexts(PEOPLE.pptPA).find((t) => t.includes(created.reference)), 'the confirmation, said privately');
  });

  it('a click whose work fails stays in the inbox with its error; the next replay records it; one that keeps failing is given up', async () => {
    faults.failAppends = 1;
    const { res } = await w.click(PEOPLE.memberUS, 'position_support');
    expect(res.status).toBe(200);
    const row = await w.waitFor(async () => (await inboxRows()).find((r) => r.attempts === 1 && r.processedAt === null && r.lastError), 'the failure kept');
    expect(row.lastError).toContain('injected');
    expect(await positions('US')).toHaveLength(0);
    // The person was told something went wrong (the generic message with the request id).
    await w.waitFor(() => w.privateTexts(PEOPLE.memberUS).find((t) => t.length > 0), 'the generic error');

    expect(await w.app.replay()).toMatchObject({ replayed: 1, failed: 0 });
    expect(await positions('US')).toHaveLength(1);
    expect(await w.engine.inbox.get(String(row.id))).toMatchObject({ attempts: 2, lastError: null });

    const stuck = await storeUnprocessed(memberClick(PEOPLE.memberCR, 'position_abstain'));
    await w.engine.db.prisma.inboxItem.update({ where: { id: BigInt(stuck) }, data: { attempts: 5, lastError: 'boom' } });
    expect(await w.app.replay()).toMatchObject({ replayed: 0, abandoned: 1 });
    expect(await w.engine.inbox.get(stuck)).toMatchObject({ processedAt: expect.any(Date), lastError: 'given up after 5 attempts: boom' });
    expect(await positions('CR')).toHaveLength(1);
  });

  it('while running, a click whose work failed is retried once the database answers again, not at the next start', async () => {
    const before = (await positions('US')).length;
    faults.failAppends = 1;
    const { res } = await w.click(PEOPLE.memberUS, 'position_abstain');
    expect(res.status).toBe(200);
    const row = await w.waitFor(async () => (await inboxRows()).find((r) => r.attempts === 1 && r.processedAt === null && r.lastError), 'the failure kept');
    const stop = w.app.interactions.startRetrying(w.app.app, { everyMs: 100, minAgeMs: 0 });
    try {
      await w.waitFor(async () => ((await w.engine.inbox.get(String(row.id)))?.processedAt ? true : undefined), 'the row retried and processed');
    } finally {
      await stop();
    }
    const mine = await positions('US');
    expect(mine).toHaveLength(before + 1);
    expect((mine.at(-1)?.payload as { position?: string }).position).toBe('abstain');
    expect(await w.engine.inbox.get(String(row.id))).toMatchObject({ attempts: 2, lastError: null });
  });

  it("a person's next click first runs their earlier clicks whose work failed, in the order made", async () => {
    const before = (await positions('CR')).map((e) => (e.payload as { position?: string }).position);
    expect(before.at(-1)).toBe('support');
    // Abstain was acknowledged but its work failed (left unprocessed); then the person clicks support.
    const old = await storeUnprocessed(memberClick(PEOPLE.memberCR, 'position_abstain'));
    const { res } = await w.click(PEOPLE.memberCR, 'position_support');
    expect(res.status).toBe(200);
    await w.waitFor(async () => ((await inboxRows()).every((r) => r.processedAt !== null) ? true : undefined), 'both processed');
    expect((await positions('CR')).map((e) => (e.payload as { position?: string }).position)).toEqual([...before, 'abstain', 'support']);
    expect(await w.engine.inbox.get(old)).toMatchObject({ processedAt: expect.any(Date), lastError: null });
  });

  it('a stored click whose person clicked again on the same consultation, already handled, is superseded: never replayed over it', async () => {
    const before = (await positions('CR')).map((e) => (e.payload as { position?: string }).position);
    expect(before.at(-1)).toBe('support');
    const old = await storeUnprocessed(memberClick(PEOPLE.memberCR, 'position_abstain'));
    // The later click, handled while the earlier one waited (here: stored and marked as done).
    const later = await storeUnprocessed(memberClick(PEOPLE.memberCR, 'position_support'));
    await w.engine.inbox.markProcessed(later);
    expect(await w.app.replay()).toMatchObject({ replayed: 0, superseded: 1 });
    expect(await w.engine.inbox.get(old)).toMatchObject({ processedAt: expect.any(Date), lastError: expect.stringMatching(/^superseded/) });
    expect((await positions('CR')).map((e) => (e.payload as { position?: string }).position)).toEqual(before); // still support
  });

  it('the start replay stops after its budget; what is left is replayed later, in order', async () => {
    const before = (await positions('CR')).length;
    const id = await storeUnprocessed(memberClick(PEOPLE.memberCR, 'position_abstain'));
    expect(await w.app.interactions.replay(w.app.app, { budgetMs: -1 })).toMatchObject({ replayed: 0, left: 1 });
    expect((await w.engine.inbox.get(id))?.processedAt).toBeNull();
    expect(await w.app.interactions.replay(w.app.app)).toMatchObject({ replayed: 1, left: 0 });
    expect(await positions('CR')).toHaveLength(before + 1);
  });

  it('stop(): new requests are refused (the person told that nothing was recorded) and store nothing; the drain waits for the work in flight', async () => {
    let open!: () => void;
    faults.gate = new Promise<void>((r) => (open = r));
    const inFlight = await w.click(PEOPLE.memberUS, 'position_abstain');
    expect(inFlight.res.status).toBe(200); // acknowledged; its work waits at the gate
    await w.waitFor(() => (w.app.interactions.inFlight > 0 ? true : undefined), 'the click in flight');

    const stopped = w.app.stop();
    const rowsBefore = (await inboxRows()).length;
    // Slack does not retry a click or a command: the person is told plainly that nothing was recorded.
    const late = await w.click(PEOPLE.memberCR, 'position_abstain');
    expect(late.res.status).toBe(200);
    expect(w.privateTexts(PEOPLE.memberCR).at(-1)).toBe(inBothLanguages('slack.unavailable'));
    const command = await w.command(PEOPLE.memberCR, 'estado');
    expect(command.res.status).toBe(200);
    expect(JSON.parse(command.res.body)).toEqual({ response_type: 'ephemeral', text: inBothLanguages('slack.unavailable') });
    // A click whose response_url cannot be reached (nobody could be told) keeps the 503.
    const unreachable = await postToSlackEvents(w.url, SECRET, memberClick(PEOPLE.memberCR, 'position_abstain'));
    expect(unreachable.status).toBe(503);
    expect(await inboxRows()).toHaveLength(rowsBefore);

    open();
    await stopped;
    // The drain returned only after the work in flight was done.
    expect((await positions('US')).map((e) => (e.payload as { position: string }).position)).toEqual(['support', 'abstain']);
    expect(await w.engine.inbox.countUnprocessed()).toBe(0);
    faults.gate = undefined;
  });
});
