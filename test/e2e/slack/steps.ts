/**
 * Steps and expectations shared by the Slack e2e files: people act through signed requests, and what they
 * see is read back from the fake Slack Web API. Expected texts come from the i18n catalogue, so "in their
 * language" means the exact heading of that person's locale.
 */
import { expect } from 'vitest';
import { t } from '../../../src/i18n/index.ts';
import { findButton, stateValue } from '../../helpers/slack-requests.ts';
import type { FakeCall } from '../../helpers/fake-slack-api.ts';
import { headerOf, mentions, waitFor, type Actor, type Card, type SlackWorld } from './harness.ts';

export type PositionValue = 'support' | 'object' | 'abstain' | 'none';
const POSITION_ACTION = { support: 'position_support', object: 'position_object', abstain: 'position_abstain' } as const;

/** Waits until the card `card` has been updated in place (chat.update on its channel and ts). */
export async function expectCardUpdated(w: SlackWorld, card: Card, sinceCalls: number): Promise<FakeCall> {
  return waitFor(
    () => w.slack.calls.slice(sinceCalls).find((c) => c.method === 'chat.update' && c.args.ts === card.ts && (c.args.channel === card.channel || w.slack.dmChannelOf(String(c.args.channel)) === card.channel)),
    `chat.update of the card ${card.channel}/${card.ts}`,
  );
}

/** Every focal point of the Troika countries (not the PPT) got the Troika request in their language. */
export async function expectTroikaAsked(w: SlackWorld, ref: string, options: { revised?: boolean } = {}): Promise<void> {
  for (const code of w.people.troikaCountries) {
    for (const fp of w.people.focalPointsOf[code]!) {
      const heading = t(fp.locale, 'troika_request.heading', { reference: ref });
      await waitFor(() => w.dmsOf(fp.slack, ref).filter((m) => headerOf(m) === heading).length >= (options.revised ? 2 : 1), `${options.revised ? 'the revised ' : ''}Troika request of ${ref} to ${fp.name} (${fp.locale})`);
      expect(w.slack.callsOf('conversations.open').some((c) => c.args.users === fp.slack), `conversations.open for ${fp.name}`).toBe(true);
    }
  }
  // The PPT's own focal points are not asked (the author counts as approving).
  for (const fp of w.people.focalPointsOf[w.people.pptCountry]!) {
    expect(w.dmsOf(fp.slack, ref).filter((m) => findButton(m.blocks, 'troika_approve')), `no Troika card for the PPT's ${fp.name}`).toHaveLength(0);
  }
}

/** Every Troika country (but the PPT) approves the current version, each click updating its card in place. */
export async function troikaApproves(w: SlackWorld, ref: string, options: { after?: string } = {}): Promise<void> {
  for (const who of w.people.troika) {
    const card = await w.cardFor(who, ref, 'troika_approve', options);
    const before = w.slack.calls.length;
    const { res } = await w.click(who, card, 'troika_approve');
    expect(res.status).toBe(200);
    await expectCardUpdated(w, card, before);
  }
}

/** Every Member Country focal point got the member request in their language, with the three buttons. */
export async function expectMembersAsked(w: SlackWorld, ref: string): Promise<void> {
  for (const fp of w.people.members) {
    const heading = t(fp.locale, 'member_request.heading', { reference: ref });
    const m = await waitFor(() => w.dmsOf(fp.slack, ref).find((x) => headerOf(x) === heading), `the member request of ${ref} to ${fp.name} (${fp.country}, ${fp.locale})`);
    for (const a of Object.values(POSITION_ACTION)) expect(findButton(m.blocks, a), `${a} on ${fp.name}'s card`).toBeDefined();
  }
}

/** `who` records a position by clicking on their card (a reason modal for an objection); the card is updated in place. */
export async function answer(w: SlackWorld, who: Actor, ref: string, position: Exclude<PositionValue, 'none'>, reason = 'Nuestro gobierno no puede acompañar el texto en su forma actual.'): Promise<void> {
  const action = POSITION_ACTION[position];
  const card = await w.cardFor(who, ref, action);
  const before = w.slack.calls.length;
  if (position === 'object') {
    const res = await w.clickWithReason(who, card, action, reason);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('"errors"');
  } else {
    const { res } = await w.click(who, card, action);
    expect(res.status).toBe(200);
  }
  await expectCardUpdated(w, card, before);
}

/** Waits for the position of `country` to be stored (the event log). */
export async function positionStored(w: SlackWorld, id: string, country: string, position: PositionValue): Promise<void> {
  await waitFor(async () => (await w.events(id)).some((e) => e.type === 'position_recorded' && e.payload.country === country && e.payload.position === position), `${country}'s ${position} recorded`);
}

/** `/crm <sub> REF` as `who`, then the modal `callbackId` submitted with `values`. */
export async function commandModal(w: SlackWorld, who: Actor, text: string, callbackId: string, values: Parameters<SlackWorld['submit']>[2]): Promise<void> {
  const { res, triggerId } = await w.command(who, text);
  expect(res.status).toBe(200);
  const view = await w.openedView(triggerId, callbackId);
  const sub = await w.submit(who, view, values);
  expect(sub.status).toBe(200);
  expect(sub.body, `the ${callbackId} modal was refused`).not.toContain('"errors"');
}

