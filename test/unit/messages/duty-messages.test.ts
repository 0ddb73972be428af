/** Duty reminders and the weekly list of overdue duties, as people read them: their language, no codes. */
import { describe, expect, it } from 'vitest';
import { deriveDuties, trackDuties } from '../../../src/domain/meetings/index.ts';
import { dutyRecipients, dutyReminderMessage, lateDutiesMessage } from '../../../src/messages/duty-messages.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { DIRECTORY, meeting } from '../domain/meetings/fixtures.ts';

const vm = meeting('vice_ministerial', '2026-11-17', '2026-11-18', { city: 'Ciudad de México', title: 'XXXI Reunión Viceministerial' });
const duties = deriveDuties({ meetings: [vm], invitations: [], directory: DIRECTORY });
const agenda = duties.find((d) => d.duty === 'plenary_agenda')!;

function allText(m: NeutralMessage): string {
  return [m.heading, ...m.body, ...m.fields.flatMap((f) => [f.label, f.value]), ...(m.table ? [...m.table.columns, ...m.table.rows.flat()] : [])].join('\n');
}

describe('duty messages', () => {
  it('the PPT\'s focal points, each in their language; the agenda reminder says what the agenda must hold', () => {
    const to = dutyRecipients(DIRECTORY, agenda);
    expect(to.map((r) => [r.key, r.locale, r.timezone, r.calendar])).toEqual([
      ['fernanda.rios@example.org', 'es', 'America/Mexico_City', 'MX'],
      ['miguel.torres@example.org', 'es', 'America/Mexico_City', 'MX'],
    ]);
    const m = dutyReminderMessage(DIRECTORY, agenda, vm, to[0]!, 'D-5');
    expect(m).toMatchObject({ kind: 'duty_reminder', locale: 'es', reference: vm.reference, buttons: [] });
    expect(m.heading).toBe('Tarea pendiente: Agenda de la reunión plenaria');
    expect(m.body).toEqual([
      'Le recordamos que la tarea «Agenda de la reunión plenaria», para la reunión «XXXI Reunión Viceministerial», vence el lunes 2 de noviembre de 2026.',
      'La agenda debe incluir al menos el informe de la Presidencia Pro Tempore, las declaraciones de apertura de las delegaciones de los Países Miembros y el diálogo con la sociedad civil.',
    ]);
    expect(m.fields).toEqual([
      { label: 'Tarea', value: 'Agenda de la reunión plenaria' },
      { label: 'Reunión', value: `XXXI Reunión Viceministerial (${vm.reference})` },
      { label: 'Responsable', value: 'Presidencia Pro Tempore: México' },
      { label: 'Fecha límite', value: 'lunes 2 de noviembre de 2026' },
    ]);
    const en = dutyReminderMessage(DIRECTORY, agenda, vm, { ...to[0]!, locale: 'en' }, 'late');
    expect(en.heading).toBe('Task overdue: Agenda of the plenary session');
    expect(en.body[0]).toBe(
      'The task "Agenda of the plenary session" was due on Monday, November 2, 2026 and is not recorded as done. If it has been done, please tell the Technical Secretariat so that it can record it.',
    );
  });

  it('observers and organisations: their own people; the ST: its channel', () => {
    expect(dutyRecipients(DIRECTORY, { owner: 'JM' }).map((r) => r.key)).toEqual(['andre.campbell@example.org']);
    expect(dutyRecipients(DIRECTORY, { owner: 'RROCM' }).map((r) => [r.key, r.platform, r.calendar])).toEqual([
      ['teresa.alfaro@example.org', 'unreachable', 'CR'],
      ['samuel.price@example.org', 'unreachable', 'CR'],
    ]);
    expect(dutyRecipients(DIRECTORY, { owner: 'ST' })).toEqual([
      { key: 'st-channel', recipient: { kind: 'secretariat_channel', slack: 'C0ST0000001' }, platform: 'slack', locale: 'es', timezone: 'America/Costa_Rica', calendar: 'CR' },
    ]);
  });

  it('no internal code reaches a reader, in either language', () => {
    const late = trackDuties(duties, new Set(), '2026-12-01');
    for (const l of ['es', 'en'] as const) {
      const texts = [
        ...duties.map((d) => allText(dutyReminderMessage(DIRECTORY, d, vm, { ...dutyRecipients(DIRECTORY, { owner: 'ST' })[0]!, locale: l }, 'D-0'))),
        allText(lateDutiesMessage(DIRECTORY, late, [vm], '2026-W49', l)),
      ];
      for (const text of texts) {
        expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // observer_reports, st_budget_report, closed_door …
        expect(text).not.toMatch(/\b(PPT|ST)\b/);
        expect(text).not.toMatch(/\(\([^)]*\)|\([^)]*\([^)]*\)[^)]*\)/); // nested parentheses
        expect(text).not.toMatch(/[.,;:]{2}/);
      }
    }
  });

  it('the weekly list of overdue duties: a table with the duty, the meeting, who owes it and when it was due', () => {
    const late = trackDuties(duties, new Set(), '2026-12-01').filter((d) => d.state === 'late');
    const m = lateDutiesMessage(DIRECTORY, late, [vm], '2026-W49', 'en');
    expect(m).toMatchObject({ kind: 'duty_digest', heading: 'Overdue tasks, week 2026-W49', body: [`There are ${late.length} overdue tasks.`] });
    expect(m.table!.columns).toEqual(['Task', 'Meeting', 'Responsible', 'Due']);
    expect(m.table!.rows[0]).toEqual(['Draft Declaration and Action Plan', `XXXI Reunión Viceministerial (${vm.reference})`, 'Presidency Pro Tempore: Mexico', 'Sunday, October 18, 2026']);
    expect(m.table!.rows.map((r) => r[2])).toContain('Regional Network of Civil Organizations for Migration');
  });
});
