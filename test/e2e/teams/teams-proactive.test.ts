/**
 * Teams e2e, the bot started as a user starts it (`node bin/start.mjs`) with Slack AND Teams configured: a
 * fresh PostgreSQL database, the fake Slack Web API, and the local Microsoft world over HTTPS (identity
 * provider for the bot's tokens, Bot Framework key set for incoming tokens, fake Bot Connector checking the
 * bot's tokens; test/helpers/teams-world.ts). The directory puts Guatemala's, Honduras' and Nicaragua's
 * focal points and the PPT's second one on Teams only; the Troika and the ST channel stay on Slack.
 *
 *   - incoming requests: a forged, an expired and an unsigned installationUpdate are refused (401) and
 *     nothing is recorded (no conversation reference, no welcome card);
 *   - a real install (a token the local key set signed) stores the conversation reference and the `29:` id
 *     and the person gets the welcome card in their personal chat;
 *   - a consultation circulated from Slack reaches the Teams focal points as proactive Adaptive Cards with
 *     the position verbs; the one who never installed the app is dead-lettered with `teams:not_installed`
 *     and the ST channel is told, by name, who must install it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { inBothLanguages, t } from '../../../src/i18n/index.ts';
import { cardProblems, cardTexts, executeActions, inputIds } from '../../helpers/adaptive-cards.ts';
import { ROOT } from '../../helpers/run-bin.ts';
import { APP_ID, TENANT_ID, startTeamsWorld, type TeamsWorld } from '../../helpers/teams-world.ts';
import { startSlackWorld, waitFor, type SlackWorld } from '../slack/harness.ts';
import { troikaApproves } from '../slack/steps.ts';

interface TeamsPerson {
  name: string;
  country: string;
  aad: string;
  userId: string;
  conversationId: string;
  installed: boolean;
}

let world: TeamsWorld;
let w: SlackWorld;
let dir: string;
const people: TeamsPerson[] = [];
/** The consultation of the third test, for the commands of the fourth. */
let started: { ref: string; id: string } | undefined;
/** The consultation the PPT's focal point started from Teams (fifth test). */
let fromTeams: string | undefined;

/** The example directory with GT, HN and NI's focal points on Teams (an Entra object id) instead of Slack. */
function mixedDirectory(): string {
  const doc = parse(readFileSync(join(ROOT, 'config/directory.example.yaml'), 'utf8')) as {
    countries: { code: string; focalPoints: { name: string; slack?: string; teams?: string }[] }[];
  };
  for (const c of doc.countries) {
    if (!['GT', 'HN', 'NI', 'PA'].includes(c.code)) continue;
    // The PPT (PA): its second focal point is on Teams, the first stays on Slack.
    for (const fp of c.code === 'PA' ? c.focalPoints.slice(1, 2) : c.focalPoints) {
      delete fp.slack;
      fp.teams = randomUUID();
      const userId = `29:1${fp.teams.replace(/-/g, '')}`;
      people.push({ name: fp.name, country: c.code, aad: fp.teams, userId, conversationId: '', installed: c.code !== 'NI' });
    }
  }
  return stringify(doc);
}

beforeAll(async () => {
  world = await startTeamsWorld();
  dir = await mkdtemp(join(tmpdir(), 'crm-teams-e2e-'));
  const directory = join(dir, 'directory.yaml');
  await writeFile(directory, mixedDirectory());
  for (const p of people) {
    p.conversationId = world.connector.conversationOf(p.userId);
    if (p.installed) world.connector.install(p.userId, { tenantId: TENANT_ID, aadObjectId: p.aad });
  }
  w = await startSlackWorld(import.meta.url, {
    env: { ...world.env, NODE_EXTRA_CA_CERTS: world.tls.caFile, CRM_DIRECTORY: directory },
  });
}, 240_000);

afterAll(async () => {
  await w?.stop();
  await world?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

/** The installationUpdate Teams sends when the app is added to someone's personal scope. */
function installActivity(p: TeamsPerson): Record<string, unknown> {
  return {
    type: 'installationUpdate',
    action: 'add',
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: world.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: p.userId, aadObjectId: p.aad, name: p.name },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, source: { name: 'message' } },
    locale: 'es-419',
  };
}

