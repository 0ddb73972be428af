/**
 * Fuzzing what people do in Slack, over real HTTP on a real database (./slack-world.ts): button clicks
 * (block_actions) with any action id and untrusted `value`s (genuine ones, forged consultation ids, other
 * text versions, JSON garbage, prototype-pollution keys), and form submissions (view_submission) of every
 * form — consultation_new, reason, revise, extend, withdraw — with any values in every input (empty, too
 * long, wrong types, dates in the past, numbers out of range, NaN) and any private_metadata.
 *
 * Beyond what every case must hold (no 5xx, no error logged, nobody told "unexpected error", no pollution):
 *   - a click changes the database exactly when it is a valid, authorised decision (a small model of the
 *     rules below says which), and then by exactly that decision: the event of that person's country on that
 *     consultation and version, followed only by what it may set off (the member stage opening, the early
 *     close); otherwise nothing changes and a refusal, or the reason form, reaches the person;
 *   - a submission either shows errors on the form's own fields and changes nothing, or changes exactly
 *     what the form is for (a new consultation, a reaction with its reason, a revision, an extension, a
 *     withdrawal) by that person, or says privately why not and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_OF_REASON, DECISION_ACTIONS } from '../../src/interaction/decisions.ts';
import { parseButtonValue } from '../../src/adapters/slack/render.ts';
import { encodeManageMetadata, parseExtend, parseManageMetadata, parseRevise, parseWithdraw } from '../../src/adapters/slack/manage-views.ts';
import { encodeReasonMetadata, parseNewConsultation, parseReason, parseReasonMetadata } from '../../src/adapters/slack/views.ts';
import { focalPointCountries, isFocalPointOf } from '../../src/domain/authority.ts';
import { storableText } from '../../src/domain/text-version.ts';
import type { CommandActor, ConsultationState } from '../../src/domain/types.ts';
import { reactTroika, startConsultation } from '../../src/flows/consultation-flows.ts';
import { identify } from '../../src/flows/people.ts';
import { slackActor } from '../helpers/engine.ts';
import { blockActions, findButton, viewSubmission, type StateValue } from '../helpers/slack-requests.ts';
import { buttonValue, DIRECTORY_USERS, MANAGERS, PEOPLE, startFuzzWorld, type FuzzWorld } from './slack-world.ts';
import { FORMS, valuesArb, type FormId } from './form-values.ts';
import { check, jsonGarbage, nastyString, pollutionJson, report, runs, tally } from './support.ts';

let f: FuzzWorld;
beforeAll(async () => {
  f = await startFuzzWorld(import.meta.url, { viewBudgetMs: 30_000 });
});
afterAll(async () => {
  await f?.close();
  console.log(report('slack-interactions'));
});

const USERS = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<string>(...DIRECTORY_USERS) },
  { weight: 1, arbitrary: fc.constantFrom('U0NOBODY001', 'W0ENTERPRISE1') },
);

/** What the generators aim at: the seeded consultations and the ten latest (older ones have ended). */
const targets = async () => {
  const list = await f.consultations();
  return [...list.slice(0, 4), ...list.slice(4).slice(-10)];
};

const actorOf = (user: string): CommandActor | undefined => identify(f.w.engine.directory.current(), { platform: 'slack', userId: user });
const stateOf = async (id: string): Promise<ConsultationState | undefined> => (await f.w.engine.consultations.load(id))?.snapshot as ConsultationState | undefined;

/** Keeps one consultation in each of the Troika and member stages (valid decisions use them up). */
async function replenish(): Promise<void> {
  const stages = (await f.consultations()).map((c) => c.stage);
  const deps = f.w.engine.deps;
  const key = () => `fuzz-replenish:${randomUUID()}`;
  const start = async () => {
    const r = await startConsultation(deps, { key: key(), actor: slackActor(f.w.engine, PEOPLE.staff), title: 'Consulta de reposición', text: `Texto ${randomUUID()}.`, deadline: { kind: 'business_days', days: 5 }, rule: 'explicit', locale: 'es' });
    if (!r.ok) throw new Error(`replenish: ${r.code}`);
    return r.state;
  };
  if (!stages.includes('troika_review')) await start();
  if (!stages.includes('member_consultation')) {
    const s = await start();
    for (const u of [PEOPLE.troikaMX, PEOPLE.troikaSV]) {
      const r = await reactTroika(deps, { key: key(), actor: slackActor(f.w.engine, u), consultationId: s.consultationId, version: s.currentVersion, reaction: 'approve' });
      if (!r.ok) throw new Error(`replenish: ${r.code}`);
    }
  }
  await f.resync(); // seeded outside any case
}