export { stateValue };

/** Everything a Slack message says, as JSON of its blocks (escaped mrkdwn). */
export const blocksOf = (m: { blocks?: unknown[] }): string => JSON.stringify(m.blocks ?? []);

/**
 * The end of a consultation, as Slack shows it: the digest in the ST channel with the exact metadata of
 * interfaces.md, the result notice in their language to everyone who had received the text — every Member
 * Country focal point once it circulated, with the tally after a close; only the Troika's (the PPT's
 * included) when it never left the Troika, and nothing to the other members —, the ST channel's live
 * status updated in place, and nothing ever sent to an observer.
 */
export async function expectEnded(
  w: SlackWorld,
  ref: string,
  outcome: 'consensus' | 'no_consensus' | 'incomplete' | 'not_endorsed' | 'withdrawn',
  positions: Record<string, PositionValue>,
  options: { circulated?: boolean } = {},
): Promise<void> {
  const digest = await waitFor(() => w.digest(ref), `the digest of ${ref} in the ST channel`);
  expect(digest.args.metadata).toEqual({ event_type: 'crm_consultation_closed', event_payload: { reference: ref, outcome, positions } });
  expect(Object.keys(positions).sort()).toEqual([...w.people.memberCodes].sort());
  const st = w.people.directory.secretariat.locale;
  expect(headerOf(digest.args as { blocks?: unknown[] })).toBe(t(st, 'digest.heading', { reference: ref }));
  expect(w.stPosts(ref).filter((c) => c === digest)).toHaveLength(1);
  expect(w.slack.callsOf('chat.postMessage').filter((c) => w.digest(ref) === c)).toHaveLength(1);

  const circulated = options.circulated ?? outcome !== 'not_endorsed';
  const troika = [w.people.pptCountry, ...w.people.troikaCountries];
  const told = w.people.members.filter((fp) => circulated || troika.includes(fp.country ?? ''));
  const counts = { support: 0, object: 0, abstain: 0, none: 0 };
  for (const p of Object.values(positions)) counts[p] += 1;
  for (const fp of told) {
    const heading = t(fp.locale, 'result.heading', { reference: ref });
    const notice = await waitFor(() => w.dmsOf(fp.slack, ref).find((m) => headerOf(m) === heading), `the result notice of ${ref} to ${fp.name} (${fp.country}, ${fp.locale})`);
    expect(w.dmsOf(fp.slack, ref).filter((m) => headerOf(m) === heading), `one result notice for ${fp.name}`).toHaveLength(1);
    if (outcome !== 'not_endorsed' && outcome !== 'withdrawn') expect(blocksOf(notice), `the tally for ${fp.name}`).toContain(t(fp.locale, 'digest.counts', counts));
  }
  const c = await w.consultation(ref);
  await w.outboxSettled(c!.id);
  // Members who never received the text hear nothing of it.
  for (const fp of w.people.members.filter((x) => !told.includes(x))) {
    expect(w.dmsOf(fp.slack, ref), `nothing of ${ref} to ${fp.name} (${fp.country})`).toHaveLength(0);
  }
  expectStatusInPlace(w, ref);
  expectNothingToObservers(w);
}

/** The ST channel's live status of `ref`: posted once, then only updated in place. */
export function expectStatusInPlace(w: SlackWorld, ref: string): void {
  const isStatus = (c: FakeCall) => headerOf(c.args as { blocks?: unknown[] }).startsWith(`${ref} · `);
  const posts = w.stPosts(ref).filter(isStatus);
  expect(posts.length, `status of ${ref} posted once in the ST channel`).toBe(1);
  const status = w.slack.messages(w.people.stChannel).find((m) => headerOf(m).startsWith(`${ref} · `));
  expect(status).toBeDefined();
  const updates = w.slack.callsOf('chat.update').filter((c) => c.args.channel === w.people.stChannel && c.args.ts === status!.ts);
  expect(updates.length, `status of ${ref} updated in place`).toBeGreaterThan(0);
}

/** No observer (nor anyone outside the Member Countries and the ST) was ever messaged directly. */
export function expectNothingToObservers(w: SlackWorld): void {
  const allowed = new Set([...w.people.members, ...w.people.staff].map((p) => p.slack));
  const reached = w.dmRecipients();
  for (const o of w.people.observers) expect(reached.has(o.slack), `observer ${o.name} was messaged`).toBe(false);
  for (const u of reached) expect(allowed.has(u), `${u} is neither a member focal point nor ST staff`).toBe(true);
  const observerDms = new Set(w.people.observers.map((o) => w.slack.dmChannelOf(o.slack)));
  expect(w.slack.calls.filter((c) => observerDms.has(String(c.args.channel)))).toHaveLength(0);
}

/** Positions for every member: `given` where set, `none` elsewhere. */
export function positionsOf(w: SlackWorld, given: Record<string, PositionValue>): Record<string, PositionValue> {
  return Object.fromEntries(w.people.memberCodes.map((c) => [c, given[c] ?? 'none']));
}

/** Messages of `ref` that reached `who` (current state). */
export const seenBy = (w: SlackWorld, who: Actor, ref: string) => w.dmsOf(who.slack, ref).filter((m) => mentions(m, ref));
