import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  ACTION_HOME_NEW_CONSULTATION,
  encodeReasonMetadata,
  homeView,
  newConsultationModal,
  parseNewConsultation,
  parseReason,
  parseReasonMetadata,
  reasonModal,
  viewErrors,
  type HomeItem,
  type ReasonKind,
} from '../../../../src/adapters/slack/views.ts';
import { encodeManageMetadata, parseManageMetadata, parseRevise, reviseModal } from '../../../../src/adapters/slack/manage-views.ts';
import type { Locale } from '../../../../src/directory/model.ts';
import { t } from '../../../../src/i18n/index.ts';
import { buttonValue } from '../../../../src/messages/neutral.ts';

const LOCALES: Locale[] = ['es', 'en'];
const NOW = new Date('2026-11-20T15:00:00Z');
const sec = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** view.state.values as Slack sends them for the new-consultation modal. */
function state(v: {
  title?: string | null;
  proposal?: string | null;
  days?: string | null;
  deadline?: number | null;
  rule?: string | null;
  justification?: string | null;
  titleTranslation?: string | null;
  proposalTranslation?: string | null;
  visibility?: string | null;
}) {
  return {
    ...(v.titleTranslation !== undefined ? { title_translation: { title_translation: { type: 'plain_text_input', value: v.titleTranslation } } } : {}),
    ...(v.proposalTranslation !== undefined ? { proposal_translation: { proposal_translation: { type: 'plain_text_input', value: v.proposalTranslation } } } : {}),
    ...(v.visibility !== undefined
      ? { visibility: { visibility: { type: 'static_select', selected_option: v.visibility === null ? null : { text: { type: 'plain_text', text: 'x' }, value: v.visibility } } } }
      : {}),
    title: { title: { type: 'plain_text_input', value: v.title ?? null } },
    proposal: { proposal: { type: 'plain_text_input', value: v.proposal ?? null } },
    days: { days: { type: 'number_input', value: v.days === undefined ? '5' : v.days } },
    deadline: { deadline: { type: 'datetimepicker', selected_date_time: v.deadline ?? null } },
    rule: {
      rule: {
        type: 'static_select',
        selected_option: v.rule === null ? null : { text: { type: 'plain_text', text: 'x' }, value: v.rule ?? 'explicit' },
      },
    },
    justification: { justification: { type: 'plain_text_input', value: v.justification ?? null } },
  };
}

const good = { title: '  Declaración regional  ', proposal: 'Texto de la propuesta.' };

describe('newConsultationModal', () => {
  it.each(LOCALES)('has the binding ids, the limits and translated labels (%s)', (l) => {
    const view = newConsultationModal(l, { privateMetadata: '{"channel":"C1"}' });
    expect(view.callback_id).toBe('consultation_new');
    expect(view.private_metadata).toBe('{"channel":"C1"}');
    for (const x of [view.title, view.submit!, view.close!]) expect(x.text.length).toBeLessThanOrEqual(24);
    const inputs = view.blocks.filter((b) => b.type === 'input') as unknown as { block_id: string; optional?: boolean; element: Record<string, unknown> }[];
    expect(inputs.map((b) => b.block_id)).toEqual(['title', 'proposal', 'title_translation', 'proposal_translation', 'days', 'deadline', 'rule', 'justification', 'visibility']);
    for (const b of inputs) expect(b.element.action_id).toBe(b.block_id);
    const by = Object.fromEntries(inputs.map((b) => [b.block_id, b]));
    expect(by.title!.element).toMatchObject({ type: 'plain_text_input', max_length: 200 });
    expect(by.proposal!.element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });
    expect(by.days!.element).toMatchObject({ type: 'number_input', is_decimal_allowed: false, initial_value: '5', min_value: '1', max_value: '60' });
    expect(by.deadline!.element).toMatchObject({ type: 'datetimepicker' });
    expect(by.deadline!.optional).toBe(true);
    expect(by.justification!.optional).toBe(true);
    const rule = by.rule!.element as { options: { value: string; text: { text: string } }[]; initial_option: { value: string } };
    expect(rule.options.map((o) => o.value)).toEqual(['explicit', 'silence']);
    expect(rule.options.map((o) => o.text.text)).toEqual([t(l, 'rule.explicit'), t(l, 'rule.silence')]);
    expect(rule.initial_option.value).toBe('explicit');
    // The text in the other official language: optional, labelled in the author's language.
    expect(by.title_translation!.optional).toBe(true);
    expect(by.proposal_translation!.optional).toBe(true);
    expect(by.title_translation!.element).toMatchObject({ type: 'plain_text_input', max_length: 200 });
    expect(by.proposal_translation!.element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: 3000 });
    const visibility = by.visibility!.element as { options: { value: string; text: { text: string } }[]; initial_option: { value: string } };
    expect(visibility.options.map((o) => o.value)).toEqual(['at_close', 'live']);
    expect(visibility.initial_option.value).toBe('at_close');
    for (const o of visibility.options) expect(o.text.text.length).toBeLessThanOrEqual(75);
  });

  it.each([
    ['es', 'Título en inglés (opcional)', 'Texto de la propuesta en inglés (opcional)', 'Los Países Miembros las ven al cierre'],
    ['en', 'Title in Spanish (optional)', 'Text of the proposal in Spanish (optional)', 'Member Countries see them at the close'],
  ] as const)('the translation is in the other official language (%s author)', (l, title, proposal, atClose) => {
    const view = newConsultationModal(l);
    const label = (id: string) => (view.blocks.find((b) => b.type === 'input' && b.block_id === id) as { label: { text: string } }).label.text;
    expect(label('title_translation')).toBe(title);
    expect(label('proposal_translation')).toBe(proposal);
    const v = view.blocks.find((b) => b.type === 'input' && b.block_id === 'visibility') as { element: { initial_option: { text: { text: string } } } };
    expect(v.element.initial_option.text.text).toBe(atClose);
  });

  it('takes another default period', () => {
    const view = newConsultationModal('es', { defaultDays: 10 });
    const days = view.blocks.find((b) => b.type === 'input' && b.block_id === 'days') as { element: { initial_value: string } };
    expect(days.element.initial_value).toBe('10');
  });

  it('refuses private_metadata over 3000 chars', () => {
    expect(() => newConsultationModal('es', { privateMetadata: 'x'.repeat(3001) })).toThrow();
  });
});