// --------------------------------------------------------------------------------------------- model

type Decision = (typeof DECISION_ACTIONS)[number];
const TROIKA_REACTION: Partial<Record<Decision, 'approve' | 'request_changes' | 'object'>> = { troika_approve: 'approve', troika_changes: 'request_changes', troika_object: 'object' };
const POSITION: Partial<Record<Decision, 'support' | 'object' | 'abstain'>> = { position_support: 'support', position_object: 'object', position_abstain: 'abstain' };

/**
 * Whether `user` deciding `action` on (consultation, version), with `reason`, is a valid, authorised
 * decision that is not a repeat of the country's record: domain.md "Rules the bot applies" (the Troika:
 * a Troika country other than the author, on the current version, in the Troika review; a position: a
 * focal point of that Member Country, on the current version, in the member stage, before the deadline).
 * Returns the acting country, or undefined.
 */
function validDecision(state: ConsultationState | undefined, actor: CommandActor | undefined, action: Decision, version: string, reason?: string): string | undefined {
  if (!state || !actor || version !== state.currentVersion) return undefined;
  const reaction = TROIKA_REACTION[action];
  if (reaction) {
    if (state.stage !== 'troika_review' || !state.troika) return undefined;
    const acting = focalPointCountries(state.participants, actor.personId).filter((c) => state.troika!.countries.includes(c) && c !== state.troika!.authorCountry);
    if (acting.length !== 1) return undefined;
    const current = state.troikaReactions[acting[0]!];
    if (current && !current.implicit && current.version === state.currentVersion && current.reaction === reaction && current.reason === reason) return undefined;
    return acting[0];
  }
  const position = POSITION[action]!;
  if (state.stage !== 'member_consultation' || !actor.country || !isFocalPointOf(state.participants, actor.personId, actor.country)) return undefined;
  if (!(f.w.engine.clock.now().getTime() < new Date(state.deadline ?? 0).getTime())) return undefined;
  const current = state.positions[actor.country];
  if (current && current.version === state.currentVersion && current.position === position && current.reason === reason) return undefined;
  return actor.country;
}

/** The events a recorded decision may set off after its own. */
const FOLLOW_UPS = new Set(['member_consultation_opened', 'consultation_closed', 'consultation_not_endorsed']);

function expectDecisionEvents(events: Awaited<ReturnType<FuzzWorld['eventsAfter']>>, o: { consultationId: string; version: string; action: Decision; personId: string; country: string; reason?: string; what: string }) {
  expect(events.length, `${o.what}: events`).toBeGreaterThan(0);
  const [first, ...rest] = events;
  for (const e of events) expect(e.consultationId, `${o.what}: another consultation changed`).toBe(o.consultationId);
  const reaction = TROIKA_REACTION[o.action];
  expect(first!.payload, o.what).toMatchObject({
    type: reaction ? 'troika_reacted' : 'position_recorded',
    ...(reaction ? { reaction } : { position: POSITION[o.action] }),
    version: o.version,
    country: o.country,
    actor: { personId: o.personId },
  });
  expect((first!.payload as { reason?: string }).reason, `${o.what}: reason`).toBe(o.reason);
  for (const e of rest) expect(FOLLOW_UPS.has(e.type), `${o.what}: unexpected ${e.type}`).toBe(true);
}

// -------------------------------------------------------------------------------------------- clicks

interface Click {
  user: string;
  actionId: string;
  value: { kind: 'genuine' | 'other-version' | 'forged-id' | 'crossed' | 'garbage'; text: string | undefined };
  where: 'card' | 'home' | 'elsewhere';
}

/** Focal points of the Troika countries other than the author (PA): MX and SV. */
const TROIKA_USERS = ['U0MX0000001', 'U0MX0000002', 'U0SV0000001'];
/** Focal points of Member Countries (observers' JM left out). */
const MEMBER_USERS = DIRECTORY_USERS.filter((u) => !u.startsWith('U0ST') && u !== 'U0JM0000001');

