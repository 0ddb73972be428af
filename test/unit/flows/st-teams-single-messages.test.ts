/**
 * The ST's other messages reach every ST channel named too (interfaces.md "Microsoft Teams": a directory
 * may name `secretariat.slack.channel`, `secretariat.teams.channel` or both, and every one named gets
 * them): the weekly digest of open consultations (with the meetings' late duties) and the meetings' duty
 * reminders owed by the ST. One row per channel, identical in content; the Slack row keeps the dedupe key
 * it had when these went to one channel (rows written before an upgrade are not written again), the Teams
 * row adds `:teams`. (Dead letters: test/unit/jobs/deliver.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { stChannelKey } from '../../../src/flows/addressing.ts';
import { openConsultationsDigestOutbox } from '../../../src/flows/effects.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { deriveDuties, trackDuties } from '../../../src/domain/meetings/index.ts';
import { dutyRecipients, dutyReminderOutbox } from '../../../src/messages/duty-messages.ts';
import { DIRECTORY, meeting } from '../domain/meetings/fixtures.ts';
import { directory, opened, payload } from './fixtures.ts';

const CHANNEL = '19:0f1e2d3c4b5a@thread.tacv2';
const withTeams = (d: Directory): Directory => ({ ...d, secretariat: { ...d.secretariat, teams: { channel: CHANNEL } } });
const teamsOnly = (d: Directory): Directory => {
  const { slack: _slack, ...rest } = d.secretariat;
  return { ...d, secretariat: { ...rest, teams: { channel: CHANNEL } } };
};
const SLACK = directory.secretariat.slack!.channel;

describe('the dedupe key of one ST channel', () => {
  it('Slack: the base key as it was; Teams: the base key and `:teams`', () => {
    expect(stChannelKey('weekly-digest:2026-W49', { key: 'st-channel' })).toBe('weekly-digest:2026-W49');
    expect(stChannelKey('weekly-digest:2026-W49', { key: 'st-channel:teams' })).toBe('weekly-digest:2026-W49:teams');
  });
});

describe('the weekly digest of open consultations', () => {
  const states = [opened().after];
  const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18', { title: 'XXXI Reunión Viceministerial' });
  const late = { duties: trackDuties(deriveDuties({ meetings: [vm], invitations: [], directory: DIRECTORY }), new Set(), '2026-12-01').filter((d) => d.state === 'late'), meetings: [vm] };

  it('both channels named: one row each, the same digest (late duties included), the Slack key unchanged', () => {
    expect(late.duties.length).toBeGreaterThan(0);
    const rows = openConsultationsDigestOutbox(states, withTeams(directory), '2026-W49', 'weekly-digest:2026-W49', late);
    expect(rows.map((r) => [r.platform, r.recipient, r.dedupeKey, r.kind])).toEqual([
      ['slack', { kind: 'secretariat_channel', slack: SLACK }, 'weekly-digest:2026-W49', 'weekly_digest'],
      ['teams', { kind: 'secretariat_channel', teams: CHANNEL }, 'weekly-digest:2026-W49:teams', 'weekly_digest'],
    ]);
    expect(payload(rows[1]!)).toEqual(payload(rows[0]!));
    expect(payload(rows[0]!).table?.rows.length).toBeGreaterThan(0);
    // The Slack-only directory writes exactly the Slack row.
    expect(openConsultationsDigestOutbox(states, directory, '2026-W49', 'weekly-digest:2026-W49', late)).toEqual([rows[0]]);
  });

  it('a Teams channel alone: one row, on Teams', () => {
    const rows = openConsultationsDigestOutbox(states, teamsOnly(directory), '2026-W49', 'weekly-digest:2026-W49');
    expect(rows.map((r) => [r.platform, r.recipient])).toEqual([['teams', { kind: 'secretariat_channel', teams: CHANNEL }]]);
  });
});

describe('the duty reminders the ST owes', () => {
  const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18', { title: 'XXXI Reunión Viceministerial' });
  const stDuty = deriveDuties({ meetings: [vm], invitations: [], directory: DIRECTORY }).find((d) => d.owner === 'ST')!;
  const ST_SLACK = DIRECTORY.secretariat.slack!.channel;

  it('both channels named: each channel is a recipient, in the ST language, zone and calendar, with its own key', () => {
    const to = dutyRecipients(withTeams(DIRECTORY), stDuty);
    const s = DIRECTORY.secretariat;
    expect(to).toEqual([
      { key: 'st-channel', recipient: { kind: 'secretariat_channel', slack: ST_SLACK }, platform: 'slack', locale: s.locale, timezone: s.timezone, calendar: s.calendar },
      { key: 'st-channel:teams', recipient: { kind: 'secretariat_channel', teams: CHANNEL }, platform: 'teams', locale: s.locale, timezone: s.timezone, calendar: s.calendar },
    ]);
    const rows = to.map((r) => dutyReminderOutbox(withTeams(DIRECTORY), stDuty, vm, r, 'D-5'));
    expect(rows.map((r) => r.dedupeKey)).toEqual([
      `duty-reminder:${stDuty.id}:st-channel:D-5:${stDuty.due}`,
      `duty-reminder:${stDuty.id}:st-channel:teams:D-5:${stDuty.due}`,
    ]);
    expect(rows[1]!.payload).toEqual(rows[0]!.payload);
    // Slack only: the one recipient and key it always had.
    expect(dutyRecipients(DIRECTORY, stDuty).map((r) => r.key)).toEqual(['st-channel']);
  });

  it('a Teams channel alone (not only a conversation id): reached on Teams', () => {
    expect(dutyRecipients(teamsOnly(DIRECTORY), stDuty).map((r) => [r.platform, r.recipient])).toEqual([['teams', { kind: 'secretariat_channel', teams: CHANNEL }]]);
  });
});