describe('parseNewConsultation', () => {
  it('accepts a minimal form: trimmed title, default 5 days, explicit consent', () => {
    expect(parseNewConsultation(state(good), NOW, 'es')).toEqual({
      ok: true,
      value: { title: 'Declaración regional', text: 'Texto de la propuesta.', days: 5, rule: 'explicit', locale: 'es', positionsVisibility: 'at_close' },
    });
  });

  it('reads the translation (in the other language than the author\'s) and the visibility', () => {
    expect(parseNewConsultation(state({ ...good, titleTranslation: ' Regional statement ', proposalTranslation: 'Text of the proposal.', visibility: 'live' }), NOW, 'es')).toEqual({
      ok: true,
      value: {
        title: 'Declaración regional',
        text: 'Texto de la propuesta.',
        days: 5,
        rule: 'explicit',
        locale: 'es',
        translation: { locale: 'en', title: 'Regional statement', text: 'Text of the proposal.' },
        positionsVisibility: 'live',
      },
    });
    expect(parseNewConsultation(state({ ...good, titleTranslation: 'Declaración', proposalTranslation: 'Texto.' }), NOW, 'en')).toMatchObject({
      ok: true,
      value: { locale: 'en', translation: { locale: 'es', title: 'Declaración', text: 'Texto.' } },
    });
    // Both empty: no translation.
    const r = parseNewConsultation(state({ ...good, titleTranslation: '  ', proposalTranslation: null }), NOW, 'es');
    expect(r).toMatchObject({ ok: true });
    expect(r.ok ? r.value.translation : 'refused').toBeUndefined();
  });

  it('an empty days field means the default period', () => {
    const r = parseNewConsultation(state({ ...good, days: null }), NOW, 'es', { defaultDays: 7 });
    expect(r).toMatchObject({ ok: true, value: { days: 7 } });
  });

  it('accepts the silence procedure, a justified short period, and an explicit deadline (no days then)', () => {
    expect(parseNewConsultation(state({ ...good, rule: 'silence' }), NOW, 'en')).toMatchObject({ ok: true, value: { rule: 'silence' } });
    expect(parseNewConsultation(state({ ...good, days: '3', justification: 'Urgencia' }), NOW, 'es')).toMatchObject({
      ok: true,
      value: { days: 3, justification: 'Urgencia' },
    });
    const deadline = sec('2026-11-27T23:59:00Z');
    const r = parseNewConsultation(state({ ...good, deadline, justification: 'Cumbre' }), NOW, 'es');
    expect(r).toEqual({
      ok: true,
      value: {
        title: 'Declaración regional',
        text: 'Texto de la propuesta.',
        deadlineAt: new Date(deadline * 1000),
        rule: 'explicit',
        justification: 'Cumbre',
        locale: 'es',
        positionsVisibility: 'at_close',
      },
    });
  });

  const cases: { name: string; input: Parameters<typeof state>[0]; errors: (l: Locale) => Record<string, string> }[] = [
    { name: 'missing title', input: { ...good, title: '   ' }, errors: (l) => ({ title: t(l, 'refusal.title_required') }) },
    { name: 'title too long', input: { ...good, title: 'x'.repeat(201) }, errors: (l) => ({ title: t(l, 'refusal.title_too_long', { max: 200 }) }) },
    { name: 'missing proposal', input: { ...good, proposal: null }, errors: (l) => ({ proposal: t(l, 'refusal.text_required') }) },
    ...['0', '61', '2.5', 'abc', '-3'].map((days) => ({
      name: `days ${days}`,
      input: { ...good, days },
      errors: (l: Locale) => ({ days: t(l, 'refusal.invalid_days', { min: 1, max: 60 }) }),
    })),
    { name: 'days < 5 without justification', input: { ...good, days: '4' }, errors: (l) => ({ justification: t(l, 'refusal.justification_required') }) },
    {
      name: 'deadline without justification',
      input: { ...good, deadline: sec('2026-12-01T00:00:00Z') },
      errors: (l) => ({ justification: t(l, 'refusal.justification_required') }),
    },
    {
      name: 'deadline in the past',
      input: { ...good, deadline: sec('2026-11-20T14:59:00Z'), justification: 'x' },
      errors: (l) => ({ deadline: t(l, 'refusal.deadline_in_past') }),
    },
    {
      name: 'justification too long',
      input: { ...good, days: '3', justification: 'j'.repeat(2001) },
      errors: (l) => ({ justification: t(l, 'refusal.justification_too_long', { max: 2000 }) }),
    },
    { name: 'unknown rule', input: { ...good, rule: 'majority' }, errors: (l) => ({ rule: t(l, 'refusal.invalid_input') }) },
    { name: 'unknown visibility', input: { ...good, visibility: 'always' }, errors: (l) => ({ visibility: t(l, 'refusal.invalid_input') }) },
    {
      name: 'a translated title without its text',
      input: { ...good, titleTranslation: 'Statement' },
      errors: (l) => ({ proposal_translation: t(l, 'form.translation.needs_both', { language: t(l, `form.translation.language.${l === 'es' ? 'en' : 'es'}`) }) }),
    },
    {
      name: 'a translated text without its title',
      input: { ...good, proposalTranslation: 'Text' },
      errors: (l) => ({ title_translation: t(l, 'form.translation.needs_both', { language: t(l, `form.translation.language.${l === 'es' ? 'en' : 'es'}`) }) }),
    },
    {
      name: 'a translated title too long',
      input: { ...good, titleTranslation: 'x'.repeat(201), proposalTranslation: 'Text' },
      errors: (l) => ({ title_translation: t(l, 'refusal.title_too_long', { max: 200 }) }),
    },
    {
      name: 'several at once',
      input: { title: '', proposal: '', days: '99' },
      errors: (l) => ({
        title: t(l, 'refusal.title_required'),
        proposal: t(l, 'refusal.text_required'),
        days: t(l, 'refusal.invalid_days', { min: 1, max: 60 }),
      }),
    },
  ];
  for (const l of LOCALES) {
    it.each(cases)(`${l}: $name`, ({ input, errors }) => {
      expect(parseNewConsultation(state(input), NOW, l)).toEqual({ ok: false, errors: errors(l) });
    });
  }

  it.each([null, 'x', 42, { title: 'not an object of actions' }, { title: { title: { value: 1 } } }])('rejects a malformed payload %j', (v) => {
    expect(parseNewConsultation(v, NOW, 'en')).toEqual({ ok: false, errors: { title: t('en', 'refusal.invalid_input') } });
  });

  it('viewErrors gives the ack body for response_action errors', () => {
    const r = parseNewConsultation(state({ ...good, title: '' }), NOW, 'es');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(viewErrors(r.errors)).toEqual({ response_action: 'errors', errors: { title: t('es', 'refusal.title_required') } });
  });
});

