/**
 * `npm run demo -- --meetings` in-process on a fresh embedded database: a GRCM with the two networks'
 * meetings right before it (no warning), its duties, invitations with their rules, one refused invitation
 * with its reason in both languages, an invitation card, the answer and the calendar file; nothing is left
 * pending in the outbox for a later `npm start`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMeetingsDemo } from '../../../src/demo/meetings-demo.ts';
import { openDatabase } from '../../../src/store/database.ts';

let dir: string;
const lines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-meetings-demo-'));
  await runMeetingsDemo((l = '') => lines.push(l), { CRM_DATA_DIR: join(dir, 'data') });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the meetings demo', () => {
  it('shows a GRCM with its network meetings, no warning, and the duties they create', () => {
    const out = lines.join('\n');
    expect(out).toMatch(/MTG-\d{4}-001 .*Red de Funcionarios de Enlace para el combate a la Trata/);
    expect(out).toMatch(/MTG-\d{4}-002 .*Protección Consular/);
    expect(out).toMatch(/MTG-\d{4}-003 .*Grupo Regional de Consulta sobre Migración/);
    expect(out).toContain('Sin advertencias: las redes terminan justo antes del GRCM.');
    expect(out).toMatch(/open {2}Informe operativo y financiero de la Secretaría Técnica — Secretaría Técnica/);
    expect(out).toMatch(/open {2}Resumen de los resultados de la reunión — Presidencia Pro Tempore: Panamá/);
  });

  it('shows one refused invitation with its reason in both languages, and the admitted ones with their rule', () => {
    const refused = lines.findIndex((l) => l.includes('RECHAZADA / REFUSED'));
    expect(lines[refused]).toContain('Teresa Alfaro');
    expect(lines[refused + 1]).toMatch(/es: Las deliberaciones de la red son confidenciales/);
    expect(lines[refused + 2]).toMatch(/en: The network's deliberations are confidential/);
    expect(lines.filter((l) => l.includes('RECHAZADA'))).toHaveLength(1);
    expect(lines.join('\n')).toContain('hearing: Teresa Alfaro (civil_society)');
  });

  it('shows the invitation card, the answer and the calendar file', () => {
    const out = lines.join('\n');
    expect(out).toContain('[ Asistiré ] [ No podré asistir ]');
    expect(out).toContain('Ana pulsa «Asistiré»: respuesta registrada.');
    expect(out).toMatch(/DTSTART;TZID=America\/Panama:\d{8}T090000/);
  });

  it('leaves nothing pending for a later npm start, and the answer is recorded', async () => {
    const db = await openDatabase({ dataDir: join(dir, 'data') }, { migrate: false });
    try {
      expect(await db.prisma.outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
      expect(await db.prisma.outboxMessage.count({ where: { kind: { in: ['meeting_invitation', 'meeting_calendar'] } } })).toBe(4);
      const ana = await db.prisma.meetingInvitation.findFirstOrThrow({ where: { personId: 'ana.rojas@example.org' } });
      expect(ana.response).toBe('attend');
    } finally {
      await db.close();
    }
  });
});
