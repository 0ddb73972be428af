import { describe, expect, it } from 'vitest';
import { loadDirectoryFile } from '../../../src/directory/load.ts';
import type { Directory } from '../../../src/directory/model.ts';
import { participantsFrom } from '../../../src/flows/people.ts';
import { EXAMPLE_PATH } from '../directory/helpers.ts';

async function example(): Promise<Directory> {
  const r = await loadDirectoryFile(EXAMPLE_PATH);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.directory;
}

describe('participantsFrom: the membership and the body are frozen from the directory', () => {
  it('the CRM example: its 11 members, in the directory order, and the CRM as the body', async () => {
    const p = participantsFrom(await example());
    expect(p.members.map((m) => m.code)).toEqual(['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO']);
    expect(p.body).toEqual({ code: 'CRM', name: { es: 'Conferencia Regional sobre Migración', en: 'Regional Conference on Migration' } });
  });

  it('another body and another membership: what the directory says, copied (a later edit does not reach the frozen copy)', async () => {
    const d = await example();
    d.body = { code: 'CSM', name: { es: 'Conferencia Suramericana sobre Migraciones', en: 'South American Conference on Migration' } };
    d.countries.find((c) => c.code === 'AR')!.status = 'member';
    d.countries.find((c) => c.code === 'NI')!.status = 'observer';
    const p = participantsFrom(d);
    expect(p.members.map((m) => m.code)).toContain('AR');
    expect(p.members.map((m) => m.code)).not.toContain('NI');
    expect(p.body?.code).toBe('CSM');
    d.body.name.en = 'changed';
    expect(p.body?.name.en).toBe('South American Conference on Migration');
  });
});