describe('reason modal', () => {
  const kinds: ReasonKind[] = ['changes', 'object', 'position_object'];
  for (const l of LOCALES) {
    it.each(kinds)(`${l} %s: callback reason, input reason ≤ 2000, title ≤ 24, metadata carried`, (kind) => {
      const meta = encodeReasonMetadata({ kind, consultationId: 'c-1', versionHash: 'h', card: { channel: 'D1', ts: '1.2' } });
      const view = reasonModal(l, meta, kind);
      expect(view.callback_id).toBe('reason');
      expect(view.private_metadata).toBe(meta);
      expect(view.title.text).toBe(t(l, `form.reason.heading.${kind}`));
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      const input = view.blocks.find((b) => b.type === 'input') as { block_id: string; element: { action_id: string; max_length: number } };
      expect(input.block_id).toBe('reason');
      expect(input.element).toMatchObject({ action_id: 'reason', max_length: 2000 });
    });
  }

  const values = (value: string | null) => ({ reason: { reason: { type: 'plain_text_input', value } } });
  it.each(LOCALES)('parseReason (%s)', (l) => {
    expect(parseReason(values('  Falta el párrafo 3. '), l)).toEqual({ ok: true, value: 'Falta el párrafo 3.' });
    expect(parseReason(values(' '), l)).toEqual({ ok: false, errors: { reason: t(l, 'refusal.reason_required') } });
    expect(parseReason(values(null), l)).toEqual({ ok: false, errors: { reason: t(l, 'refusal.reason_required') } });
    expect(parseReason(values('r'.repeat(2001)), l)).toEqual({ ok: false, errors: { reason: t(l, 'refusal.reason_too_long', { max: 2000 }) } });
    expect(parseReason('garbage', l)).toEqual({ ok: false, errors: { reason: t(l, 'refusal.invalid_input') } });
  });

  it('reason metadata round-trips and rejects tampering', () => {
    const ctx = { kind: 'object' as const, consultationId: 'c-1', versionHash: 'h1', card: { channel: 'D1', ts: '1700000000.000100' } };
    expect(parseReasonMetadata(encodeReasonMetadata(ctx))).toEqual(ctx);
    expect(parseReasonMetadata(encodeReasonMetadata({ kind: 'changes', consultationId: 'c', versionHash: 'v' }))).toEqual({
      kind: 'changes',
      consultationId: 'c',
      versionHash: 'v',
    });
    for (const bad of [undefined, '', '{', '{"k":"approve","c":"c","v":"v"}', '{"k":"object","c":"","v":"v"}', 'x'.repeat(3001)]) {
      expect(parseReasonMetadata(bad)).toBeUndefined();
    }
  });
});

