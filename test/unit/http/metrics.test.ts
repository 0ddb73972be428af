import { describe, expect, it } from 'vitest';
import { commandsTotal, outboxDeadTotal, registry } from '../../../src/http/metrics.ts';

describe('shared metrics registry', () => {
  it('registers the crm_ metrics others rely on, with their label sets', async () => {
    const byName = new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, m]));
    for (const name of [
      'crm_commands_total',
      'crm_command_duration_seconds',
      'crm_outbox_deliveries_total',
      'crm_outbox_dead_total',
      'crm_jobs_total',
      'crm_open_consultations',
      'crm_http_requests_total',
    ]) {
      expect(byName.has(name), name).toBe(true);
    }
    expect(byName.get('crm_commands_total')?.type).toBe('counter');
    expect(byName.get('crm_command_duration_seconds')?.type).toBe('histogram');
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