async function postFor(activity: unknown, authorization?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${w.bot.port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const post = async (activity: unknown, authorization?: string) => (await postFor(activity, authorization)).status;
const signed = () => `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl })}`;

/** The invoke Teams sends when someone clicks an Action.Execute on the card `replyToId`. */
function clickActivity(p: TeamsPerson, replyToId: string, verb: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl: world.connector.serviceUrl,
    channelId: 'msteams',
    from: { id: p.userId, aadObjectId: p.aad, name: p.name },
    recipient: { id: `28:${APP_ID}`, name: 'CRM' },
    conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID } },
    replyToId,
    locale: 'es-419',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

const stored = async () => {
  const c = await w.db.query<{ n: string }>('SELECT count(*) AS n FROM teams_conversations');
  const u = await w.db.query<{ n: string }>('SELECT count(*) AS n FROM teams_users');
  return { conversations: Number(c.rows[0]!.n), users: Number(u.rows[0]!.n) };
};

const cardOf = (a: { activity: Record<string, unknown> }) => (a.activity.attachments as { content: unknown }[] | undefined)?.[0]?.content;

describe('Teams, the bot started with bin/start.mjs', () => {
  it('refuses a forged, an expired and an unsigned request (401) and records nothing', async () => {
    const p = people.find((x) => x.installed)!;
    const serviceUrl = world.connector.serviceUrl;
    expect(await post(installActivity(p), `Bearer ${world.bf.forge({ appId: APP_ID, serviceUrl })}`)).toBe(401);
    expect(await post(installActivity(p), `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl, expiresInSec: -3600 })}`)).toBe(401);
    expect(await post(installActivity(p))).toBe(401);
    // A token signed by the published key proves the route is up and validating (answered, not refused)…
    const probe = { ...installActivity(p), type: 'typing' };
    expect(await post(probe, `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl })}`)).toBe(200);
    await waitFor(async () => (await stored()).conversations === 1, 'the valid activity recorded');
    // … and none of the refused ones left a trace: the one row is the probe's, no welcome card was sent.
    await w.db.query('DELETE FROM teams_conversations');
    await w.db.query('DELETE FROM teams_users');
    expect(await stored()).toEqual({ conversations: 0, users: 0 });
    expect(world.connector.calls).toEqual([]);
  });

  it('an install stores the conversation reference and the 29: id, and the person gets the welcome card', async () => {
    for (const p of people.filter((x) => x.installed)) {
      expect(await post(installActivity(p), `Bearer ${world.bf.tokenFor({ appId: APP_ID, serviceUrl: world.connector.serviceUrl })}`)).toBe(200);
    }
    for (const p of people.filter((x) => x.installed)) {
      const welcome = await waitFor(() => world.connector.activities(p.conversationId)[0], `the welcome card of ${p.name}`);
      const card = cardOf(welcome);
      expect(cardProblems(card)).toEqual([]);
      expect(cardTexts(card)[0]).toBe(t('es', 'teams.welcome.heading'));
      const row = await w.db.query('SELECT id, conversation_type, tenant_id, service_url, user_id, aad_object_id, installed, reference FROM teams_conversations WHERE aad_object_id = $1', [p.aad]);
      expect(row.rows).toEqual([
        expect.objectContaining({
          id: p.conversationId,
          conversation_type: 'personal',
          tenant_id: TENANT_ID,
          service_url: world.connector.serviceUrl,
          user_id: p.userId,
          installed: true,
          reference: expect.objectContaining({ bot: expect.objectContaining({ id: `28:${APP_ID}` }), conversation: expect.objectContaining({ id: p.conversationId }) }),
        }),
      ]);
      const user = await w.db.query('SELECT user_id FROM teams_users WHERE aad_object_id = $1', [p.aad]);
      expect(user.rows).toEqual([{ user_id: p.userId }]);
    }
    // Every call to the Bot Connector carried a token the local identity provider issued to the bot.
    expect(world.connector.calls.every((c) => c.status !== 401)).toBe(true);
    expect(world.idp.issued.some((i) => i.clientId === APP_ID && i.tenant === TENANT_ID)).toBe(true);
  });

  it('a consultation circulated from Slack reaches the Teams focal points as proactive cards; who has no app installed is dead-lettered and named to the ST', { timeout: 600_000 }, async () => {
    const { ref, id } = await w.startConsultation(w.people.ppt, {
      title: 'E2E Teams · protocolo de retorno asistido',
      proposal: 'La CRM adopta el protocolo regional de retorno asistido y encarga a la Secretaría Técnica su difusión.',
      days: 5,
    });
    started = { ref, id };
    await troikaApproves(w, ref);
    for (const p of people.filter((x) => x.installed && x.country !== 'PA')) {
      const heading = t('es', 'member_request.heading', { reference: ref });
      const request = await waitFor(
        () => world.connector.activities(p.conversationId).find((a) => cardTexts(cardOf(a))[0] === heading),
        `the member request of ${ref} to ${p.name} on Teams`,
      );
      const card = cardOf(request);
      expect(cardProblems(card)).toEqual([]);
      expect(executeActions(card).map((a) => a.verb)).toEqual(['position_support', 'position_object', 'position_abstain']);
      expect(executeActions(card).every((a) => (a.data as { c?: unknown }).c === id)).toBe(true);
    }
    // Nicaragua's focal point never installed the app: dead, and the ST channel (on Slack) is told who.
    const ni = people.find((x) => !x.installed)!;
    const row = await waitFor(async () => {
      const r = await w.db.query<{ status: string; last_error: string }>(
        "SELECT status, last_error FROM outbox WHERE consultation_id = $1 AND platform = 'teams' AND recipient->>'teams' = $2 AND kind = 'member_request'",
        [id, ni.aad],
      );
      return r.rows[0]?.status === 'dead' ? r.rows[0] : undefined;
    }, `the dead member request of ${ni.name}`);
    expect(row.last_error).toMatch(/^teams:not_installed/);
    const letter = await waitFor(
      () =>
        w.slack
          .callsOf('chat.postMessage')
          .find((c) => c.args.channel === w.people.stChannel && JSON.stringify(c.args.blocks ?? '').includes(ni.name) && JSON.stringify(c.args.blocks ?? '').includes('no tiene instalada')),
      `the ST told that ${ni.name} must install the app`,
    );
    expect(JSON.stringify(letter.args.blocks)).toContain('Microsoft Teams');
    expect(world.connector.callsOf('createConversation').some((c) => JSON.stringify(c.body).includes(ni.userId))).toBe(false);

    // Guatemala supports from Teams: the invoke is answered with the card updated, the decision recorded
    // as made in Teams, and the card PUT for everyone.
    const gt = people.find((x) => x.country === 'GT')!;
    const heading = t('es', 'member_request.heading', { reference: ref });
    const gtCard = world.connector.activities(gt.conversationId).find((a) => cardTexts(cardOf(a))[0] === heading)!;
    const support = executeActions(cardOf(gtCard)).find((a) => a.verb === 'position_support')!;
    const answered = await postFor(clickActivity(gt, gtCard.id, 'position_support', support.data as Record<string, unknown>), signed());
    expect(answered.status).toBe(200);
    expect(answered.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(answered.body.value)).toEqual([]);
    expect(cardTexts(answered.body.value).join(' ')).toContain(`Registrado por ${gt.name} (Guatemala)`);
    const events = await w.events(id);
    expect(events.filter((e) => e.type === 'position_recorded').map((e) => [e.payload.country, e.payload.position])).toEqual([['GT', 'support']]);
    const recorded = await w.db.query("SELECT actor_platform FROM consultation_events WHERE consultation_id = $1 AND type = 'position_recorded'", [id]);
    expect(recorded.rows).toEqual([{ actor_platform: 'teams' }]);
    await waitFor(() => world.connector.activities(gt.conversationId).find((a) => a.id === gtCard.id && a.updates > 0), 'the clicked card PUT in place');
    expect(cardProblems(cardOf(world.connector.activities(gt.conversationId).find((a) => a.id === gtCard.id)!))).toEqual([]);

    // Honduras objects from Teams: the reason card first, then its submit (verb `reason`) records it.
    const hn = people.find((x) => x.country === 'HN')!;
    const hnCard = await waitFor(() => world.connector.activities(hn.conversationId).find((a) => cardTexts(cardOf(a))[0] === heading), 'the HN card');
    const object = executeActions(cardOf(hnCard)).find((a) => a.verb === 'position_object')!;
    const asked = await postFor(clickActivity(hn, hnCard.id, 'position_object', object.data as Record<string, unknown>), signed());
    expect(asked.status).toBe(200);
    expect(cardProblems(asked.body.value)).toEqual([]);
    const submit = executeActions(asked.body.value)[0]!;
    expect(submit.verb).toBe('reason');
    expect(JSON.stringify(asked.body.value)).toContain('"id":"reason"');
    const reason = 'El texto no refleja la posición de nuestro gobierno sobre el retorno.';
    const done = await postFor(clickActivity(hn, hnCard.id, 'reason', { ...(submit.data as Record<string, unknown>), reason }), signed());
    expect(done.status).toBe(200);
    expect(cardTexts(done.body.value).join(' ')).toContain(reason);
    const objected = (await w.events(id)).filter((e) => e.type === 'position_recorded' && e.payload.country === 'HN');
    expect(objected.map((e) => [e.payload.position, e.payload.reason])).toEqual([['object', reason]]);

    // A click by someone not in the directory is refused privately; nothing is recorded.
    const stranger = { ...gt, aad: randomUUID(), userId: '29:1stranger' };
    const refused = await postFor(clickActivity(stranger, gtCard.id, 'position_support', support.data as Record<string, unknown>), signed());
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: inBothLanguages('refusal.not_in_directory') });
    expect((await w.events(id)).filter((e) => e.type === 'position_recorded')).toHaveLength(2);
  });

  it('commands typed in the personal chat are answered there with a card: ayuda, estado REF, crm lista, plazo', async () => {
    const { ref } = started!;
    const gt = people.find((x) => x.country === 'GT')!;
    const message = (text: string) => ({
      type: 'message',
      id: `1${Date.now()}${Math.floor(Math.random() * 1000)}`,
      timestamp: new Date().toISOString(),
      serviceUrl: world.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: gt.userId, aadObjectId: gt.aad, name: gt.name },
      recipient: { id: `28:${APP_ID}`, name: 'CRM' },
      conversation: { id: gt.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      textFormat: 'plain',
      text,
    });
    const answerTo = async (text: string) => {
      const before = world.connector.activities(gt.conversationId).length;
      expect(await post(message(text), signed())).toBe(200);
      const reply = await waitFor(() => world.connector.activities(gt.conversationId)[before], `the answer to "${text}"`);
      const card = cardOf(reply);
      expect(cardProblems(card)).toEqual([]);
      return cardTexts(card);
    };
    expect((await answerTo('ayuda'))[0]).toBe(t('es', 'help.heading'));
    const status = await answerTo(`estado ${ref.toLowerCase()}`);
    expect(status.join(' ')).toContain(ref);
    expect(status.join(' ')).toContain(t('es', 'stage.member_consultation'));
    expect((await answerTo('/crm lista')).join(' ')).toContain(ref);
    expect((await answerTo('crm plazo 3'))[0]).toBeTruthy();
    const unknown = await answerTo('hola');
    expect(unknown.join(' ')).toContain('hola');
    expect((await answerTo('consulta')).join(' ')).toContain(t('es', 'slack.manage_only'));

    // With an @mention in a channel: everyone there would read it, so only the help is answered there.
    const channel = '19:st-team-general@thread.tacv2';
    world.connector.addChannel(channel);
    const inChannel = (text: string) => ({ ...message(text), conversation: { id: channel, conversationType: 'channel', tenantId: TENANT_ID }, channelData: { tenant: { id: TENANT_ID }, team: { id: channel } } });
    const before = world.connector.activities(channel).length;
    expect(await post(inChannel(`<at>CRM</at> estado ${ref}`), signed())).toBe(200);
    const reply = await waitFor(() => world.connector.activities(channel)[before], 'the answer in the channel');
    const texts = cardTexts(cardOf(reply)).join(' ');
    expect(texts).toContain(t('es', 'teams.personal_only'));
    expect(texts).not.toContain(ref);
  });

  it("the PPT's focal point on Teams starts a consultation with `consulta`: the form card, errors under the field, then sent to the Troika", { timeout: 300_000 }, async () => {
    const pa = people.find((x) => x.country === 'PA')!;
    const chat = () => world.connector.activities(pa.conversationId);
    const typed = {
      type: 'message',
      id: `1${Date.now()}`,
      serviceUrl: world.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: pa.userId, aadObjectId: pa.aad, name: pa.name },
      recipient: { id: `28:${APP_ID}`, name: 'CRM' },
      conversation: { id: pa.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      text: 'consulta',
    };
    const before = chat().length;
    expect(await post(typed, signed())).toBe(200);
    // The answer, not a proactive message that may arrive meanwhile (the PPT hears about the other consultation).
    const formActivity = await waitFor(() => chat().slice(before).find((a) => executeActions(cardOf(a)).some((x) => x.verb === 'consultation_new')), 'the new-consultation form');
    const form = cardOf(formActivity);
    expect(cardProblems(form)).toEqual([]);
    expect(inputIds(form)).toEqual(['title', 'proposal', 'title_translation', 'proposal_translation', 'days', 'deadline', 'deadline_time', 'rule', 'justification', 'visibility']);
    const submit = executeActions(form)[0]!;
    expect(submit.verb).toBe('consultation_new');
    const title = 'E2E Teams · consulta iniciada desde Teams';
    const values = { title, proposal: 'La CRM toma nota del informe de la Secretaría Técnica sobre niñez migrante.', days: '3', rule: 'explicit' };
    // Three business days need a justification: the form comes back with the error under that field.
    const refused = await postFor(clickActivity(pa, formActivity.id, 'consultation_new', { ...(submit.data as object), ...values }), signed());
    expect(refused.status).toBe(200);
    expect(cardProblems(refused.body.value)).toEqual([]);
    const texts = cardTexts(refused.body.value);
    expect(texts).toContain(t('es', 'refusal.justification_required'));
    expect(JSON.stringify(refused.body.value)).toContain(title);
    expect((await w.db.query('SELECT 1 FROM consultations WHERE title = $1', [title])).rows).toEqual([]);
    // With the justification: created and sent to the Troika (on Slack).
    const done = await postFor(clickActivity(pa, formActivity.id, 'consultation_new', { ...values, justification: 'Reunión del GRCM la próxima semana.' }), signed());
    expect(done.status).toBe(200);
    expect(cardProblems(done.body.value)).toEqual([]);
    const row = await waitFor(async () => (await w.db.query<{ reference: string }>('SELECT reference FROM consultations WHERE title = $1', [title])).rows[0], 'the consultation stored');
    expect(cardTexts(done.body.value).join(' ')).toContain(t('es', 'slack.consultation_started', { reference: row.reference, title }));
    const events = await w.db.query<{ type: string; actor_platform: string }>('SELECT e.type, e.actor_platform FROM consultation_events e JOIN consultations c ON c.id = e.consultation_id WHERE c.reference = $1 ORDER BY seq', [row.reference]);
    expect(events.rows.slice(0, 2)).toEqual([{ type: 'consultation_started', actor_platform: 'teams' }, { type: 'sent_to_troika', actor_platform: 'teams' }]);
    await w.cardFor(w.people.troika[0]!, row.reference, 'troika_approve');
    fromTeams = row.reference;
  });

  it('revisar, prorrogar and retirar from Teams: the form cards after the authority check, then the same flows as Slack', { timeout: 300_000 }, async () => {
    const pa = people.find((x) => x.country === 'PA')!;
    const gt = people.find((x) => x.country === 'GT')!;
    const typed = (p: TeamsPerson, text: string) => ({
      type: 'message',
      id: `1${Date.now()}${Math.floor(Math.random() * 1000)}`,
      serviceUrl: world.connector.serviceUrl,
      channelId: 'msteams',
      from: { id: p.userId, aadObjectId: p.aad, name: p.name },
      recipient: { id: `28:${APP_ID}`, name: 'CRM' },
      conversation: { id: p.conversationId, conversationType: 'personal', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID } },
      text,
    });
    /** The answer to `text`: the first new activity that `is` it (proactive messages may arrive meanwhile). */
    const answerTo = async (p: TeamsPerson, text: string, is: (card: unknown) => boolean) => {
      const before = world.connector.activities(p.conversationId).length;
      expect(await post(typed(p, text), signed())).toBe(200);
      return waitFor(() => world.connector.activities(p.conversationId).slice(before).find((a) => is(cardOf(a))), `the answer to "${text}"`);
    };
    const withVerb = (verb: string) => (card: unknown) => executeActions(card).some((x) => x.verb === verb);
    const { ref, id } = started!;
    // Guatemala may not extend: refused before any form.
    expect(cardTexts(cardOf(await answerTo(gt, `prorrogar ${ref}`, (c) => cardTexts(c).includes(t('es', 'slack.manage_only')))))).toBeTruthy();

    const extendActivity = await answerTo(pa, `prorrogar ${ref}`, withVerb('extend'));
    const form = cardOf(extendActivity);
    expect(cardProblems(form)).toEqual([]);
    expect(inputIds(form)).toEqual(['days', 'deadline', 'deadline_time', 'justification']);
    const submit = executeActions(form)[0]!;
    expect(submit.verb).toBe('extend');
    const missing = await postFor(clickActivity(pa, extendActivity.id, 'extend', { ...(submit.data as object), days: '10' }), signed());
    expect(cardTexts(missing.body.value)).toContain(t('es', 'refusal.justification_required'));
    const justification = 'Varias cancillerías pidieron más tiempo para consultar a sus ministerios.';
    const extended = await postFor(clickActivity(pa, extendActivity.id, 'extend', { ...(submit.data as object), days: '10', justification }), signed());
    expect(extended.status).toBe(200);
    expect(cardProblems(extended.body.value)).toEqual([]);
    expect(cardTexts(extended.body.value).join(' ')).toContain(`Se prorrogó el plazo de la consulta ${ref}`);
    const ext = await w.db.query("SELECT actor_platform, payload FROM consultation_events WHERE consultation_id = $1 AND type = 'deadline_extended'", [id]);
    expect(ext.rows).toHaveLength(1);
    expect(ext.rows[0]).toMatchObject({ actor_platform: 'teams', payload: expect.objectContaining({ justification }) });

    // The consultation started from Teams, under Troika review, is revised from Teams …
    const reviseActivity = await answerTo(pa, `revisar ${fromTeams}`, withVerb('revise'));
    const rform = cardOf(reviseActivity);
    expect(cardProblems(rform)).toEqual([]);
    expect(inputIds(rform)).toEqual(['title', 'proposal', 'title_translation', 'proposal_translation']);
    const rsubmit = executeActions(rform)[0]!;
    expect(rsubmit.verb).toBe('revise');
    const current = 'La CRM toma nota del informe de la Secretaría Técnica sobre niñez migrante.';
    expect(JSON.stringify(rform)).toContain(current);
    const unchanged = await postFor(clickActivity(pa, reviseActivity.id, 'revise', { ...(rsubmit.data as object), proposal: current }), signed());
    expect(cardTexts(unchanged.body.value)).toContain(t('es', 'refusal.text_unchanged'));
    const revised = await postFor(
      clickActivity(pa, reviseActivity.id, 'revise', { ...(rsubmit.data as object), proposal: `${current} Y pide un plan de acción para 2027.` }),
      signed(),
    );
    expect(cardTexts(revised.body.value).join(' ')).toContain(t('es', 'slack.revised', { reference: fromTeams!, version: 2 }));

    // … and withdrawn from Teams.
    const withdrawActivity = await answerTo(pa, `retirar ${fromTeams}`, withVerb('withdraw'));
    const wform = cardOf(withdrawActivity);
    expect(cardProblems(wform)).toEqual([]);
    expect(inputIds(wform)).toEqual(['reason']);
    const wsubmit = executeActions(wform)[0]!;
    expect(wsubmit.verb).toBe('withdraw');
    const withdrawn = await postFor(clickActivity(pa, withdrawActivity.id, 'withdraw', { ...(wsubmit.data as object), reason: 'Se presentará en la próxima reunión.' }), signed());
    expect(cardTexts(withdrawn.body.value).join(' ')).toContain(t('es', 'slack.withdrawn_troika', { reference: fromTeams! }));
    const row = await w.db.query('SELECT stage FROM consultations WHERE reference = $1', [fromTeams]);
    expect(row.rows).toEqual([{ stage: 'withdrawn' }]);
  });
});
