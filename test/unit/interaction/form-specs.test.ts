/**
 * The forms as platform-neutral FormSpecs (src/interaction/form-specs.ts): the same field ids as the Slack
 * modals (interfaces.md: the Slack block ids are the Adaptive Card input ids), renderable as Adaptive Cards,
 * and a context that comes back to the same SubmittedContext.
 */
import { describe, expect, it } from 'vitest';
import { extendModal, reviseModal, withdrawModal } from '../../../src/adapters/slack/manage-views.ts';
import { delegationModal, meetingNewModal } from '../../../src/adapters/slack/meeting-views.ts';
import { encodeOrigin } from '../../../src/adapters/slack/present.ts';
import { encodeReasonMetadata, newConsultationModal, reasonModal } from '../../../src/adapters/slack/views.ts';
import { renderForm } from '../../../src/adapters/teams/forms.ts';
import { formContext, formSpec, parseFormContext } from '../../../src/interaction/form-specs.ts';
import type { FormRequest, SubmittedContext } from '../../../src/interaction/intent.ts';
import { FORM_INPUTS } from '../../../src/messages/form-spec.ts';

const manage = { consultationId: 'c-1', reference: 'CRM-2026-004', channelId: 'C0ST0000001' };
const REQUESTS: FormRequest[] = [
  { form: 'consultation_new', origin: 'C0ST0000001' },
  { form: 'reason', reason: { kind: 'changes', consultationId: 'c-1', versionHash: 'v1', card: { channel: 'D0CR0000001', ts: '1764601200.000100' } } },
  { form: 'reason', reason: { kind: 'position_object', consultationId: 'c-1', versionHash: 'v1' } },
  { form: 'revise', manage, current: { title: 'Declaración', text: 'Texto.', version: 2, locale: 'es', translation: { locale: 'en', title: 'Statement', text: 'Text.' } } },
  { form: 'revise', manage, current: { title: 'Declaración', text: 'Texto.', version: 1, notEndorsed: { country: 'México', reason: 'Falta el párrafo 3.' } } },
  { form: 'extend', manage, current: { deadline: 'martes 8 de diciembre de 2026, 23:59 (hora de Costa Rica)' } },
  { form: 'withdraw', manage, current: { title: 'Declaración', circulated: false } },
  { form: 'meeting_new', origin: 'C0ST0000001' },
  {
    form: 'meeting_delegation',
    delegation: { meetingId: 'm-1', country: 'CR', channelId: 'D0CR0000001' },
    current: {
      title: 'XXXI Reunión Viceministerial',
      reference: 'MTG-2027-001',
      countryName: 'Costa Rica',
      segments: [
        { segment: 'plenary', label: 'Reunión plenaria', offered: [{ value: 'a@example.org', label: 'Ana (Viceministra)' }], invited: ['Luis Mora'] },
        { segment: 'closed_door', label: 'Sesión a puerta cerrada', offered: [{ value: 'a@example.org', label: 'Ana (Viceministra)' }], invited: [] },
      ],
    },
  },
];

/** The Slack modal of the same request (as adapters/slack/present.ts builds it). */
function slackModal(r: FormRequest, l: 'es' | 'en') {
  switch (r.form) {
    case 'consultation_new':
      return newConsultationModal(l);
    case 'reason':
      return reasonModal(l, encodeReasonMetadata(r.reason), r.reason.kind);
    case 'revise':
      return reviseModal(l, r.manage, r.current);
    case 'extend':
      return extendModal(l, r.manage, r.current);
    case 'withdraw':
      return withdrawModal(l, r.manage, r.current);
    case 'meeting_new':
      return meetingNewModal(l, { privateMetadata: encodeOrigin(r.origin) });
    case 'meeting_delegation':
      return delegationModal(l, r);
  }
}
const inputIds = (blocks: readonly { type: string; block_id?: string }[]) => blocks.filter((b) => b.type === 'input').map((b) => b.block_id);

