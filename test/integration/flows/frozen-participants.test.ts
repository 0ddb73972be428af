/**
 * Participants are frozen when a consultation starts: a directory import afterwards (a focal point removed
 * from a country, a new one added) does not change who may answer for a running consultation, while a
 * consultation started after the import uses the new directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/directory/model.ts';
import { recordPosition } from '../../../src/flows/consultation-flows.ts';
import { identify } from '../../../src/flows/people.ts';
import { BACKENDS } from '../../helpers/db.ts';
import {
  DECEMBER_2026,
  exampleDirectory,
  expectLogMatchesSnapshot,
  extraFocalPoint,
  importLive,
  openTestEngine,
  outboxOf,
  recipientsOf,
  slackActor,
  type TestEngine,
} from '../../helpers/engine.ts';
import { approveByTroika, expectOk, expectRefused, Keys, openMemberStage, SLACK, startByPpt } from './scenario.ts';

const MIGUEL = 'miguel.torres@example.org';

describe.each(BACKENDS)('frozen participants on %s', (backend) => {
  let engine: TestEngine;
  let original: Directory;
  let changed: Directory;
  beforeAll(async () => {
    engine = await openTestEngine(backend, import.meta.url);
    original = await exampleDirectory();
    // The ST removes Miguel Ángel Torres from Mexico and adds a new focal point.
    changed = structuredClone(original);
    const mx = changed.countries.find((c) => c.code === 'MX')!;
    mx.focalPoints = mx.focalPoints.filter((f) => f.id !== MIGUEL);
    mx.focalPoints.push(extraFocalPoint('MX', 3, { name: 'Nueva Enlace', timezone: 'America/Mexico_City' }));
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it('a running consultation keeps its participants; a new one uses the new directory', async () => {
    engine.clock.set(DECEMBER_2026);
    const keys = new Keys();
    const miguel = slackActor(original, SLACK.mx2);
    const running = await startByPpt(engine, keys);
    const newcomerId = 'fp3.mx@extra.example.org';

    // The directory changes while the Troika is reviewing.
    await importLive(engine, changed, 'test://mx-changed');
    expect((await engine.directories.latest())!.sourcePath).toBe('test://mx-changed');
    const newcomer = slackActor(engine, 'U1MX0000003');
    expect(newcomer).toMatchObject({ personId: newcomerId, country: 'MX' });
    // The live directory no longer knows Miguel: an adapter would not identify him any more.
    expect(identify(engine.directory.current(), { platform: 'slack', userId: SLACK.mx2 })).toBeUndefined();

    // The member stage opens after the import: the frozen list is asked, not the live one.
    const opened = await approveByTroika(engine, keys, running);
    const rows = await outboxOf(engine, running.id);
    const asked = recipientsOf(rows, 'member_request');
    expect(asked).toContain(MIGUEL);
    expect(asked).not.toContain(newcomerId);
    // Miguel is still asked, but the live directory has no address for him any more.
    expect(rows.find((r) => r.kind === 'member_request' && r.recipient.kind === 'person' && r.recipient.personId === MIGUEL)?.platform).toBe('unreachable');

    // The newcomer cannot answer for Mexico on the running consultation; Miguel (as identified before) can.
    const refused = await recordPosition(engine.deps, {
      key: keys.next('newcomer'),
      actor: newcomer,
      consultationId: running.id,
      position: 'support',
      version: opened.currentVersion,
    });
    expectRefused(refused, 'not_focal_point_of_country');
    const accepted = await recordPosition(engine.deps, {
      key: keys.next('miguel'),
      actor: miguel,
      consultationId: running.id,
      position: 'abstain',
      version: opened.currentVersion,
    });
    expectOk(accepted);
    expect(accepted.state.positions['MX']).toMatchObject({ position: 'abstain', by: { personId: MIGUEL, country: 'MX' } });
    await expectLogMatchesSnapshot(engine, running.id);

    // A consultation started after the import freezes the new directory.
    const later = await openMemberStage(engine, keys);
    const mx = later.state.participants.members.find((m) => m.code === 'MX')!;
    expect(mx.focalPoints.map((f) => f.personId).sort()).toEqual(['fernanda.rios@example.org', newcomerId]);
    expectRefused(
      await recordPosition(engine.deps, { key: keys.next('miguel-later'), actor: miguel, consultationId: later.id, position: 'support', version: later.state.currentVersion }),
      'not_focal_point_of_country',
    );
    expectOk(
      await recordPosition(engine.deps, { key: keys.next('newcomer-later'), actor: newcomer, consultationId: later.id, position: 'support', version: later.state.currentVersion }),
    );
    const laterAsked = recipientsOf(await outboxOf(engine, later.id), 'member_request');
    expect(laterAsked).toContain(newcomerId);
    expect(laterAsked).not.toContain(MIGUEL);

    // The running consultation's frozen list did not move.
    const stillFrozen = (await engine.consultations.load(running.id))!.snapshot as typeof running.state;
    expect(stillFrozen.participants).toEqual(running.state.participants);
    await importLive(engine, original, 'test://example');
  });
});
