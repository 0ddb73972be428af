import { describe, expect, it } from 'vitest';
import { commandsTotal, observeCommand, outboxDeadTotal, registry, setScrapeSources } from '../../../src/http/metrics.ts';

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

describe('scrape sources (queues, outbox, inbox)', () => {
  it('no source, no series; a source that fails leaves its gauges empty or NaN and says so; /metrics still answers', async () => {
    setScrapeSources({});
    expect(await registry.metrics()).not.toMatch(/^crm_(queue_|outbox_messages|outbox_oldest|inbox_)/m);

    setScrapeSources({
      queues: async () => [{ queue: 'deliver', counts: { waiting: 3, delayed: 1, active: 0, failed: 0 }, oldestWaitingSeconds: 42 }],
      outbox: async () => {
        throw new Error('database down');
      },
      inbox: async () => ({ pending: 2, oldestPendingSeconds: 7.5 }),
    });
    const text = await registry.metrics();
    expect(text).toMatch(/^crm_queue_jobs\{queue="deliver",state="waiting",app="crm-bot"\} 3$/m);
    expect(text).toMatch(/^crm_queue_oldest_waiting_seconds\{queue="deliver",app="crm-bot"\} 42$/m);
    expect(text).toMatch(/^crm_inbox_pending\{app="crm-bot"\} 2$/m);
    expect(text).toMatch(/^crm_inbox_oldest_pending_seconds\{app="crm-bot"\} 7.5$/m);
    expect(text).not.toMatch(/^crm_outbox_messages\{/m);
    expect(text).toMatch(/^crm_outbox_oldest_pending_seconds\{app="crm-bot"\} NaN$/im);
    expect(text).toMatch(/^crm_scrape_source_ok\{source="outbox",app="crm-bot"\} 0$/m);
    expect(text).toMatch(/^crm_scrape_source_ok\{source="queues",app="crm-bot"\} 1$/m);
    setScrapeSources({});
    expect(await registry.metrics()).not.toMatch(/^crm_(queue_|inbox_)/m);
  });

  it('refusals by code from the flows observe hook; ok and duplicate are not refusals', async () => {
    observeCommand('recordPosition', 'ok', 0.01);
    observeCommand('recordPosition', 'duplicate', 0.01);
    observeCommand('recordPosition', 'not_focal_point_of_country', 0.01);
    observeCommand('reactTroika', 'not_focal_point_of_country', 0.01);
    const text = await registry.metrics();
    expect(text).toMatch(/^crm_refusals_total\{code="not_focal_point_of_country",app="crm-bot"\} 2$/m);
    expect(text).not.toMatch(/^crm_refusals_total\{code="(ok|duplicate)"/m);
  });
});
