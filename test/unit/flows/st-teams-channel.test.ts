/**
 * The ST channel in Teams is `secretariat.teams.channel` (interfaces.md "Microsoft Teams"): a directory
 * that names only a Teams channel reaches the ST there; Slack stays first when both are named (every
 * named channel getting the status and digest is issue 9's mixed part).
 */
import { describe, expect, it } from 'vitest';
import { secretariatAddress } from '../../../src/flows/addressing.ts';
import { directory } from './fixtures.ts';

const CHANNEL = '19:0f1e2d3c4b5a@thread.tacv2';
const withSt = (st: Partial<typeof directory.secretariat>) => ({ ...directory, secretariat: { ...directory.secretariat, ...st } });

describe('the ST channel address', () => {
  it('a Teams channel alone: the ST is reached on Teams, in that channel', () => {
    const { slack: _slack, ...rest } = directory.secretariat;
    const a = secretariatAddress({ ...directory, secretariat: { ...rest, teams: { channel: CHANNEL } } });
    expect(a.platform).toBe('teams');
    expect(a.recipient).toEqual({ kind: 'secretariat_channel', teams: CHANNEL });
  });

  it('a conversation id given instead of a channel works the same', () => {
    const { slack: _slack, ...rest } = directory.secretariat;
    expect(secretariatAddress({ ...directory, secretariat: { ...rest, teams: { conversationId: CHANNEL } } }).recipient).toEqual({ kind: 'secretariat_channel', teams: CHANNEL });
  });

  it('both named: Slack first, the Teams channel carried along', () => {
    const a = secretariatAddress(withSt({ teams: { channel: CHANNEL } }));
    expect(a.platform).toBe('slack');
    expect(a.recipient).toEqual({ kind: 'secretariat_channel', slack: directory.secretariat.slack!.channel, teams: CHANNEL });
  });
});
