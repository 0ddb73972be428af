/**
 * Ack first: with a database that takes 3.5 s to answer (pg_sleep injected before each idempotency lookup,
 * i.e. at the start of every command), Slack still gets its answer well within 3 s — for a slash command, a
 * click and a view submission — and the work completes afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationRepository, FlowDeps } from '../../../src/flows/ports.ts';
import { startConsultation } from '../../../src/flows/consultation-flows.ts';
import { slackActor } from '../../helpers/engine.ts';
import { stateValue } from '../../helpers/slack-requests.ts';
import { PEOPLE, startSlackAppWorld, type SlackAppWorld } from './slack-app-harness.ts';

const SLOW_SECONDS = 3.5;
let w: SlackAppWorld;

beforeAll(async () => {
  w = await startSlackAppWorld(import.meta.url, {
    viewBudgetMs: 1000,
    deps: (deps: FlowDeps): FlowDeps => {
      const store = deps.store;
      const slow: ConsultationRepository = {
        load: (id) => store.load(id),
        loadByReference: (r) => store.loadByReference(r),
        append: (i) => store.append(i),
        recordRefusal: (c) => store.recordRefusal(c),
        nextReference: (y) => store.nextReference(y),
        findCommand: async (key) => {
          await w.engine.db.prisma.$executeRawUnsafe(`SELECT pg_sleep(${SLOW_SECONDS})`);
          return store.findCommand(key);
        },
      };
      return { ...deps, store: slow };
    },
  });
  // A consultation under Troika review, started directly through the (fast) flows, its cards delivered.
  await startConsultation(w.engine.deps, {
    key: 'setup',
    actor: slackActor(w.engine, PEOPLE.pptPA),
    title: 'Consulta de prueba',
    text: 'Texto.',
    deadline: { kind: 'business_days', days: 5 },
  });
  await w.deliver();
});
afterAll(async () => {
  await w?.close();
});

describe('with a slow database', () => {
  it('a click is acknowledged at once and recorded afterwards', async () => {
    const { res } = await w.click(PEOPLE.troikaMX, 'troika_approve');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    await w.waitFor(
      async () => ((await w.engine.db.prisma.consultationEvent.count({ where: { type: 'troika_reacted' } })) === 1 ? true : undefined),
      'the reaction',
      20_000,
    );
  });

  it('a slash command opens its modal at once', async () => {
    const { res, triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    expect(res.ms).toBeLessThan(3000);
    await w.openedView(triggerId);
  });

  it('a view submission is acknowledged within 3 s; the consultation is created and the person told afterwards', async () => {
    const { triggerId } = await w.command(PEOPLE.pptPA, 'consulta');
    const view = await w.openedView(triggerId);
    const res = await w.submit(PEOPLE.pptPA, view, {
      title: stateValue.text('Consulta lenta'),
      proposal: stateValue.text('Texto.'),
      days: stateValue.number(5),
      deadline: stateValue.datetime(null),
      rule: stateValue.select('explicit'),
      justification: stateValue.text(null),
    });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(res.body).toBe(''); // the form closes; the outcome comes as a message
    const told = await w.waitFor(() => w.privateTexts(PEOPLE.pptPA).find((t) => t.includes('Consulta lenta')), 'confirmation', 30_000);
    expect(told).toMatch(/Se creó la consulta CRM-2026-\d{3}/);
  });
});
