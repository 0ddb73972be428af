/**
 * The ST channels (interfaces.md "Microsoft Teams"): a directory may name `secretariat.slack.channel`,
 * `secretariat.teams.channel` or both, and EVERY one named gets the live status, the Troika's requests for
 * changes, the digest and the record after it, identical in content; each row is addressed to one channel
 * on its own platform. secretariatAddress (one address, Slack first) is left for callers that want one;
 * the weekly digest, the duty reminders and the dead letters go to every channel too
 * (./st-teams-single-messages.test.ts, test/unit/jobs/deliver.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { secretariatAddress, secretariatAddresses } from '../../../src/flows/addressing.ts';
import { messagesFor } from '../../../src/flows/effects.ts';
import type { Directory } from '../../../src/directory/model.ts';
import type { NewOutboxMessage } from '../../../src/store/consultation-store.ts';
import { answer, directory, fp1, ID, opened, payload, react, send, start, SV, toST, type Step } from './fixtures.ts';

const CHANNEL = '19:0f1e2d3c4b5a@thread.tacv2';
const SLACK = directory.secretariat.slack!.channel;
const withSt = (st: Partial<typeof directory.secretariat>): Directory => ({ ...directory, secretariat: { ...directory.secretariat, ...st } });
const teamsOnly = (): Directory => {
  const { slack: _slack, ...rest } = directory.secretariat;
  return { ...directory, secretariat: { ...rest, teams: { channel: CHANNEL } } };
};
const both = withSt({ teams: { channel: CHANNEL } });
/** The same decision's rows, written for another directory. */
const under = (d: Directory, s: Step): NewOutboxMessage[] => messagesFor({ before: s.before, events: s.events, after: s.after, directory: d });
const stRows = (out: readonly NewOutboxMessage[], kind: string) => out.filter((r) => r.kind === kind && toST(r));

describe('the ST channel addresses', () => {
  it('a Teams channel alone: the ST is reached on Teams, in that channel', () => {
    const a = secretariatAddress(teamsOnly());
    expect(a.platform).toBe('teams');
    expect(a.recipient).toEqual({ kind: 'secretariat_channel', teams: CHANNEL });
    expect(secretariatAddresses(teamsOnly()).map((x) => [x.platform, x.recipient])).toEqual([['teams', { kind: 'secretariat_channel', teams: CHANNEL }]]);
  });

  it('a conversation id given instead of a channel works the same', () => {
    const { slack: _slack, ...rest } = directory.secretariat;
    expect(secretariatAddress({ ...directory, secretariat: { ...rest, teams: { conversationId: CHANNEL } } }).recipient).toEqual({ kind: 'secretariat_channel', teams: CHANNEL });
  });

  it('both named: two addresses, each with its own channel on its own platform and its own key', () => {
    const all = secretariatAddresses(both);
    expect(all.map((a) => ({ platform: a.platform, recipient: a.recipient, key: a.key }))).toEqual([
      { platform: 'slack', recipient: { kind: 'secretariat_channel', slack: SLACK }, key: 'st-channel' },
      { platform: 'teams', recipient: { kind: 'secretariat_channel', teams: CHANNEL }, key: 'st-channel:teams' },
    ]);
    expect(new Set(all.map((a) => `${a.locale} ${a.timezone}`))).toEqual(new Set([`${directory.secretariat.locale} ${directory.secretariat.timezone}`]));
    // The one address of a single message: Slack first, both channels named.
    const one = secretariatAddress(both);
    expect(one.platform).toBe('slack');
    expect(one.recipient).toEqual({ kind: 'secretariat_channel', slack: SLACK, teams: CHANNEL });
  });

  it('none named: one unreachable address', () => {
    const { slack: _slack, ...rest } = directory.secretariat;
    expect(secretariatAddresses({ ...directory, secretariat: rest }).map((a) => a.platform)).toEqual(['unreachable']);
  });
});

describe('every ST channel named gets the same messages', () => {
  it('the live status after each decision: one row per channel, the same message and replace key, updated in place per platform', () => {
    for (const s of [start(), send(start().after), opened()]) {
      const rows = stRows(under(both, s), 'status');
      expect(rows.map((r) => [r.platform, r.recipient])).toEqual([
        ['slack', { kind: 'secretariat_channel', slack: SLACK }],
        ['teams', { kind: 'secretariat_channel', teams: CHANNEL }],
      ]);
      expect(payload(rows[1]!)).toEqual(payload(rows[0]!));
      expect(payload(rows[0]!).replaceKey).toBe(`status:${ID}`);
      expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(2);
      // The Slack-only directory's rows are unchanged: the Slack row is the same row.
      expect(stRows(s.out, 'status')).toEqual([rows[0]]);
    }
  });

  it('a Troika request for changes reaches both ST channels with the same words', () => {
    const changes = react(send(start().after).after, SV, 'request_changes', 'Precisar el alcance del párrafo 2');
    const rows = stRows(under(both, changes), 'troika_feedback');
    expect(rows.map((r) => r.platform)).toEqual(['slack', 'teams']);
    expect(payload(rows[1]!)).toEqual(payload(rows[0]!));
  });

  it('the end: the digest with its crm_consultation_closed metadata and the record after it, on each channel, identical', () => {
    let s = opened().after;
    let last: Step | undefined;
    for (const c of ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO']) {
      last = answer(s, fp1(c), c === 'US' ? 'object' : 'support', c === 'US' ? 'Needs consultation with our agencies' : undefined);
      s = last.after;
    }
    const out = under(both, last!);
    const digests = stRows(out, 'digest');
    expect(digests.map((r) => r.platform)).toEqual(['slack', 'teams']);
    expect(payload(digests[1]!)).toEqual(payload(digests[0]!));
    expect(payload(digests[0]!).metadata).toEqual({
      eventType: 'crm_consultation_closed',
      payload: { reference: s.reference, outcome: 'no_consensus', positions: expect.objectContaining({ US: 'object', CR: 'support' }) },
    });
    const records = stRows(out, 'record');
    expect(records.map((r) => [r.platform, r.recipient, r.dedupeKey])).toEqual([
      ['slack', { kind: 'secretariat_channel', slack: SLACK }, `${ID}:${s.version}:record:st-channel`],
      ['teams', { kind: 'secretariat_channel', teams: CHANNEL }, `${ID}:${s.version}:record:st-channel:teams`],
    ]);
    expect(payload(records[1]!)).toEqual(payload(records[0]!));
    // Each record right after its channel's digest.
    for (const [i, d] of digests.entries()) expect(out.indexOf(records[i]!)).toBe(out.indexOf(d) + 1);
    // No dedupe key repeats: both channels' rows can be written in one transaction.
    expect(new Set(out.map((r) => r.dedupeKey)).size).toBe(out.length);
  });

  it('a Teams channel alone: the ST rows go to Teams only', () => {
    const out = under(teamsOnly(), opened());
    expect(stRows(out, 'status').map((r) => [r.platform, r.recipient])).toEqual([['teams', { kind: 'secretariat_channel', teams: CHANNEL }]]);
  });
});
