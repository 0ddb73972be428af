/**
 * The conformance table (./scenarios.ts) through the Teams adapter: each intent as the activity Teams sends
 * (a message typed in the personal chat, an `adaptiveCard/action` invoke) POSTed over real HTTP to
 * `/api/messages`, signed by the local Bot Framework key set and validated by the Teams SDK's own JWT
 * validation (test/helpers/teams-world.ts; the key set, the bot's identity provider and the fake Bot
 * Connector over HTTPS, trusted through a local CA); the adapter (src/adapters/teams/listeners.ts) on a fresh
 * PostgreSQL database. What Teams then shows the person, observed back as `Seen`:
 *   the invoke's answer   a message → say; a card: a form (its submit verb) → form, or fieldErrors when it
 *                         shows errors under fields (a submitted form shown again); a notice → say; a notice
 *                         in place of a form → formSays; "received" → formCloses; the person's view → home;
 *                         the clicked request card as it now is → nothing private (a submitted reason: the
 *                         form closed, formCloses)
 *   the conversation      the activities the bot posted in the person's chat during the request, read the
 *                         same way (a typed command's answers, what comes after an invoke)
 * The same table passes through the interaction layer (./interaction.conformance.test.ts) and Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBlockId, FORM_ERROR_ID } from '../../src/adapters/teams/forms.ts';
import { HOME_BLOCK_ID } from '../../src/adapters/teams/home.ts';
import { FORM_NOTICE_ID, NOTICE_ID, WORKING_ID } from '../../src/adapters/teams/present.ts';
import { formContext } from '../../src/interaction/form-specs.ts';
import type { FormValues } from '../../src/interaction/forms.ts';
import type { FormRequest, Intent, SubmittedContext } from '../../src/interaction/intent.ts';
import { FORM_INPUTS } from '../../src/messages/form-spec.ts';
import { cardProblems, cardTexts, executeActions } from '../helpers/adaptive-cards.ts';
import { startTeamsAdapterWorld, type TeamsAdapterWorld } from '../helpers/teams-adapter-world.ts';
import { APP_ID } from '../helpers/teams-world.ts';
import { platformIdOf, prepare, prepareMeeting } from './given.ts';
import { matches, SCENARIOS, sortSeen, type Seen } from './scenarios.ts';

const FORM_IDS: ReadonlySet<string> = new Set(Object.keys(FORM_INPUTS));

let t: TeamsAdapterWorld;
beforeAll(async () => {
  t = await startTeamsAdapterWorld('teams-conformance');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** What a form carries back in the card's data (formContext), rebuilt from the scenario's context. */
function contextData(context: SubmittedContext | undefined): Record<string, unknown> {
  if (!context) return { tampered: true };
  if (context.form === 'consultation_new') return {};
  if (context.form === 'meeting_new') return formContext({ form: 'meeting_new', ...(context.origin ? { origin: context.origin } : {}) });
  if (context.form === 'meeting_delegation') {
    return formContext({ form: 'meeting_delegation', delegation: context.delegation, current: { title: '', reference: '', countryName: '', segments: [] } });
  }
  let request: FormRequest;
  if (context.form === 'reason') request = { form: 'reason', reason: context.reason };
  else if (context.form === 'revise') request = { form: 'revise', manage: context.manage, current: { title: '', text: '', version: 1 } };
  else if (context.form === 'extend') request = { form: 'extend', manage: context.manage, current: { deadline: '' } };
  else request = { form: 'withdraw', manage: context.manage, current: { title: '', circulated: true } };
  return formContext(request);
}

/** Form values as a card's inputs merged into the data (the table's forms have no date input). */
function inputsData(values: FormValues | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, v] of Object.entries(values ?? {})) {
    if (v === undefined) continue;
    if (id === 'deadline') throw new Error('a deadline in the table: give the driver its date and time inputs');
    out[id] = v;
  }
  return out;
}

/** The activity Teams sends for `intent` from the person `aad`. */
function activityFor(aad: string, intent: Intent): Record<string, unknown> {
  switch (intent.kind) {
    case 'command':
      return t.message(aad, intent.text);
    case 'decide':
      // The clicked card: a message in the person's chat (where it is is the platform's business).
      return t.invoke(aad, intent.action, intent.target ? { c: intent.target.consultationId, v: intent.target.versionHash } : { forged: true });
    case 'open_form':
      if (intent.form === 'meeting_delegation') return t.invoke(aad, 'meeting_delegation_open', intent.meetingId ? { m: intent.meetingId } : { forged: true });
      return t.invoke(aad, 'home_new_consultation', {});
    case 'answer_invitation':
      return t.invoke(aad, `meeting_${intent.response}`, intent.target ? { m: intent.target.meetingId, s: intent.target.segment } : { forged: true });
    case 'submit':
      return t.invoke(aad, intent.form, { ...contextData(intent.context), ...inputsData(intent.values) });
    case 'home':
      return t.invoke(aad, 'home', {});
  }
}