/** A click aimed at a decision someone may make: the right people on a consultation in the right stage. */
const aimedClick = (consultations: { id: string; stage: string; versions: string[] }[]): fc.Arbitrary<Click> => {
  const review = consultations.filter((c) => c.stage === 'troika_review');
  const members = consultations.filter((c) => c.stage === 'member_consultation');
  const troika = review.length
    ? fc.record({ c: fc.constantFrom(...review), user: fc.constantFrom(...TROIKA_USERS, 'U0PA0000001'), actionId: fc.constantFrom('troika_approve', 'troika_approve', 'troika_changes', 'troika_object') })
    : undefined;
  const member = members.length
    ? fc.record({ c: fc.constantFrom(...members), user: fc.constantFrom(...MEMBER_USERS), actionId: fc.constantFrom('position_support', 'position_abstain', 'position_object') })
    : undefined;
  const pick = [troika, member].filter((x) => x !== undefined);
  return fc.oneof(...pick).chain(({ c, user, actionId }) =>
    fc.constantFrom<Click['where']>('card', 'card', 'home').map((where) => ({ user, actionId, value: { kind: 'genuine' as const, text: buttonValue(c.id, c.versions.at(-1)!) }, where })),
  );
};

const clickArb = (consultations: { id: string; stage: string; versions: string[] }[]): fc.Arbitrary<Click> => fc.oneof(aimedClick(consultations), anyClick(consultations));

const anyClick = (consultations: { id: string; versions: string[] }[]): fc.Arbitrary<Click> => {
  const genuine = fc.constantFrom(...consultations).map((c) => ({ kind: 'genuine' as const, text: buttonValue(c.id, c.versions.at(-1)!) }));
  const otherVersion = fc.constantFrom(...consultations).chain((c) => fc.constantFrom(...c.versions).map((v) => ({ kind: 'other-version' as const, text: buttonValue(c.id, v) })));
  const forged = fc.tuple(fc.uuid(), fc.constantFrom(...consultations)).map(([id, c]) => ({ kind: 'forged-id' as const, text: buttonValue(id, c.versions.at(-1)!) }));
  const crossed = fc.tuple(fc.constantFrom(...consultations), fc.constantFrom(...consultations)).map(([a, b]) => ({ kind: 'crossed' as const, text: buttonValue(a.id, b.versions.at(-1)!) }));
  const garbage = fc.oneof(
    nastyString(),
    jsonGarbage().map((v) => JSON.stringify(v)),
    pollutionJson(),
    fc.constantFrom(...consultations).map((c) => JSON.stringify({ c: c.id, v: c.versions.at(-1), extra: 'x'.repeat(2100) })),
    fc.constantFrom(...consultations).map((c) => JSON.stringify({ c: c.id })),
    fc.record({ c: nastyString(), v: nastyString() }).map((x) => JSON.stringify(x)),
    fc.constantFrom(...consultations).map((c) => JSON.stringify({ c: `${c.id}\u0000`, v: c.versions.at(-1) })),
    fc.constant(undefined),
  ).map((text) => ({ kind: 'garbage' as const, text }));
  return fc.record({
    user: USERS,
    actionId: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<string>(...DECISION_ACTIONS) }, { weight: 1, arbitrary: fc.constantFrom('home_new_consultation', 'unknown_action', 'TROIKA_APPROVE', 'troika_approve ') }),
    value: fc.oneof({ weight: 4, arbitrary: genuine }, { weight: 1, arbitrary: otherVersion }, { weight: 1, arbitrary: forged }, { weight: 1, arbitrary: crossed }, { weight: 2, arbitrary: garbage }),
    where: fc.constantFrom('card', 'card', 'home', 'elsewhere'),
  });
};

let trigger = 0;
const nextTrigger = () => `2${String(++trigger).padStart(10, '0')}.2.fuzz`;