describe.each(['es', 'en'] as const)('formSpec in %s', (locale) => {
  it.each(REQUESTS.map((r) => [`${r.form}${r.form === 'reason' ? ` (${r.reason.kind})` : ''}`, r] as const))('%s: the Slack modal\'s inputs, labelled, renderable as an Adaptive Card', (_name, r) => {
    const spec = formSpec(r, { locale, timezone: 'America/Costa_Rica', now: new Date('2026-12-01T15:00:00Z') });
    expect(spec.id).toBe(r.form);
    expect(spec.locale).toBe(locale);
    expect(spec.fields.map((f) => f.id)).toEqual(inputIds(slackModal(r, locale).blocks as never));
    for (const id of r.form === 'meeting_delegation' ? r.current.segments.map((x) => x.segment) : FORM_INPUTS[r.form]) expect(spec.fields.map((f) => f.id)).toContain(id);
    for (const f of spec.fields) expect(f.label.trim()).not.toBe('');
    expect(spec.title && spec.submitLabel && spec.requiredMessage).toBeTruthy();
    expect(() => renderForm(spec)).not.toThrow();
  });
});

describe.each(['es', 'en'] as const)('the Slack modals and the FormSpecs say the same (%s)', (locale) => {
  type Input = { type: string; block_id?: string; optional?: boolean; label?: { text: string }; hint?: { text: string }; element?: { max_length?: number; min_value?: string; max_value?: string; initial_value?: string } };
  it.each(REQUESTS.map((r) => [`${r.form}${r.form === 'reason' ? ` (${r.reason.kind})` : ''}`, r] as const))('%s: labels, hints, required, limits, prefilled values', (_name, r) => {
    const spec = formSpec(r, { locale, timezone: 'America/Costa_Rica' });
    const inputs = (slackModal(r, locale).blocks as Input[]).filter((b) => b.type === 'input');
    for (const [i, f] of spec.fields.entries()) {
      const b = inputs[i]!;
      expect(b.label?.text, f.id).toBe(f.label);
      expect(b.hint?.text, f.id).toBe(f.kind === 'multiline' && f.id === 'proposal' ? b.hint?.text : f.hint); // Slack's proposal hint names Slack's own 3000-character cap
      expect(b.optional === true, f.id).toBe(f.required !== true);
      if (f.kind === 'text' || f.kind === 'multiline') {
        // A proposal typed in a Slack modal is capped at Slack's 3000 characters; elsewhere at the domain's limit.
        expect(b.element?.max_length, f.id).toBe(f.id === 'proposal' || f.id === 'proposal_translation' ? Math.min(3000, f.maxLength!) : f.maxLength);
        if (f.value !== undefined) expect(f.value.startsWith(b.element?.initial_value ?? ''), f.id).toBe(true);
      }
      if (f.kind === 'number') {
        expect(b.element?.min_value, f.id).toBe(String(f.min));
        expect(b.element?.max_value, f.id).toBe(String(f.max));
      }
    }
  });
});

describe('formContext and parseFormContext', () => {
  it.each(REQUESTS.map((r) => [r.form, r] as const))('%s: what the form carries comes back as the submission\'s context', (_form, r) => {
    const expected: SubmittedContext =
      r.form === 'consultation_new' ? { form: r.form }
      : r.form === 'meeting_new' ? { form: r.form, ...(r.origin ? { origin: r.origin } : {}) }
      : r.form === 'meeting_delegation' ? { form: r.form, delegation: r.delegation }
      : r.form === 'reason' ? { form: r.form, reason: r.reason }
      : { form: r.form, manage: { ...r.manage, ...(r.form === 'revise' ? { originalLocale: r.current.locale ?? 'es', ...(r.current.notEndorsed ? { resend: true } : {}) } : {}) } };
    // Teams merges the inputs' values into the same object: they do not disturb the context.
    expect(parseFormContext(r.form, { ...formContext(r, 'es'), proposal: 'x', reason: 'y' })).toEqual(expected);
  });

  it('a tampered context is not the form\'s', () => {
    expect(parseFormContext('reason', { kind: 'approve', consultation: 'c', version: 'v' })).toBeUndefined();
    expect(parseFormContext('withdraw', { consultation: 'c' })).toBeUndefined();
    expect(parseFormContext('extend', 'CRM-2026-004')).toBeUndefined();
  });
});