/** Every block id in a card. */
function blockIds(node: unknown): string[] {
  const ids: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as { id?: unknown; type?: unknown };
      if (typeof o.id === 'string' && typeof o.type === 'string' && !o.type.startsWith('Input.')) ids.push(o.id);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return ids;
}

/**
 * What a card stands for. `answering`: the invoke it answers (a decision clicked, a form submitted), or
 * none (a card posted in the chat).
 */
function seenOfCard(card: unknown, answering?: 'decide' | 'submit' | 'other'): Seen[] {
  // Every card the person sees passes the official parser, fits a Teams message, and has its verbs.
  expect(cardProblems(card)).toEqual([]);
  const submitted = answering === 'submit';
  const ids = blockIds(card);
  const text = cardTexts(card).join('\n');
  const submit = executeActions(card).find((a) => typeof a.verb === 'string' && FORM_IDS.has(a.verb));
  if (submit) {
    const errors = ids.filter((id) => id.endsWith('_error') && id !== FORM_ERROR_ID).map((id) => id.slice(0, -'_error'.length));
    if (submitted && (errors.length || ids.includes(FORM_ERROR_ID))) return [{ kind: 'fieldErrors', fields: errors.filter((f) => ids.includes(errorBlockId(f))) }];
    return [{ kind: 'form', form: submit.verb as never }];
  }
  if (ids.includes(HOME_BLOCK_ID.sections)) return [{ kind: 'home', view: 'sections' }];
  if (ids.includes(HOME_BLOCK_ID.no_access)) return [{ kind: 'home', view: 'no_access' }];
  if (ids.includes(FORM_NOTICE_ID)) return [{ kind: 'formSays', text }];
  if (ids.includes(NOTICE_ID)) return [{ kind: 'say', text }];
  if (ids.includes(WORKING_ID)) return [{ kind: 'formCloses' }];
  // The clicked card as it now is (the decision recorded on it): nothing said privately; for a submitted
  // reason, its form closed.
  if (answering === 'decide') return [];
  if (submitted) return [{ kind: 'formCloses' }];
  // A message of the bot (the help, a status): read privately in the chat.
  return [{ kind: 'say', text }];
}

interface InvokeBody {
  type?: string;
  value?: unknown;
}

function observe(intent: Intent, body: InvokeBody | undefined, posted: Record<string, unknown>[]): Seen[] {
  const seen: Seen[] = [];
  if (intent.kind !== 'command' && body) {
    if (body.type === 'application/vnd.microsoft.activity.message') seen.push({ kind: 'say', text: String(body.value) });
    else if (body.type === 'application/vnd.microsoft.card.adaptive' && intent.kind === 'answer_invitation') {
      // The invitation answered: the clicked card replaced by the invitation with the answer recorded.
      expect(cardProblems(body.value)).toEqual([]);
      seen.push({ kind: 'card', text: cardTexts(body.value).join('\n') });
    } else if (body.type === 'application/vnd.microsoft.card.adaptive') seen.push(...seenOfCard(body.value, intent.kind === 'decide' || intent.kind === 'submit' ? intent.kind : 'other'));
  }
  for (const a of posted) {
    const card = (a.attachments as { content?: unknown }[] | undefined)?.[0]?.content;
    if (card) seen.push(...seenOfCard(card));
    else if (typeof a.text === 'string') seen.push({ kind: 'say', text: a.text });
  }
  return seen;
}

describe('the Teams adapter against the conformance table', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const { engine, listeners } = t;
    const c = s.given ? await prepare(engine.deps, s.given) : undefined;
    const m = s.meeting ? await prepareMeeting(t.meetings) : undefined;
    const intent = typeof s.intent === 'function' ? s.intent(c!, m!) : s.intent;
    const expected = typeof s.expect === 'function' ? s.expect(c) : s.expect;
    const aad = platformIdOf(engine.deps.directory.current(), s.who, 'teams');
    const before = t.posted(aad).length;
    const res = await t.post(activityFor(aad, intent));
    expect(res.status).toBe(200);
    // Everything the request set in motion has finished (what comes later), then look.
    expect(await listeners.drain(10_000)).toBe(0);
    const seen = observe(intent, res.body as InvokeBody | undefined, t.posted(aad, before).map((x) => x.activity));
    expect(matches(seen, expected), `seen ${JSON.stringify(sortSeen(seen), null, 1)}`).toBe(true);
  });

  it('a request without a valid token is refused (401) and nothing is handled', async () => {
    const aad = platformIdOf(t.engine.deps.directory.current(), 'memberCR', 'teams');
    const before = t.posted(aad).length;
    const forged = t.world.bf.forge({ appId: APP_ID, serviceUrl: t.world.connector.serviceUrl });
    const res = await t.post(t.message(aad, 'ayuda'), `Bearer ${forged}`);
    expect(res.status).toBe(401);
    expect(await t.listeners.drain(1_000)).toBe(0);
    expect(t.posted(aad, before)).toEqual([]);
  });
});