describe('buttons', () => {
  it('any click: changes exactly the decision it is when valid and authorised, else nothing, and the person is told', async () => {
    await replenish();
    let consultations = await targets();
    await check('clicks', fc.integer({ min: 0, max: 2 ** 30 }).chain(() => clickArb(consultations)), async (c) => {
      const actor = actorOf(c.user);
      // The adapter's own reading of an untrusted value (anything else names no consultation).
      const parsed = parseButtonValue(c.value.text);
      const target = parsed ? { c: parsed.consultationId, v: parsed.versionHash } : undefined;
      const isDecision = (DECISION_ACTIONS as readonly string[]).includes(c.actionId);
      const stateBefore = target ? await stateOf(target.c) : undefined;
      // Changes and objections open the reason form: the click itself decides nothing.
      const opensForm = ['troika_changes', 'troika_object', 'position_object'].includes(c.actionId);
      const acting = isDecision && !opensForm ? validDecision(stateBefore, actor, c.actionId as Decision, target?.v ?? '') : undefined;
      await f.before();
      const lastId = await f.lastEventId();
      const calls = f.w.slack.calls.length;
      const posts = f.w.responses.length;
      const triggerId = nextTrigger();
      const dm = f.w.slack.dmChannelOf(c.user);
      const card = f.w.slack.messages(dm).findLast((m) => findButton(m.blocks, c.actionId));
      const message = c.where === 'card' && card ? { channel: dm, ts: card.ts, text: card.text, ...(card.blocks ? { blocks: card.blocks } : {}) } : { channel: dm, ts: `${Math.floor(Date.now() / 1000)}.000${trigger}` };
      let request = blockActions({ userId: c.user, actionId: c.actionId, value: c.value.text ?? '', message, responseUrl: f.w.responseUrl(c.user), triggerId });
      if (c.value.text === undefined || c.where === 'home') {
        const payload = JSON.parse(new URLSearchParams(request.body).get('payload')!) as Record<string, any>;
        if (c.value.text === undefined) delete payload.actions[0].value;
        if (c.where === 'home') {
          payload.container = { type: 'view', view_id: 'V0HOME0001' };
          delete payload.message;
          delete payload.channel;
        }
        request = { ...request, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
      }
      const res = await f.w.post(request);
      const what = `${c.user} clicks ${c.actionId} (${c.value.kind}) ${JSON.stringify((c.value.text ?? '(none)').slice(0, 160))} on ${c.where}`;
      await f.afterCase(res, { mayChange: acting !== undefined, what });
      expect(res.status, what).toBe(200);
      const events = await f.eventsAfter(lastId);
      tally('clicks', acting !== undefined ? 'decided' : isDecision ? 'refused or form' : 'not ours');
      if (acting !== undefined) {
        expectDecisionEvents(events, { consultationId: target!.c, version: target!.v, action: c.actionId as Decision, personId: actor!.personId, country: acting, what });
        consultations = await targets();
        if (events.some((e) => FOLLOW_UPS.has(e.type))) await replenish();
        return;
      }
      expect(events.map((e) => e.type), `${what}: changed`).toEqual([]);
      if (!isDecision && c.actionId !== 'home_new_consultation') return; // not one of ours: nothing to say
      // Told something: a private message, or the reason form (or the new-consultation form) on their trigger.
      const told =
        f.w.responses.slice(posts).some((r) => r.user === c.user) ||
        f.w.slack.calls.slice(calls).some((k) => (k.method === 'chat.postEphemeral' && k.args.user === c.user) || (k.method === 'chat.postMessage' && k.args.channel === c.user) || k.args.trigger_id === triggerId || (k.method === 'views.publish' && k.args.user_id === c.user));
      expect(told, `${what}: nobody told the person`).toBe(true);
    }, runs(350));
  });
});

// --------------------------------------------------------------------------------------------- forms

interface Submission {
  form: FormId | 'unknown';
  user: string;
  values: unknown;
  metadata: { kind: string; text: string };
}

function metadataArb(form: FormId | 'unknown', consultations: { id: string; reference: string; stage: string; versions: string[] }[]): fc.Arbitrary<{ kind: string; text: string }> {
  const garbage = fc.oneof(nastyString(), jsonGarbage().map((v) => JSON.stringify(v)), pollutionJson(), fc.constant('x'.repeat(3001))).map((text) => ({ kind: 'garbage', text }));
  const c = fc.constantFrom(...consultations);
  if (form === 'consultation_new') return fc.oneof(fc.constantFrom('{}', '{"ch":"D0APPHOME01"}', '{"ch":"C0ST000001"}').map((text) => ({ kind: 'genuine', text })), garbage);
  if (form === 'reason') {
    const genuine = fc.tuple(c, fc.constantFrom('changes', 'object', 'position_object'), fc.boolean()).chain(([x, k, oldVersion]) =>
      fc.constantFrom(...(oldVersion ? x.versions : [x.versions.at(-1)!])).map((v) => ({ kind: 'genuine', text: encodeReasonMetadata({ kind: k as 'changes', consultationId: x.id, versionHash: v }) })),
    );
    const forged = fc.oneof(
      fc.tuple(fc.uuid(), c).map(([id, x]) => ({ kind: 'forged', text: encodeReasonMetadata({ kind: 'object', consultationId: id, versionHash: x.versions.at(-1)! }) })),
      fc.record({ k: fc.constantFrom('changes', 'object'), c: nastyString(), v: nastyString(), ch: fc.option(nastyString(), { nil: undefined }), ts: fc.option(nastyString(), { nil: undefined }) }).map((m) => ({ kind: 'forged', text: JSON.stringify(m) })),
    );
    return fc.oneof({ weight: 4, arbitrary: genuine }, { weight: 1, arbitrary: forged }, { weight: 2, arbitrary: garbage });
  }
  if (form === 'unknown') return garbage;
  const genuine = fc.tuple(c, fc.boolean()).map(([x, rs]) => ({ kind: 'genuine', text: encodeManageMetadata({ consultationId: x.id, reference: x.reference, originalLocale: 'es', ...(rs && x.stage === 'not_endorsed' ? { resend: true } : {}) }) }));
  const crossed = fc.tuple(c, c, fc.boolean()).map(([x, y, rs]) => ({ kind: 'crossed', text: encodeManageMetadata({ consultationId: x.id, reference: y.reference, ...(rs ? { resend: true } : {}) }) }));
  const forged = fc.oneof(
    fc.tuple(fc.uuid(), c).map(([id, x]) => ({ kind: 'forged', text: encodeManageMetadata({ consultationId: id, reference: x.reference }) })),
    fc.record({ c: nastyString(), r: nastyString(), ch: fc.option(nastyString(), { nil: undefined }), rs: fc.constantFrom(1, undefined, true) }).map((m) => ({ kind: 'forged', text: JSON.stringify(m) })),
  );
  return fc.oneof({ weight: 5, arbitrary: genuine }, { weight: 1, arbitrary: crossed }, { weight: 1, arbitrary: forged }, { weight: 2, arbitrary: garbage });
}

type Listed = { id: string; reference: string; stage: string; versions: string[] };

/** A submission aimed at what may succeed: the right people, metadata naming a consultation in the right stage. */
function aimedSubmission(consultations: Listed[], nowSec: number): fc.Arbitrary<Submission> {
  const inStage = (...stages: string[]) => consultations.filter((c) => stages.includes(c.stage));
  const manage = (form: 'revise' | 'extend' | 'withdraw', stages: string[]) => {
    const list = inStage(...stages);
    return list.length
      ? fc.record({ c: fc.constantFrom(...list), user: fc.constantFrom(...MANAGERS) }).map(({ c, user }) => ({ form, user, metadata: { kind: 'genuine', text: encodeManageMetadata({ consultationId: c.id, reference: c.reference, originalLocale: 'es', ...(c.stage === 'not_endorsed' ? { resend: true } : {}) }) } }))
      : undefined;
  };
  const reasonFor = (kinds: ('changes' | 'object' | 'position_object')[], stages: string[], users: string[]) => {
    const list = inStage(...stages);
    return list.length
      ? fc.record({ c: fc.constantFrom(...list), kind: fc.constantFrom(...kinds), user: fc.constantFrom(...users) }).map(({ c, kind, user }) => ({ form: 'reason' as const, user, metadata: { kind: 'genuine', text: encodeReasonMetadata({ kind, consultationId: c.id, versionHash: c.versions.at(-1)! }) } }))
      : undefined;
  };
  const choices = [
    fc.record({ user: fc.constantFrom(...MANAGERS) }).map(({ user }) => ({ form: 'consultation_new' as const, user, metadata: { kind: 'genuine', text: '{"ch":"D0APPHOME01"}' } })),
    manage('revise', ['troika_review', 'not_endorsed']),
    manage('extend', ['member_consultation']),
    manage('withdraw', ['troika_review', 'member_consultation']),
    reasonFor(['changes', 'changes', 'object'], ['troika_review'], TROIKA_USERS),
    reasonFor(['position_object'], ['member_consultation'], MEMBER_USERS),
  ].filter((x) => x !== undefined);
  return fc.oneof(...choices).chain((base) => valuesArb(base.form, nowSec).map((values) => ({ ...base, values })));
}

function submissionArb(consultations: Listed[], nowSec: number): fc.Arbitrary<Submission> {
  return fc.oneof({ weight: 3, arbitrary: aimedSubmission(consultations, nowSec) }, { weight: 2, arbitrary: anySubmission(consultations, nowSec) });
}

function anySubmission(consultations: Listed[], nowSec: number): fc.Arbitrary<Submission> {
  return fc.constantFrom<FormId | 'unknown'>('consultation_new', 'consultation_new', 'reason', 'reason', 'revise', 'extend', 'extend', 'withdraw', 'unknown').chain((form) =>
    fc.record({
      form: fc.constant(form),
      user: form === 'reason' ? USERS : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...MANAGERS) }, { weight: 2, arbitrary: USERS }),
      values: valuesArb(form === 'unknown' ? 'reason' : form, nowSec),
      metadata: metadataArb(form, consultations),
    }),
  );
}

