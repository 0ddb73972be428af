/**
 * The console's status pictures over real HTTP (src/adapters/console/pictures.ts): a seat lists the
 * consultations it may see and gets each one's status matrix and timeline as SVG, drawn for it as viewer —
 * every Member Country named, and, with positions shown `at_close`, a member's seat does not see another
 * country's position before the close while the ST's does. Same guards as the other console routes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsole, type ConsoleAdapter } from '../../../src/adapters/console/index.ts';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { recordPosition } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { t } from '../../../src/i18n/index.ts';
import { silentLogger } from '../../../src/log.ts';
import { prepare } from '../../conformance/given.ts';
import { openTestEngine, type TestEngine } from '../../helpers/engine.ts';

const LUIS = 'luis.mora@example.org'; // CR focal point
const JENNIFER = 'jennifer.walsh@example.org'; // US focal point
const ANA = 'ana.rojas@example.org'; // ST staff

let engine: TestEngine;
let adapter: ConsoleAdapter;
let http: HttpServer;
let base: string;
let state: ConsultationState;

beforeAll(async () => {
  engine = await openTestEngine('postgres', 'console-pictures');
  adapter = createConsole(engine, { logger: silentLogger() });
  http = createHttpServer({ port: 0, host: '127.0.0.1', logger: silentLogger(), routes: adapter.routes });
  base = `http://127.0.0.1:${await http.listen()}`;
  state = await prepare(engine.deps, 'member_consultation');
  // The US answers; the consultation runs on (positions shown at the close).
  const us = identify(engine.deps.directory.current(), { platform: 'console', personId: JENNIFER })!;
  const r = await recordPosition(engine.deps, { key: `pictures:${randomUUID()}`, actor: us, consultationId: state.consultationId, version: state.currentVersion, position: 'support' });
  if (!r.ok) throw new Error(`position refused (${r.code})`);
  state = r.state;
});
afterAll(async () => {
  adapter?.close();
  await http?.close();
  await engine?.dispose();
});

const svgOf = async (person: string, view: 'status' | 'timeline' = 'status') => {
  const res = await fetch(`${base}/console/picture/${state.reference}.svg?person=${encodeURIComponent(person)}${view === 'timeline' ? '&view=timeline' : ''}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  return res.text();
};
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('the console status pictures', () => {
  it('lists, for a seat, the consultations it may see, with its two pictures', async () => {
    expect(state.positionsVisibility).toBe('at_close');
    const res = await fetch(`${base}/console/pictures?person=${encodeURIComponent(LUIS)}`);
    expect(res.status).toBe(200);
    const { pictures } = (await res.json()) as { pictures: { reference: string; status: string; timeline: string }[] };
    const mine = pictures.find((p) => p.reference === state.reference);
    expect(mine).toBeDefined();
    const timeline = await fetch(`${base}${mine!.timeline}`);
    expect(timeline.status).toBe(200);
    expect(await timeline.text()).toContain(xml(t('es', 'picture.timeline.title', { reference: state.reference })));
  });

  it("names every Member Country, and hides other countries' positions from a member before the close", async () => {
    const members = state.participants.members.map((m) => engine.deps.directory.current().countries.find((c) => c.code === m.code)!.name.es);
    expect(members.length).toBeGreaterThan(5);
    const forLuis = await svgOf(LUIS);
    const forAna = await svgOf(ANA);
    for (const name of members) {
      expect(forLuis).toContain(xml(name));
      expect(forAna).toContain(xml(name));
    }
    const total = members.length;
    // The ST sees the US answer; Costa Rica's focal point sees only that it is shown at the close.
    expect(forAna).toContain(xml(t('es', 'picture.answered', { answered: 1, total })));
    expect(forAna).not.toContain(xml(t('es', 'picture.hidden')));
    expect(forLuis).toContain(xml(t('es', 'picture.hidden')));
    expect(forLuis).not.toContain(xml(t('es', 'picture.answered', { answered: 1, total })));
    // Every other country's cell (the US answer among them) says only that it is shown at the close.
    const hidden = (svg: string, l: 'es' | 'en') => svg.split(xml(t(l, 'picture.hidden'))).length - 1;
    expect(hidden(forLuis, 'es')).toBeGreaterThanOrEqual(total - 1);
    // The US focal point sees its own country's answer: as many hidden cells as Costa Rica's (every country but its own).
    expect(hidden(await svgOf(JENNIFER), 'en')).toBe(hidden(forLuis, 'es'));
  });

  it('refuses, in both languages, what is not a picture, and says nothing of what the seat may not see', async () => {
    const bad = await fetch(`${base}/console/picture/..%2Fetc.svg?person=${encodeURIComponent(LUIS)}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/ \/ /);
    const view = await fetch(`${base}/console/picture/${state.reference}.svg?person=${encodeURIComponent(LUIS)}&view=script`);
    expect(view.status).toBe(400);
    const nobody = await fetch(`${base}/console/picture/${state.reference}.svg?person=nobody%40example.org`);
    expect(nobody.status).toBe(400);
    const none = await fetch(`${base}/console/picture/CRM-1999-999.svg?person=${encodeURIComponent(LUIS)}`);
    expect(none.status).toBe(404);
    // Behind the same guard as the page: a Host that is not the loopback (DNS rebinding) is refused.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/console/pictures?person=${encodeURIComponent(LUIS)}`, { headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});
