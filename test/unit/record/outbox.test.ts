import { describe, expect, it } from 'vitest';
import { ID, inTroika } from '../domain/fixtures.ts';
import { evolve } from '../../../src/domain/evolve.ts';
import { RECORD_KIND, recordFilename, recordOutboxFor } from '../../../src/record/outbox.ts';
import { directory, fullStory, notEndorsed, withdrawn } from './scenario.ts';

describe('recordOutboxFor', () => {
  it('is nothing while the consultation runs', () => {
    expect(recordOutboxFor(inTroika(), directory, 2)).toBeUndefined();
    const p = fullStory();
    const open = p.events.slice(0, 8).reduce((s, e) => evolve(s, e), undefined as ReturnType<typeof evolve> | undefined)!;
    expect(open.stage).toBe('member_consultation');
    expect(recordOutboxFor(open, directory, 8)).toBeUndefined();
  });

  it('is one small row for the ST channel once it ended, beside the digest, naming the file', () => {
    const s = fullStory().s;
    const row = recordOutboxFor(s, directory, s.version)!;
    expect(row).toMatchObject({
      dedupeKey: `${ID}:${s.version}:record:st-channel`,
      kind: RECORD_KIND,
      platform: 'slack',
      recipient: { kind: 'secretariat_channel', slack: directory.secretariat.slack!.channel },
      payload: {
        kind: 'record',
        locale: 'es',
        reference: 'CRM-2026-003',
        heading: 'Registro de la consulta CRM-2026-003',
        attachment: { kind: 'consultation_record', consultationId: ID, reference: 'CRM-2026-003', format: 'pdf', filename: 'CRM-2026-003-registro-record.pdf' },
      },
    });
    expect((row.payload as { body: string[] }).body.join(' ')).toContain('npx crm consultations export CRM-2026-003 --format pdf --out CRM-2026-003-registro-record.pdf');
    // The row carries no text of the consultation: the file is rendered when it is delivered.
    expect(JSON.stringify(row).length).toBeLessThan(1500);
    expect(JSON.stringify(row)).not.toContain(s.text);
  });

  it('is there for every way a consultation ends', () => {
    for (const p of [notEndorsed(), withdrawn()]) expect(recordOutboxFor(p.s, directory, p.s.version)?.kind).toBe('record');
    expect(recordFilename('CRM-2027-012')).toBe('CRM-2027-012-registro-record.pdf');
  });

  it('goes where the digest goes: unreachable when the ST has no channel', () => {
    const d = structuredClone(directory);
    delete d.secretariat.slack;
    const s = fullStory().s;
    expect(recordOutboxFor(s, d, s.version)).toMatchObject({ platform: 'unreachable', recipient: { kind: 'secretariat_channel' } });
  });
});