/** The events each form may write when it succeeds, in order (follow-ups after the first allowed). */
const FORM_EVENTS: Record<FormId, string[]> = {
  consultation_new: ['consultation_started', 'sent_to_troika'],
  reason: ['troika_reacted', 'position_recorded'],
  revise: ['text_revised', 'consultation_started'],
  extend: ['deadline_extended'],
  withdraw: ['consultation_withdrawn'],
};

/** The consultation a reason submission names, as it was before the submission. */
const reasonStates = new WeakMap<Submission, ConsultationState | undefined>();

describe('forms', () => {
  it('any submission: field errors and nothing changed, or exactly what the form is for, or a private refusal', async () => {
    await replenish();
    let consultations = await targets();
    const nowSec = Math.floor(f.w.engine.clock.now().getTime() / 1000);
    await check('submissions', fc.integer({ min: 0, max: 2 ** 30 }).chain(() => submissionArb(consultations, nowSec)), async (s) => {
      const meta = s.form === 'reason' ? parseReasonMetadata(s.metadata.text) : undefined;
      if (meta) reasonStates.set(s, await stateOf(meta.consultationId));
      const before = await f.before();
      const lastId = await f.lastEventId();
      const calls = f.w.slack.calls.length;
      const posts = f.w.responses.length;
      const callbackId = s.form === 'unknown' ? 'consultation_old' : s.form;
      const request = viewSubmission({ userId: s.user, callbackId, values: {}, privateMetadata: s.metadata.text, viewId: `V0FUZZ${randomUUID().slice(0, 8).toUpperCase()}` });
      const payload = JSON.parse(new URLSearchParams(request.body).get('payload')!) as { view: { state: { values: unknown } } };
      payload.view.state.values = s.values;
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const res = await f.w.post({ ...request, body });
      const what = `${s.user} submits ${callbackId} (metadata ${s.metadata.kind} ${JSON.stringify(s.metadata.text.slice(0, 120))}) ${JSON.stringify(s.values).slice(0, 400)}`;
      await f.afterCase(res, { mayChange: true, what });
      const events = await f.eventsAfter(lastId);
      const after = await f.before();
      expect([200, 400], what).toContain(res.status);
      if (res.status === 400) {
        tally('submissions', 'shape 400');
        // A shape that is no Slack view (state.values not a mapping of mappings): refused at the edge.
        expect(events, what).toEqual([]);
        return;
      }
      const answer = res.body ? (JSON.parse(res.body) as { response_action?: string; errors?: Record<string, string>; view?: unknown }) : {};
      if (s.form === 'unknown') {
        tally('submissions', 'unknown form');
        expect(events, what).toEqual([]);
        return;
      }
      const oracle = parserVerdict(s, f.w.engine.clock.now());
      tally('submissions', `${s.form} ${answer.response_action === 'errors' ? 'field errors' : events.length > 0 ? 'changed' : 'refused'}`);
      if (s.form === 'reason' && oracle?.ok) {
        // The reason form decides exactly like a click, with the reason: the model says whether it may.
        const meta = parseReasonMetadata(s.metadata.text)!;
        // The reason as the domain keeps it (storable characters, trimmed); nothing left is no reason.
        const reason = storableText((parseReason(s.values, 'es') as { value: string }).value).trim();
        const action = ACTION_OF_REASON[meta.kind];
        const acting = reason === '' ? undefined : validDecision(reasonStates.get(s), actorOf(s.user), action, meta.versionHash, reason);
        if (acting !== undefined) {
          expectDecisionEvents(events, { consultationId: meta.consultationId, version: meta.versionHash, action, personId: actorOf(s.user)!.personId, country: acting, reason, what });
          consultations = await targets();
          await replenish();
          consultations = await targets();
          return;
        }
        expect(events.map((e) => e.type), `${what}: a reason that may not decide changed something`).toEqual([]);
      }
      if (answer.response_action === 'errors') {
        expect(events.map((e) => e.type), `${what}: changed despite errors`).toEqual([]);
        const fields = Object.keys(answer.errors ?? {});
        expect(fields.length, what).toBeGreaterThan(0);
        for (const k of fields) expect([...FORMS[s.form].text, ...FORMS[s.form].number, ...FORMS[s.form].datetime, ...FORMS[s.form].select] as string[], `${what}: error on ${k}`).toContain(k);
        for (const m of Object.values(answer.errors ?? {})) expect(m, what).toMatch(/^[^{}]*\S[^{}]*$/);
        if (oracle && !oracle.ok) expect(fields.sort(), `${what}: the form's own errors`).toEqual(Object.keys(oracle.errors).sort());
        return;
      }
      if (oracle && !oracle.ok) throw new Error(`${what}: the form's checks failed (${Object.keys(oracle.errors).join(', ')}) but the answer was ${res.body.slice(0, 300)}`);
      if (events.length > 0) {
        const actor = actorOf(s.user);
        expect(actor, `${what}: a stranger changed something`).toBeDefined();
        expect(FORM_EVENTS[s.form], `${what}: ${events[0]!.type}`).toContain(events[0]!.type);
        expect((events[0]!.payload as { actor?: { personId?: string } }).actor?.personId, what).toBe(actor!.personId);
        const ids = new Set(events.map((e) => e.consultationId));
        expect(ids.size, `${what}: several consultations changed`).toBe(1);
        if (s.form === 'consultation_new' || events[0]!.type === 'consultation_started') expect(after.consultations, what).toBe(before.consultations + 1);
        else expect(after.consultations, what).toBe(before.consultations);
        if (s.form !== 'reason' && s.form !== 'consultation_new') expect(MANAGERS.has(s.user), `${what}: not a manager`).toBe(true);
        consultations = await targets();
        await replenish();
        consultations = await targets();
        return;
      }
      // Nothing changed and no field errors: the person is told why (a notice in place of the form, or a message).
      const told = answer.response_action === 'update' || f.w.responses.slice(posts).some((r) => r.user === s.user) || f.w.slack.calls.slice(calls).some((k) => (k.method === 'chat.postEphemeral' && k.args.user === s.user) || (k.method === 'chat.postMessage' && k.args.channel === s.user));
      expect(told, `${what}: nothing changed and nobody was told (answer ${res.body.slice(0, 200)})`).toBe(true);
    }, runs(450));
  });
});

/**
 * What the form's own checks say of the values (the parsers of src/adapters/slack/views.ts and
 * manage-views.ts), when the listener gets as far as reading them: the person is in the directory and,
 * for the forms on a consultation, the private_metadata is one of ours.
 */
function parserVerdict(s: Submission, now: Date): { ok: true } | { ok: false; errors: Record<string, unknown> } | undefined {
  if (!actorOf(s.user)) return undefined; // strangers are refused before their values are read
  switch (s.form) {
    case 'consultation_new':
      return parseNewConsultation(s.values, now, 'es');
    case 'reason':
      return parseReasonMetadata(s.metadata.text) ? parseReason(s.values, 'es') : undefined;
    case 'revise':
      return parseManageMetadata(s.metadata.text) ? parseRevise(s.values, 'es') : undefined;
    case 'extend':
      return parseManageMetadata(s.metadata.text) ? parseExtend(s.values, now, 'es') : undefined;
    case 'withdraw':
      return parseManageMetadata(s.metadata.text) ? parseWithdraw(s.values, 'es') : undefined;
    default:
      return undefined;
  }
}

export type { StateValue };