describe('homeView', () => {
  const item = (i: number, buttons = 0): HomeItem => ({
    consultationId: `c-${i}`,
    reference: `CRM-2026-${String(i).padStart(3, '0')}`,
    title: `Propuesta <!channel> ${i}`,
    detail: 'Fecha límite: viernes',
    buttons: Array.from({ length: buttons }, (_, j) => ({ actionId: ['position_support', 'position_object', 'position_abstain'][j]!, label: 'B', value: buttonValue(`c-${i}`, 'h') })),
  });

  it.each(LOCALES)('three sections, escaped titles, "none" for an empty one (%s)', (l) => {
    const view = homeView(l, { awaitingMyCountry: [item(1, 3)], open: [item(1), item(2, 1)], myCountryAnswers: [] }, { canCreate: true, footer: 'Actualizado' });
    expect(view.type).toBe('home');
    const json = JSON.stringify(view.blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).toContain(ACTION_HOME_NEW_CONSULTATION);
    expect(json).toContain(t(l, 'home.none'));
    const headers = view.blocks.filter((b) => b.type === 'header').map((b) => (b as { text: { text: string } }).text.text);
    expect(headers).toEqual([t(l, 'home.heading'), t(l, 'home.awaiting_my_country'), t(l, 'home.open'), t(l, 'home.my_country_answers')]);
    // One button → accessory; three → an actions row.
    expect(view.blocks.some((b) => b.type === 'section' && 'accessory' in b && b.accessory)).toBe(true);
    expect(view.blocks.filter((b) => b.type === 'actions')).toHaveLength(2);
  });

  it('stays within 100 blocks with many consultations and says how many are left out', () => {
    const many = Array.from({ length: 80 }, (_, i) => item(i, 3));
    const view = homeView('es', { awaitingMyCountry: many, open: many, myCountryAnswers: many }, { canCreate: true, footer: 'x' });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view.blocks)).toMatch(/y \d+ más/);
  });
});

