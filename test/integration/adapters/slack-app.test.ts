/**
 * The Slack app (Bolt 5 on our HTTP server) over real loopback HTTP, on a fresh PostgreSQL database, with the
 * fake Slack Web API: signatures, url_verification, /crm, the new-consultation modal, buttons, the reason
 * modal, refusals, Slack retries, and the ack deadline with a slow database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRetry, stateValue, urlVerification, appHomeOpened, slashCommand } from '../../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

let w: SlackAppWorld;
beforeAll(async () => {
  w = await startSlackAppWorld(import.meta.url);
});
afterAll(async () => {
  await w?.close();
});

const commandLog = () => w.engine.db.prisma.commandLog.findMany({ orderBy: { createdAt: 'asc' } });
const events = async (type?: string) => (await w.engine.db.prisma.consultationEvent.findMany({ orderBy: { seq: 'asc' } })).filter((e) => !type || e.type === type);

const NEW_VALUES = {
  title: stateValue.text('Declaración conjunta sobre movilidad laboral'),
  proposal: stateValue.text('Texto de la propuesta de declaración conjunta.'),
  days: stateValue.number(5),
  deadline: stateValue.datetime(null),
  rule: stateValue.select('explicit'),
  justification: stateValue.text(null),
};

describe('transport', () => {
  it('answers the url_verification challenge', async () => {
    const res = await w.post(urlVerification('challenge-123'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'challenge-123' });
  });

  it('refuses a forged or stale signature with 401 and records nothing', async () => {
    const before = { calls: w.slack.calls.length, log: (await commandLog()).length };
    const request = slashCommand({ userId: PEOPLE.pptPA, text: 'consulta', responseUrl: 'http://127.0.0.1:9/none' });
    expect((await w.post(request, { signature: `v0=${'0'.repeat(64)}` })).status).toBe(401);
    expect((await w.post(request, { timestampSec: Math.floor(Date.now() / 1000) - 10 * 60 })).status).toBe(401);
    expect((await w.post(request, { unsigned: true })).status).toBe(401);
    // The same command, signed: once its modal is open, the refused ones had their chance and did nothing.
    const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    await w.openedView(triggerId);
    expect(w.slack.calls.slice(before.calls).map((c) => [c.method, c.args.trigger_id])).toEqual([['views.open', triggerId]]);
    expect((await commandLog()).length).toBe(before.log);
  });
});

describe('/crm', () => {
  it('consulta opens the new-consultation modal for the PPT, acknowledged at once', async () => {
    const { res, triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.ms).toBeLessThan(3000);
    const view = await w.openedView(triggerId);
    expect(view.callback_id).toBe('consultation_new');
  });

  it('consult (English alias) opens it for ST staff too', async () => {
    const { triggerId } = await w.command(PEOPLE.staffEn, 'consult');
    expect((await w.openedView(triggerId)).callback_id).toBe('consultation_new');
  });

  it('refuses a focal point of another country, privately, in their language, and logs the attempt', async () => {
    const before = (await commandLog()).length;
    const { triggerId } = await w.command(PEOPLE.memberUS, 'consult');
    const text = await w.waitFor(() => w.privateTexts(PEOPLE.memberUS).find((t) => t.includes('Pro Tempore')), 'refusal');
    expect(text).toMatch(/Only the focal points of the Pro Tempore Presidency/);
    expect(w.slack.callsOf('views.open').some((c) => c.args.trigger_id === triggerId)).toBe(false);
    const log = await commandLog();
    expect(log.length).toBe(before + 1);
    expect(log.at(-1)).toMatchObject({ type: 'start', status: 'refused', actorPersonId: 'jennifer.walsh@example.org' });
  });

  it('refuses someone not in the directory in both languages, Spanish first (their language is unknown)', async () => {
    await w.command(PEOPLE.stranger, 'lista');
    const text = await w.waitFor(() => w.privateTexts(PEOPLE.stranger)[0], 'refusal');
    expect(text).toMatch(/no figura en el directorio[\s\S]*You are not listed in the RCM directory/i);
  });

  it('answers anything else with the help, and ayuda/help with the help', async () => {
    await w.command(PEOPLE.memberCR, 'hola');
    const text = await w.waitFor(() => w.privateTexts(PEOPLE.memberCR).find((t) => t.includes('hola')), 'help');
    expect(text).toContain('No se reconoce «hola»');
    await w.command(PEOPLE.memberUS, 'help');
    const en = await w.waitFor(() => w.responses.filter((r) => r.user === PEOPLE.memberUS).map((r) => JSON.stringify(r.body)).find((b) => b.includes('The /crm commands')), 'help en');
    expect(en).toContain('/crm status [REF] (estado)');
  });

  it('plazo names the deadline in the person\'s zone and the holidays skipped', async () => {
    await w.command(PEOPLE.memberCR, 'plazo 5');
    const body = await w.waitFor(() => w.responses.filter((r) => r.user === PEOPLE.memberCR).map((r) => JSON.stringify(r.body)).find((b) => b.includes('consulta circulada ahora cerraría')), 'plazo');
    // The calendar's day and zone (the reader, in Costa Rica, needs no second clock).
    expect(body).toMatch(/Fecha límite: fin del [a-záéíóú]+ \d+ de [a-z]+, hora de Costa Rica\./);
  });
});

describe('new consultation modal', () => {
  it('shows errors on the fields: missing title, short period without justification, deadline in the past', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    const view = await w.openedView(triggerId);
    const missing = await w.submit(PEOPLE.pptPA, view, { ...NEW_VALUES, title: stateValue.text('') });
    expect(JSON.parse(missing.body)).toMatchObject({ response_action: 'errors', errors: { title: expect.any(String) } });
    const short = await w.submit(PEOPLE.pptPA, view, { ...NEW_VALUES, days: stateValue.number(3) });
    expect(JSON.parse(short.body)).toMatchObject({ response_action: 'errors', errors: { justification: expect.stringMatching(/justificar/i) } });
    const past = await w.submit(PEOPLE.pptPA, view, { ...NEW_VALUES, deadline: stateValue.datetime(new Date(w.engine.clock.now().getTime() - 3_600_000)), justification: stateValue.text('Urgente') });
    expect(JSON.parse(past.body)).toMatchObject({ response_action: 'errors', errors: { deadline: expect.any(String) } });
    expect(await events('consultation_started')).toHaveLength(0);
  });

  it('a valid submission starts the consultation, sends it to the Troika at once, and the messages reach the outbox', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    const view = await w.openedView(triggerId);
    const res = await w.submit(PEOPLE.pptPA, view, NEW_VALUES);
    expect(res.ms).toBeLessThan(3000);
    const body = JSON.parse(res.body) as { response_action: string; view: { blocks: { text: { text: string } }[] } };
    expect(body.response_action).toBe('update');
    expect(body.view.blocks[0]!.text.text).toMatch(/CRM-2026-\d{3}/);
    expect((await events()).map((e) => e.type)).toEqual(['consultation_started', 'sent_to_troika']);
    const rows = await w.engine.db.prisma.outboxMessage.findMany({ where: { kind: 'troika_request' } });
    // Troika MX (2 focal points) and SV (1); PA is the author and approves implicitly.
    expect(rows.map((r) => (r.recipient as { slack?: string }).slack).sort()).toEqual(['U0MX0000001', 'U0MX0000002', 'U0SV0000001']);
  });

  it('the same submission delivered again (Slack retry) records once', async () => {
    const { triggerId } = await w.command(PEOPLE.staff, 'consulta');
    const view = await w.openedView(triggerId);
    const { viewSubmission } = await import('../../helpers/slack-requests.ts');
    const request = viewSubmission({ userId: PEOPLE.staff, callbackId: 'consultation_new', values: { ...NEW_VALUES, title: stateValue.text('Segunda consulta') }, view, viewId: view.id });
    await w.post(request);
    await w.post(asRetry(request));
    const started = (await events('consultation_started')).filter((e) => (e.payload as { version: { title: string } }).version.title === 'Segunda consulta');
    expect(started).toHaveLength(1);
  });
});

describe('home', () => {
  it('app_home_opened publishes the Home tab in the person\'s language', async () => {
    const res = await w.post(appHomeOpened(PEOPLE.memberUS));
    expect(res.status).toBe(200);
    const call = await w.waitFor(() => w.slack.callsOf('views.publish').find((c) => c.args.user_id === PEOPLE.memberUS), 'views.publish');
    expect(JSON.stringify(call.args.view)).toContain('RCM special consultations');
  });

  it('a consultation under Troika review is shown to the ST, not to a member outside the Troika; the ST has no "your country" sections', async () => {
    const [state] = await w.engine.consultations.listConsultations({ stage: 'troika_review' });
    expect(state).toBeDefined();
    const homeOf = async (user: string) => {
      const before = w.slack.callsOf('views.publish').length;
      await w.post(appHomeOpened(user));
      const call = await w.waitFor(() => w.slack.callsOf('views.publish').slice(before).find((c) => c.args.user_id === user), `home of ${user}`);
      return JSON.stringify(call.args.view);
    };
    const member = await homeOf(PEOPLE.memberUS);
    expect(member).not.toContain(state!.reference);
    const st = await homeOf(PEOPLE.staff);
    expect(st).toContain(state!.reference);
    expect(st).not.toContain('su país');
    expect(st).toContain('Consultas abiertas');
  });
});
