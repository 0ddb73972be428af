import { describe, expect, it } from 'vitest';
import { deadlineMessage, latestStatusMessage, listMessage } from '../../../src/commands/answers.ts';
import { COMMAND_WORDS, parseCommand, parseReference, type CommandName } from '../../../src/commands/catalogue.ts';
import { helpParagraphs, HELP_ORDER, problemText, usage } from '../../../src/commands/help.ts';
import type { Directory } from '../../../src/directory/model.ts';

describe('parseCommand', () => {
  it.each([
    ['consulta', { name: 'consult' }],
    ['consult', { name: 'consult' }],
    ['CONSULTA', { name: 'consult' }],
    ['estado', { name: 'status' }],
    ['status crm-2026-003', { name: 'status', reference: 'CRM-2026-003' }],
    ['estado   CRM-2026-012  ', { name: 'status', reference: 'CRM-2026-012' }],
    ['lista', { name: 'list' }],
    ['list', { name: 'list' }],
    ['plazo', { name: 'deadline' }],
    ['deadline 3', { name: 'deadline', days: 3 }],
    ['plazo 60', { name: 'deadline', days: 60 }],
    ['ayuda', { name: 'help' }],
    ['help', { name: 'help' }],
    ['', { name: 'help' }],
    ['   ', { name: 'help' }],
    ['revisar CRM-2026-001', { name: 'revise', reference: 'CRM-2026-001' }],
    ['revise CRM-2026-001', { name: 'revise', reference: 'CRM-2026-001' }],
    ['prorrogar CRM-2026-001', { name: 'extend', reference: 'CRM-2026-001' }],
    ['prórroga CRM-2026-001', { name: 'extend', reference: 'CRM-2026-001' }],
    ['extend CRM-2026-001', { name: 'extend', reference: 'CRM-2026-001' }],
    ['retirar CRM-2026-001', { name: 'withdraw', reference: 'CRM-2026-001' }],
    ['withdraw crm-2026-001', { name: 'withdraw', reference: 'CRM-2026-001' }],
  ])('%j → %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['hola', { kind: 'unknown', word: 'hola' }],
    ['retirar', { kind: 'missing_reference', command: 'withdraw' }],
    ['revise 42', { kind: 'invalid_reference', command: 'revise', given: '42' }],
    ['estado CRM-26-1', { kind: 'invalid_reference', command: 'status', given: 'CRM-26-1' }],
    ['plazo 0', { kind: 'invalid_days', given: '0' }],
    ['plazo 61', { kind: 'invalid_days', given: '61' }],
    ['deadline tres', { kind: 'invalid_days', given: 'tres' }],
    ['lista todo', { kind: 'extra_arguments', command: 'list' }],
    ['estado CRM-2026-001 CRM-2026-002', { kind: 'extra_arguments', command: 'status' }],
  ])('%j → help with the problem named', (text, problem) => {
    expect(parseCommand(text)).toEqual({ name: 'help', problem });
  });

  it('never throws and caps what it echoes', () => {
    const long = 'x'.repeat(10_000);
    const r = parseCommand(long);
    expect(r).toMatchObject({ name: 'help', problem: { kind: 'unknown' } });
    expect(JSON.stringify(r).length).toBeLessThan(200);
    expect(parseCommand(undefined as unknown as string)).toEqual({ name: 'help' });
  });

  it('every command has a Spanish word and an English alias, and no word names two commands', () => {
    const seen = new Map<string, CommandName>();
    for (const [name, words] of Object.entries(COMMAND_WORDS) as [CommandName, readonly string[]][]) {
      expect(words.length).toBeGreaterThanOrEqual(2);
      for (const w of words) {
        expect(seen.get(w), `${w} in ${name} and ${seen.get(w)}`).toBeUndefined();
        seen.set(w, name);
        const args = ['status', 'list', 'consult', 'help', 'deadline', 'meeting', 'meetings', 'duties', 'observers'].includes(name) ? '' : name === 'observer' ? ' OBS-2026-001 retirar' : ' CRM-2026-001';
        expect(parseCommand(`${w}${args}`).name).toBe(name);
      }
    }
  });

  it('the meetings commands, Spanish first, accents optional', () => {
    expect(parseCommand('reunión').name).toBe('meeting');
    expect(parseCommand('REUNIONES').name).toBe('meetings');
    expect(parseCommand('pendientes').name).toBe('duties');
    expect(parseCommand('duties now')).toEqual({ name: 'help', problem: { kind: 'extra_arguments', command: 'duties' } });
  });

  it.each([
    ['observadores', { name: 'observers' }],
    ['observers', { name: 'observers' }],
    ['observador obs-2026-001 presentar mtg-2026-003', { name: 'observer', step: { type: 'present', id: 'OBS-2026-001', meeting: 'MTG-2026-003' } }],
    ['observer OBS-2026-001 present MTG-2026-003', { name: 'observer', step: { type: 'present', id: 'OBS-2026-001', meeting: 'MTG-2026-003' } }],
    ['observador OBS-2026-001 decidir MTG-2026-009 admitida', { name: 'observer', step: { type: 'decide', id: 'OBS-2026-001', meeting: 'MTG-2026-009', outcome: 'admitted' } }],
    ['observer OBS-2026-001 decide MTG-2026-009 rejected', { name: 'observer', step: { type: 'decide', id: 'OBS-2026-001', meeting: 'MTG-2026-009', outcome: 'rejected' } }],
    ['Observador OBS-2026-001 RETIRAR', { name: 'observer', step: { type: 'withdraw', id: 'OBS-2026-001' } }],
    ['observador solicitud cl República de Chile', { name: 'observer', step: { type: 'apply', applicant: { kind: 'country', code: 'CL', name: 'República de Chile' } } }],
    ['observer apply OEA Organization of American States', { name: 'observer', step: { type: 'apply', applicant: { kind: 'organization', code: 'OEA', name: 'Organization of American States' } } }],
  ])('observer applications: %j → %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    'observador',
    'observador OBS-2026-001',
    'observador OBS-2026-001 presentar',
    'observador OBS-2026-001 presentar CRM-2026-003',
    'observador OBS-2026-001 decidir MTG-2026-009',
    'observador OBS-2026-001 decidir MTG-2026-009 quizás',
    'observador OBS-2026-001 retirar ya',
    'observador solicitud CL',
    'observador OBS-26-1 retirar',
    'observadores todos',
  ])('observer applications: %j → the help with the usage', (text) => {
    const r = parseCommand(text);
    expect(r.name).toBe('help');
    if (text !== 'observadores todos') expect(r).toEqual({ name: 'help', problem: { kind: 'observer_usage' } });
  });

  it('references', () => {
    expect(parseReference(' crm-2026-003 ')).toBe('CRM-2026-003');
    expect(parseReference('CRM-2026-1')).toBeUndefined();
    expect(parseReference('<@U123>')).toBeUndefined();
  });
});