describe('slack/manifest.yaml', () => {
  const manifest = parseYaml(readFileSync(new URL('../../../../slack/manifest.yaml', import.meta.url), 'utf8')) as Record<string, any>;

  it('parses and routes everything to /slack/events', () => {
    const url = 'https://YOUR-HOST/slack/events';
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: '/crm', url })]);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: url, bot_events: ['app_home_opened'] });
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
  });

  it('asks for the scopes the adapter uses, and no e-mail scope', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['channels:history', 'chat:write', 'commands', 'files:write', 'groups:history', 'im:history', 'im:write', 'users:read'].sort(),
    );
  });

  it('respects Slack length limits on its texts', () => {
    const d = manifest.display_information;
    expect(d.name.length).toBeLessThanOrEqual(35);
    expect(d.description.length).toBeLessThanOrEqual(140);
    expect(d.long_description.length).toBeGreaterThanOrEqual(174);
    expect(d.long_description.length).toBeLessThanOrEqual(4000);
  });
});

describe('revise form: the translation, and the resend of a text the Troika did not endorse', () => {
  const m = { consultationId: 'c-1', reference: 'CRM-2026-004', channelId: 'C0123' };
  const current = {
    title: 'Declaración',
    text: 'Texto vigente.',
    version: 2,
    locale: 'es' as const,
    translation: { locale: 'en' as const, title: 'Statement', text: 'Current text.' },
  };
  const inputs = (view: ReturnType<typeof reviseModal>) =>
    view.blocks.filter((b) => b.type === 'input') as unknown as { block_id: string; label: { text: string }; optional?: boolean; element: { action_id: string; initial_value?: string } }[];

  it('shows the original and the translation, prefilled with the current version; labels in the reader\'s language', () => {
    const view = reviseModal('en', m, current);
    expect(view.callback_id).toBe('revise');
    const by = Object.fromEntries(inputs(view).map((b) => [b.block_id, b]));
    expect(Object.keys(by)).toEqual(['title', 'proposal', 'title_translation', 'proposal_translation']);
    for (const b of inputs(view)) expect(b.element.action_id).toBe(b.block_id);
    expect(by.proposal!.element.initial_value).toBe('Texto vigente.');
    expect(by.title_translation!.element.initial_value).toBe('Statement');
    expect(by.proposal_translation!.element.initial_value).toBe('Current text.');
    // The original is Spanish: the translation is in English, named in the reader's language.
    expect(by.title_translation!.label.text).toBe('Title in English (optional)');
    expect(parseManageMetadata(view.private_metadata)).toEqual({ ...m, originalLocale: 'es' });
    expect(view.title.text).toBe(t('en', 'form.revise.heading'));
  });

  it('for a consultation the Troika did not endorse it is the resend form, says why, and carries the resend', () => {
    const view = reviseModal('es', m, { ...current, notEndorsed: { country: 'Honduras', reason: 'No es urgente.' } });
    expect(view.callback_id).toBe('revise');
    expect(view.title.text).toBe('Reenviar a la Troika');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const intro = JSON.stringify(view.blocks[0]);
    expect(intro).toContain('País que objetó: Honduras. Motivo: «No es urgente». El texto revisado');
    expect(intro).toContain('una consulta nueva que sustituye a la consulta CRM-2026-004');
    expect(parseManageMetadata(view.private_metadata)).toEqual({ ...m, originalLocale: 'es', resend: true });
  });

  it('parseRevise reads the translation in the other language than the original shown', () => {
    const values = {
      title: { title: { type: 'plain_text_input', value: '' } },
      proposal: { proposal: { type: 'plain_text_input', value: 'Texto nuevo.' } },
      title_translation: { title_translation: { type: 'plain_text_input', value: 'Statement' } },
      proposal_translation: { proposal_translation: { type: 'plain_text_input', value: 'New text.' } },
    };
    // An English reader revising a Spanish original: the original stays Spanish.
    expect(parseRevise(values, 'en', 'es')).toEqual({
      ok: true,
      value: { text: 'Texto nuevo.', locale: 'es', translation: { locale: 'en', title: 'Statement', text: 'New text.' } },
    });
    const half = { ...values, proposal_translation: { proposal_translation: { type: 'plain_text_input', value: ' ' } } };
    expect(parseRevise(half, 'en', 'es')).toEqual({ ok: false, errors: { proposal_translation: 'Give both the title and the text in English, or neither.' } });
    const none = { title: values.title, proposal: values.proposal };
    expect(parseRevise(none, 'es')).toEqual({ ok: true, value: { text: 'Texto nuevo.', locale: 'es' } });
  });

  it('metadata read back untrusted: an unknown language or resend flag is refused', () => {
    expect(parseManageMetadata(JSON.stringify({ c: 'c', r: 'R', lo: 'fr' }))).toBeUndefined();
    expect(parseManageMetadata(JSON.stringify({ c: 'c', r: 'R', rs: true }))).toBeUndefined();
    expect(encodeManageMetadata({ consultationId: 'c', reference: 'R' })).toBe('{"c":"c","r":"R"}');
  });
});
