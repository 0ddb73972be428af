/**
 * The meeting forms' values, checked before the database (src/interaction/meeting-forms.ts), and the
 * preflight of the meeting intents (memory only): the new-meeting form for the PPT and the ST at once, a
 * loading form before the delegation form for a Member Country's focal point only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/directory/model.ts';
import type { FlowDeps } from '../../../src/flows/ports.ts';
import type { MeetingDeps } from '../../../src/flows/meeting-flows.ts';
import type { ConsultationReader } from '../../../src/flows/queries.ts';
import { t } from '../../../src/i18n/index.ts';
import { Identity } from '../../../src/interaction/identity.ts';
import { Interaction, isDurable } from '../../../src/interaction/interaction.ts';
import { parseDelegationForm, parseMeetingFormContext, parseMeetingNewForm } from '../../../src/interaction/meeting-forms.ts';
import { silentLogger } from '../../../src/log.ts';
import { exampleDirectory } from '../../helpers/engine.ts';

describe('parseMeetingNewForm', () => {
  const good = { kind: 'grcm', start: '2027-06-15', end: '2027-06-16' };
  it.each([
    ['a complete form', good, { ok: true, value: good }],
    ['city, country (lower case) and title trimmed', { ...good, city: '  Ciudad de Panamá ', country: 'pa', title: ' XL GRCM ' }, { ok: true, value: { ...good, city: 'Ciudad de Panamá', country: 'PA', title: 'XL GRCM' } }],
    ['empty optional fields are absent', { ...good, city: '', country: ' ', title: '' }, { ok: true, value: good }],
    ['an unknown kind', { ...good, kind: 'party' }, { ok: false, errors: { kind: t('es', 'meeting.form.kind_required') } }],
    ['no dates', { kind: 'grcm' }, { ok: false, errors: { start: t('es', 'meeting.form.date_required'), end: t('es', 'meeting.form.date_required') } }],
    ['a date that is not a day', { ...good, end: '16/06/2027' }, { ok: false, errors: { end: t('es', 'meeting.form.date_required') } }],
    ['a country that is not two letters', { ...good, country: 'PAN' }, { ok: false, errors: { country: t('es', 'meeting.form.country_hint') } }],
    ['a title over 200 characters', { ...good, title: 'x'.repeat(201) }, { ok: false, errors: { title: t('es', 'refusal.title_too_long', { max: 200 }) } }],
    ['a city over 120 characters', { ...good, city: 'c'.repeat(121) }, { ok: false, errors: { city: t('es', 'meeting.form.city_too_long', { max: 120 }) } }],
  ])('%s', (_what, values, expected) => {
    expect(parseMeetingNewForm(values, 'es')).toEqual(expected);
  });
});

describe('parseDelegationForm', () => {
  it('reads the comma-joined choices of the meeting\'s segments only, once each', () => {
    expect(parseDelegationForm({ plenary: 'a@x.org, b@x.org,a@x.org', closed_door: 'c@x.org', main: 'd@x.org' }, ['plenary', 'closed_door'])).toEqual([
      { email: 'a@x.org', segment: 'plenary' },
      { email: 'b@x.org', segment: 'plenary' },
      { email: 'c@x.org', segment: 'closed_door' },
    ]);
    expect(parseDelegationForm({}, ['main'])).toEqual([]);
  });

  it('a tampered delegation context is not the form\'s', () => {
    expect(parseMeetingFormContext('meeting_delegation', { meeting: 'm', country: 'cr' })).toBeUndefined();
    expect(parseMeetingFormContext('meeting_delegation', { meeting: 'm', country: 'CR', origin: 'D0X' })).toEqual({ form: 'meeting_delegation', delegation: { meetingId: 'm', country: 'CR', channelId: 'D0X' } });
    // A Teams conversation id too long to keep is dropped, not a reason to refuse the delegation.
    expect(parseMeetingFormContext('meeting_delegation', { meeting: 'm', country: 'CR', origin: `a:${'x'.repeat(500)}` })).toEqual({ form: 'meeting_delegation', delegation: { meetingId: 'm', country: 'CR' } });
  });
});

describe('meeting intents from memory', () => {
  let interaction: Interaction;
  beforeAll(async () => {
    const directory: Directory = await exampleDirectory();
    const untouchable = new Proxy({}, { get: (_t, p) => { throw new Error(`the store was used (${String(p)})`); } });
    const deps = { store: untouchable, directory: { current: () => directory }, clock: { now: () => new Date('2026-12-01T15:00:00Z') }, newId: () => 'id' } as unknown as FlowDeps;
    const meetings = { meetings: untouchable, directory: deps.directory, clock: deps.clock, newId: () => 'id' } as unknown as MeetingDeps;
    interaction = new Interaction({ deps, reader: untouchable as ConsultationReader, identity: new Identity('slack', deps.directory, undefined, silentLogger()), logger: silentLogger(), meetings });
  });

  it.each([
    ['the PPT types reunión', 'U0PA0000001', { kind: 'command', text: 'reunión', origin: 'C0ORIGIN01' }, { kind: 'form', form: { form: 'meeting_new', origin: 'C0ORIGIN01' } }],
    ['ST staff types meeting', 'U0ST0000002', { kind: 'command', text: 'meeting' }, { kind: 'form', form: { form: 'meeting_new' } }],
    ['a member types reunion', 'U0CR0000001', { kind: 'command', text: 'reunion' }, undefined],
    ['a member types reuniones', 'U0CR0000001', { kind: 'command', text: 'reuniones' }, undefined],
    ['a member clicks the delegation button', 'U0CR0000001', { kind: 'open_form', form: 'meeting_delegation', meetingId: 'm' }, { kind: 'loading' }],
    ['ST staff clicks the delegation button', 'U0ST0000001', { kind: 'open_form', form: 'meeting_delegation', meetingId: 'm' }, undefined],
  ] as const)('%s', (_what, user, intent, expected) => {
    expect(interaction.preflight(user, intent)).toEqual(expected);
  });

  it('a member types reunion: refused from memory, naming who may', async () => {
    expect((await interaction.handle('U0CR0000001', { kind: 'command', text: 'reunion' }, { key: 'k1' })).now).toEqual([{ kind: 'notice', text: t('es', 'meeting.manage_only') }]);
  });

  it('a replay opens no form and records no answer twice', async () => {
    expect(await interaction.handle('U0PA0000001', { kind: 'command', text: 'reunion' }, { key: 'k2', replay: true })).toEqual({ locale: 'es', now: [] });
    expect((await interaction.handle('U0CR0000001', { kind: 'open_form', form: 'meeting_delegation', meetingId: 'm' }, { key: 'k3', replay: true })).now).toEqual([]);
  });

  it('a forged invitation button: not valid, nothing looked up', async () => {
    expect((await interaction.handle('U0CR0000001', { kind: 'answer_invitation', response: 'attend' }, { key: 'k4' })).now).toEqual([{ kind: 'notice', text: t('es', 'meeting.response.invalid_button') }]);
  });

  it.each([
    [{ kind: 'command', text: 'reuniones' }, true],
    [{ kind: 'command', text: 'pendientes' }, true],
    [{ kind: 'command', text: 'reunion' }, false],
    [{ kind: 'submit' }, true],
  ] as const)('isDurable %j → %s', (intent, expected) => {
    expect(isDurable(intent)).toBe(expected);
  });
});