describe('help', () => {
  it('lists every command in the person\'s language, with the other language\'s alias', () => {
    const es = helpParagraphs('es');
    const en = helpParagraphs('en');
    expect(es.heading).toBe('Comandos de /crm');
    expect(en.heading).toBe('The /crm commands');
    expect(es.lines).toHaveLength(HELP_ORDER.length + 1);
    expect(es.lines.join('\n')).toContain('/crm estado [REF] (status)');
    expect(es.lines.join('\n')).toContain('/crm prorrogar REF (extend)');
    expect(en.lines.join('\n')).toContain('/crm status [REF] (estado)');
    expect(en.lines.join('\n')).toContain('/crm withdraw REF (retirar)');
  });

  it('says what was wrong first', () => {
    const h = helpParagraphs('es', { problem: { kind: 'unknown', word: 'hola' } });
    expect(h.lines[0]).toBe('No se reconoce «hola». Estos son los comandos disponibles:');
    expect(problemText({ kind: 'missing_reference', command: 'withdraw' }, 'en')).toBe('The consultation reference is missing. Usage: /crm withdraw REF');
    expect(problemText({ kind: 'invalid_days', given: '99' }, 'es')).toContain('entre 1 y 60');
    expect(usage('deadline', 'es', '/crm-test')).toBe('/crm-test plazo [N]');
  });
});

describe('answers', () => {
  const directory = { secretariat: { timezone: 'America/Costa_Rica', calendar: 'CR', locale: 'es', staff: [] }, presidencies: [], countries: [], organizations: [], holidays: [] } as unknown as Directory;
  const reader = { locale: 'es' as const, timezone: 'America/Costa_Rica' };

  it('no open consultations', () => {
    expect(listMessage([], directory, reader).body).toEqual(['No hay consultas abiertas.']);
    expect(latestStatusMessage([], directory, { locale: 'en', timezone: 'UTC' }).body).toEqual(['There are no open consultations.']);
  });

  it('a deadline names the holidays skipped, in the reader\'s zone', () => {
    const m = deadlineMessage(
      {
        deadline: new Date('2026-12-09T05:59:59Z'),
        timeZone: 'America/Costa_Rica',
        counted: ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08'],
        skipped: [
          { date: '2026-12-05', reason: 'weekend' },
          { date: '2026-12-06', reason: 'weekend' },
          { date: '2026-12-25', reason: 'holiday', name: 'Navidad' },
        ],
        unverifiedYears: [],
      },
      5,
      directory,
      { locale: 'en', timezone: 'America/New_York' },
    );
    const text = m.body.join('\n');
    // The calendar's day and zone first, then the reader's own clock (not "Wednesday 12:59 AM" alone).
    expect(text).toContain(
      'A consultation circulated now would close after 5 business days. Deadline: end of Tuesday 8 December, Costa Rica time (Wednesday 00:59 in Washington, D.C.).',
    );
    expect(text).toContain('Business-day calendar of the Technical Secretariat (Costa Rica).');
    expect(text).toContain('Navidad');
    expect(text).not.toContain('weekend');
  });
});
