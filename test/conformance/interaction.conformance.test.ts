/**
 * The conformance table (./scenarios.ts) through the interaction layer itself: each intent handled by
 * `Interaction` on a real PostgreSQL database, its replies observed as `Seen`. The adapters' runs of the same
 * table (./slack.conformance.test.ts, and later Teams and the console) must see the same.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingDeps } from '../../src/flows/meeting-flows.ts';
import { MeetingStore } from '../../src/store/meeting-store.ts';
import { formSpec } from '../../src/interaction/form-specs.ts';
import { Identity } from '../../src/interaction/identity.ts';
import { Interaction } from '../../src/interaction/interaction.ts';
import type { Reply } from '../../src/interaction/intent.ts';
import { silentLogger } from '../../src/log.ts';
import { openTestEngine, type TestEngine } from '../helpers/engine.ts';
import { platformIdOf, prepare, prepareMeeting } from './given.ts';
import { matches, SCENARIOS, sortSeen, type Seen } from './scenarios.ts';

/** The replies as a person sees them, on any platform. A loading form is not something one reads. */
export function seenOf(replies: readonly Reply[]): Seen[] {
  const out: Seen[] = [];
  for (const r of replies) {
    switch (r.kind) {
      case 'notice':
        out.push({ kind: 'say', text: r.text });
        break;
      case 'message':
        out.push({ kind: 'say', text: [r.message.heading, ...r.message.body, ...r.message.fields.map((f) => `${f.label}: ${f.value}`)].join('\n') });
        break;
      case 'form':
        out.push({ kind: 'form', form: r.form.form });
        break;
      case 'form_notice':
        out.push({ kind: 'formSays', text: r.text });
        break;
      case 'field_errors':
        out.push({ kind: 'fieldErrors', fields: Object.keys(r.errors) });
        break;
      case 'close_form':
        out.push({ kind: 'formCloses' });
        break;
      case 'home':
        out.push({ kind: 'home', view: r.view.kind === 'sections' ? 'sections' : 'no_access' });
        break;
      case 'card':
        // A card the platform replaces itself (an invitation answered) is seen; a decision's card is
        // updated through the outbox: on the card, nothing said privately.
        if (r.inPlace) out.push({ kind: 'card', text: [r.update.recorded.what, r.update.heading].join('\n') });
        break;
      case 'loading':
        break;
    }
  }
  return out;
}

let engine: TestEngine;
let interaction: Interaction;
let meetings: MeetingDeps;
const MEETINGS = () => meetings;

beforeAll(async () => {
  engine = await openTestEngine('postgres', 'interaction-conformance');
  const identity = new Identity('slack', engine.deps.directory, undefined, silentLogger());
  meetings = { meetings: new MeetingStore(engine.db.prisma), directory: engine.deps.directory, clock: engine.deps.clock, newId: randomUUID };
  interaction = new Interaction({ deps: engine.deps, reader: engine.consultations, identity, logger: silentLogger(), meetings });
});
afterAll(async () => {
  await engine?.dispose();
});

describe('the interaction layer against the conformance table', () => {
  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const c = s.given ? await prepare(engine.deps, s.given) : undefined;
    const m = s.meeting ? await prepareMeeting(MEETINGS()) : undefined;
    const intent = typeof s.intent === 'function' ? s.intent(c!, m!) : s.intent;
    const expected = typeof s.expect === 'function' ? s.expect(c) : s.expect;
    const userId = platformIdOf(engine.deps.directory.current(), s.who, 'slack');
    const out = await interaction.handle(userId, intent, { key: `conformance:${s.name}`, budgetMs: 5_000 });
    const replies = [...out.now, ...(out.later ? await out.later : [])];
    const seen = seenOf(replies);
    // Every form asked for is one a card platform can show (Teams, the console).
    for (const r of replies) if (r.kind === 'form') expect(formSpec(r.form, { locale: out.locale, timezone: 'America/Costa_Rica' }).id).toBe(r.form.form);
    expect(matches(seen, expected), `seen ${JSON.stringify(sortSeen(seen), null, 1)}`).toBe(true);
  });
});
