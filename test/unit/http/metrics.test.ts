import { describe, expect, it } from 'vitest';
import { commandsTotal, outboxDeadTotal, registry } from '../../../src/http/metrics.ts';

describe('shared metrics registry', () => {
  it('every metric on the registry is a default Node one or ours: crm_ prefix, snake case, a help text', async () => {
    const ours = (await registry.getMetricsAsJSON()).filter((m) => !/^(process|nodejs)_/.test(m.name));
    expect(ours.length).toBeGreaterThan(0);
    for (const m of ours) {
      expect(m.name).toMatch(/^crm_[a-z]+(_[a-z]+)*$/);
      expect(m.help.trim(), m.name).not.toBe('');
      // Prometheus' conventions: counters end in _total, durations are in seconds.
      if (String(m.type) === 'counter') expect(m.name).toMatch(/_total$/);
      if (String(m.type) === 'histogram') expect(m.name).toMatch(/_seconds$/);
    }
  });

  it('collects default Node metrics and labels every series with app="crm-bot"', async () => {
    commandsTotal.inc({ command: 'help', result: 'ok' });
    outboxDeadTotal.inc({ platform: 'teams' });
    const text = await registry.metrics();
    expect(text).toMatch(/^process_resident_memory_bytes\{app="crm-bot"\} \d+/m);
    expect(text).toMatch(/^crm_commands_total\{command="help",result="ok",app="crm-bot"\} 1$/m);
    expect(text).toMatch(/^crm_outbox_dead_total\{platform="teams",app="crm-bot"\} 1$/m);
  });

  it('refuses a label that is not declared (keeps label sets closed)', () => {
    // @ts-expect-error `user` is not a label of crm_commands_total
    expect(() => commandsTotal.inc({ command: 'help', user: 'U123' })).toThrow();
  });
});
