/**
 * The interaction layer's decisions that need no database (src/interaction/interaction.ts): the preflight
 * (memory only, for a platform's short-lived trigger) and the answers read from memory. Everything else runs
 * against PostgreSQL in test/conformance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusinessCalendar } from '../../../src/calendar/business-calendar.ts';
import type { Directory } from '../../../src/directory/model.ts';
import type { FlowDeps } from '../../../src/flows/ports.ts';
import type { ConsultationReader } from '../../../src/flows/queries.ts';
import { inBothLanguages, t } from '../../../src/i18n/index.ts';
import { Identity } from '../../../src/interaction/identity.ts';
import { Interaction, isDurable } from '../../../src/interaction/interaction.ts';
import { silentLogger } from '../../../src/log.ts';
import { exampleDirectory } from '../../helpers/engine.ts';

let directory: Directory;
let interaction: Interaction;
const NOW = new Date('2026-12-01T15:00:00Z'); // PA holds the presidency

beforeAll(async () => {
  directory = await exampleDirectory();
  const untouchable = new Proxy({}, { get: (_t, p) => { throw new Error(`the store was used (${String(p)})`); } });
  const deps = {
    store: untouchable,
    directory: { current: () => directory },
    calendars: { calendar: () => createBusinessCalendar('secretariat', directory) },
    clock: { now: () => NOW },
    newId: () => 'id',
  } as unknown as FlowDeps;
  interaction = new Interaction({ deps, reader: untouchable as ConsultationReader, identity: new Identity('slack', deps.directory, undefined, silentLogger()), logger: silentLogger() });
});

describe('preflight (memory only)', () => {
  it.each([
    ['the PPT types consulta', 'U0PA0000001', 'consulta', { kind: 'form', form: { form: 'consultation_new', origin: 'C0ORIGIN01' } }],
    ['ST staff types consult', 'U0ST0000002', 'consult', { kind: 'form', form: { form: 'consultation_new', origin: 'C0ORIGIN01' } }],
    ['a member types consulta', 'U0CR0000001', 'consulta', undefined],
    ['a member types retirar REF', 'U0CR0000001', 'retirar CRM-2026-001', { kind: 'loading' }],
    ['a stranger types retirar REF', 'U0NOBODY001', 'retirar CRM-2026-001', undefined],
    ['anyone types estado', 'U0PA0000001', 'estado', undefined],
  ])('%s', (_what, user, text, expected) => {
    expect(interaction.preflight(user, { kind: 'command', text, origin: 'C0ORIGIN01' })).toEqual(expected);
  });

  it('the home view\'s button opens the form only for who may start a consultation', () => {
    expect(interaction.preflight('U0ST0000001', { kind: 'open_form', form: 'consultation_new' })).toEqual({ kind: 'form', form: { form: 'consultation_new' } });
    expect(interaction.preflight('U0MX0000001', { kind: 'open_form', form: 'consultation_new' })).toBeUndefined();
  });
});

describe('handle, from memory', () => {
  it('without a preflight presented, the form comes in `now`; once presented, nothing more', async () => {
    const intent = { kind: 'command' as const, text: 'consulta' };
    expect((await interaction.handle('U0PA0000001', intent, { key: 'k1' })).now).toEqual([{ kind: 'form', form: { form: 'consultation_new' } }]);
    const early = interaction.preflight('U0PA0000001', intent);
    expect((await interaction.handle('U0PA0000001', intent, { key: 'k1', preflighted: early })).now).toEqual([]);
  });

  it('a replay opens no form (every command that opens one), and still answers a command that does not', async () => {
    for (const [n, text] of ['consulta', 'revisar CRM-2026-001', 'prorrogar CRM-2026-001', 'retirar CRM-2026-001', 'reunion'].entries()) {
      expect(await interaction.handle('U0PA0000001', { kind: 'command', text }, { key: `k2-${n}`, replay: true }), text).toEqual({ locale: 'es', now: [] });
    }
    const help = await interaction.handle('U0PA0000001', { kind: 'command', text: 'ayuda' }, { key: 'k2-help', replay: true });
    expect(help.now.length).toBeGreaterThan(0);
  });

  it('the help as a message in the person\'s language, naming the command as typed', async () => {
    const out = await interaction.handle('U0US0000001', { kind: 'command', text: 'ayuda', slash: '/crm-test' }, { key: 'k3' });
    expect(out.locale).toBe('en');
    const [reply] = out.now;
    expect(reply).toMatchObject({ kind: 'message', message: { kind: 'status', locale: 'en', heading: t('en', 'help.heading') } });
    expect(JSON.stringify(reply)).toContain('/crm-test');
  });

  it('when a consultation circulated now would close', async () => {
    const out = await interaction.handle('U0CR0000001', { kind: 'command', text: 'plazo 3' }, { key: 'k4' });
    expect(out.now).toHaveLength(1);
    expect(out.now[0]).toMatchObject({ kind: 'message', message: { locale: 'es' } });
  });

  it('someone not in the directory: both languages, whatever they asked', async () => {
    for (const intent of [{ kind: 'command', text: 'lista' }, { kind: 'decide', action: 'position_support' }, { kind: 'open_form', form: 'consultation_new' }] as const) {
      const out = await interaction.handle('U0NOBODY001', intent, { key: 'k5' });
      expect(out.now).toEqual([{ kind: 'notice', text: inBothLanguages('refusal.not_in_directory') }]);
    }
    const submitted = await interaction.handle('U0NOBODY001', { kind: 'submit', form: 'reason', values: { reason: 'x' } }, { key: 'k6' });
    expect(submitted.now).toEqual([{ kind: 'form_notice', text: inBothLanguages('refusal.not_in_directory') }]);
  });

  it('an observer sees no consultations, and a malformed submission is refused on the form\'s first field', async () => {
    expect((await interaction.handle('U0JM0000001', { kind: 'command', text: 'lista' }, { key: 'k7' })).now).toEqual([{ kind: 'notice', text: t('en', 'home.no_access') }]);
    expect((await interaction.handle('U0JM0000001', { kind: 'home' }, { key: 'k8' })).now).toMatchObject([{ kind: 'home', view: { kind: 'no_access', locale: 'en' } }]);
    expect((await interaction.handle('U0PA0000001', { kind: 'submit', form: 'consultation_new', context: { form: 'consultation_new' } }, { key: 'k9' })).now).toEqual([
      { kind: 'field_errors', errors: { title: t('es', 'refusal.invalid_input') } },
    ]);
    expect((await interaction.handle('U0PA0000001', { kind: 'submit', form: 'extend' }, { key: 'k10' })).now).toEqual([{ kind: 'form_notice', text: t('es', 'slack.invalid_button') }]);
  });
});

describe('isDurable: which acknowledged intents an adapter stores before its ack', () => {
  it.each([
    [{ kind: 'decide', action: 'troika_approve' }, true],
    [{ kind: 'decide', action: 'position_abstain' }, true],
    [{ kind: 'decide', action: 'troika_changes' }, false], // only opens the reason form
    [{ kind: 'decide', action: 'position_object' }, false],
    [{ kind: 'decide', action: 'home_new_consultation' }, false],
    [{ kind: 'submit' }, true],
    [{ kind: 'command', text: 'estado CRM-2026-001' }, true],
    [{ kind: 'command', text: 'ayuda' }, true],
    [{ kind: 'command', text: 'consulta' }, false],
    [{ kind: 'command', text: 'retirar CRM-2026-001' }, false],
    [{ kind: 'open_form' }, false],
    [{ kind: 'home' }, false],
  ] as const)('%j → %s', (intent, expected) => {
    expect(isDurable(intent)).toBe(expected);
  });
});
