/** Identity (src/interaction/identity.ts): directory first; a platform's profile only for strangers. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/directory/model.ts';
import { Identity, userHash, type ProfileLookup } from '../../../src/interaction/identity.ts';
import { silentLogger } from '../../../src/log.ts';
import { exampleDirectory } from '../../helpers/engine.ts';

let directory: Directory;
beforeAll(async () => {
  directory = await exampleDirectory();
});

function lookup(answer: () => Promise<{ locale?: 'es' | 'en'; timezone?: string }>): ProfileLookup & { calls: number } {
  const l = {
    calls: 0,
    profile: async () => {
      l.calls++;
      return answer();
    },
  };
  return l;
}

describe('Identity', () => {
  it('knows a person of the directory by their platform id, without asking the platform', async () => {
    const profiles = lookup(async () => ({ locale: 'es' }));
    const id = new Identity('slack', { current: () => directory }, profiles, silentLogger());
    const who = await id.who('U0US0000001');
    expect(who).toMatchObject({ userId: 'U0US0000001', locale: 'en', actor: { personId: 'jennifer.walsh@example.org', country: 'US', platform: 'slack', isStaff: false } });
    expect(id.knownLocale('U0US0000001')).toBe('en');
    expect(profiles.calls).toBe(0);
  });

  it('asks the platform for a stranger\'s language once an hour, and falls back to Spanish and the ST\'s zone', async () => {
    const profiles = lookup(async () => ({ locale: 'en', timezone: 'America/Chicago' }));
    const id = new Identity('slack', { current: () => directory }, profiles, silentLogger());
    expect(await id.who('U0NOBODY001')).toEqual({ userId: 'U0NOBODY001', locale: 'en', timezone: 'America/Chicago' });
    expect(await id.who('U0NOBODY001')).toEqual({ userId: 'U0NOBODY001', locale: 'en', timezone: 'America/Chicago' });
    expect(profiles.calls).toBe(1);
    expect(id.knownLocale('U0NOBODY001')).toBe('es');

    const silent = new Identity('teams', { current: () => directory }, undefined, silentLogger());
    expect(await silent.who('00000000-0000-4000-8000-000000000001')).toEqual({
      userId: '00000000-0000-4000-8000-000000000001',
      locale: 'es',
      timezone: directory.secretariat.timezone,
    });
  });

  it('does not wait for a slow or failing profile lookup', async () => {
    const never = lookup(() => new Promise(() => undefined));
    const id = new Identity('slack', { current: () => directory }, never, silentLogger(), { lookupTimeoutMs: 20 });
    expect((await id.who('U0NOBODY002')).locale).toBe('es');
    const failing = new Identity('slack', { current: () => directory }, lookup(async () => Promise.reject(new Error('ratelimited'))), silentLogger());
    expect((await failing.who('U0NOBODY003')).locale).toBe('es');
  });

  it('logs strangers by a hash that differs per platform', () => {
    expect(userHash('slack', 'U1')).toMatch(/^[0-9a-f]{12}$/);
    expect(userHash('slack', 'U1')).not.toBe(userHash('teams', 'U1'));
  });
});
