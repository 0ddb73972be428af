/**
 * adapters/teams/render.ts: every kind of neutral message becomes an Adaptive Card 1.5 that the official
 * `adaptivecards` parser accepts without an error or a warning, that stays under Teams' 28 KB, whose
 * buttons are Action.Execute with the Slack action id as verb and the parsed button value as data, and
 * whose text is shown verbatim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  buttonData,
  CARD_BUDGET_BYTES,
  renderActivity,
  renderCard,
  shorten,
} from '../../../../src/adapters/teams/render.ts';
import { t } from '../../../../src/i18n/index.ts';
import { buttonValue, type MessageKind, type NeutralMessage } from '../../../../src/messages/neutral.ts';
import { cardProblems, cardTexts, executeActions } from '../../../helpers/adaptive-cards.ts';

const VALUE = buttonValue('c-123', 'a'.repeat(64));

function message(over: Partial<NeutralMessage> = {}): NeutralMessage {
  return {
    kind: 'member_request',
    locale: 'es',
    consultationId: 'c-123',
    reference: 'CRM-2026-007',
    heading: 'Consulta especial CRM-2026-007: se solicita su posición',
    body: ['Se solicita la posición de Costa Rica sobre la propuesta «Declaración» (CRM-2026-007).', 'Regla de decisión: consentimiento expreso.'],
    quote: 'Artículo 1. La Conferencia acuerda…\n\nArtículo 2. Entra en vigor.',
    fields: [
      { label: 'Referencia', value: 'CRM-2026-007' },
      { label: 'Fecha límite', value: 'viernes 4 de diciembre de 2026, 23:59 (hora de Costa Rica)' },
    ],
    buttons: [
      { actionId: 'position_support', label: 'Apoyar', value: VALUE, style: 'primary' },
      { actionId: 'position_object', label: 'Objetar', value: VALUE, style: 'danger' },
      { actionId: 'position_abstain', label: 'Abstenerse', value: VALUE },
    ],
    ...over,
  };
}

const TROIKA = [
  { actionId: 'troika_approve', label: 'Approve', value: VALUE, style: 'primary' as const },
  { actionId: 'troika_changes', label: 'Request changes', value: VALUE },
  { actionId: 'troika_object', label: 'Object', value: VALUE, style: 'danger' as const },
];

const digest = message({
  kind: 'digest',
  locale: 'en',
  heading: 'CRM-2026-007 closed: consensus',
  body: ['Every Member Country supported the proposal or abstained.'],
  quote: undefined,
  buttons: [],
  table: { columns: ['Country', 'Position', 'Recorded'], rows: [['Costa Rica', 'Support', '2 Dec'], ['the United States', 'Abstain', '3 Dec'], ['Mexico', 'None', '—']] },
  metadata: { eventType: 'crm_consultation_closed', payload: { reference: 'CRM-2026-007', outcome: 'consensus', positions: { CR: 'support', US: 'abstain', MX: 'none' } } },
});

const KINDS: [MessageKind, NeutralMessage][] = [
  ['troika_request', message({ kind: 'troika_request', locale: 'en', heading: 'CRM-2026-007: the Troika is asked to endorse', buttons: TROIKA })],
  ['member_request', message()],
  ['revision_notice', message({ kind: 'revision_notice', heading: 'CRM-2026-007: nueva versión del texto' })],
  ['extension_notice', message({ kind: 'extension_notice', quote: undefined, buttons: [], heading: 'CRM-2026-007: plazo prorrogado' })],
  ['reminder', message({ kind: 'reminder', heading: 'Recordatorio: CRM-2026-007 cierra mañana' })],
  ['result_notice', message({ kind: 'result_notice', buttons: [], quote: undefined, heading: 'CRM-2026-007: resultado' })],
  ['digest', digest],
  ['status', message({ kind: 'status', buttons: [], replaceKey: 'status:c-123', heading: 'Estado de CRM-2026-007' })],
  ['dead_letter', message({ kind: 'dead_letter', buttons: [], quote: undefined, heading: 'Un mensaje no se pudo entregar', fields: [] })],
];

describe('every kind of message is a valid Adaptive Card 1.5', () => {
  it.each(KINDS)('%s', (_kind, m) => {
    const card = renderCard(m);
    expect(cardProblems(card)).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const texts = cardTexts(card);
    expect(texts[0]).toBe(m.heading);
    for (const s of [...m.body, ...m.fields.flatMap((f) => [f.label, f.value])]) expect(texts).toContain(s);
  });
});

describe('buttons', () => {
  it('are Action.Execute with the action id as verb, the parsed value as data and the label as title', () => {
    const card = renderCard(message({ buttons: TROIKA }));
    const actions = executeActions(card);
    expect(actions).toEqual([
      { type: 'Action.Execute', title: 'Approve', verb: 'troika_approve', data: { c: 'c-123', v: 'a'.repeat(64) }, style: 'positive' },
      { type: 'Action.Execute', title: 'Request changes', verb: 'troika_changes', data: { c: 'c-123', v: 'a'.repeat(64) } },
      { type: 'Action.Execute', title: 'Object', verb: 'troika_object', data: { c: 'c-123', v: 'a'.repeat(64) }, style: 'destructive' },
    ]);
  });

  it('a value that is not a JSON object is sent back as { value }', () => {
    expect(buttonData('plain')).toEqual({ value: 'plain' });
    expect(buttonData('[1,2]')).toEqual({ value: '[1,2]' });
    expect(buttonData('{"c":"x"}')).toEqual({ c: 'x' });
  });

  it('a message without buttons has no actions', () => {
    expect(renderCard(digest).actions).toBeUndefined();
  });
});

describe('text is shown as typed', () => {
  it('Markdown in a title or a proposal is not interpreted: it goes into TextRuns, never into TextBlocks', () => {
    const tricky = '**Declaración** _final_ [enlace](https://example.org) # 1. <b>x</b> &amp;';
    const card = renderCard(message({ heading: tricky, quote: tricky, fields: [{ label: 'Título', value: tricky }] }));
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('"TextBlock"');
    expect(cardTexts(card).filter((s) => s === tricky)).toHaveLength(3);
  });

  it('the proposal keeps its paragraphs, one TextRun each, inside an emphasis container', () => {
    const card = renderCard(message({ quote: 'Uno.\n\nDos,\ncon salto.\r\n\r\nTres.' }));
    const box = card.body.find((e) => e.type === 'Container') as { style: string; items: { inlines: { text: string }[] }[] };
    expect(box.style).toBe('emphasis');
    expect(box.items.map((i) => i.inlines[0]?.text)).toEqual(['Uno.', 'Dos,\ncon salto.', 'Tres.']);
  });
});

describe('the digest', () => {
  it('has the table with the columns as header row, and its metadata as an activity entity', () => {
    const activity = renderActivity(digest);
    expect(activity.attachments[0].contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    expect(activity.entities).toEqual([
      { type: 'crm_consultation_closed', reference: 'CRM-2026-007', outcome: 'consensus', positions: { CR: 'support', US: 'abstain', MX: 'none' } },
    ]);
    expect(activity.summary).toBe(digest.heading);
    const table = activity.attachments[0].content.body.find((e) => e.type === 'Table') as { rows: unknown[]; firstRowAsHeaders: boolean };
    expect(table.firstRowAsHeaders).toBe(true);
    expect(table.rows).toHaveLength(4);
    expect(cardProblems(activity.attachments[0].content)).toEqual([]);
  });
});

describe('size: under 28 KB whatever the content', () => {
  it('a proposal at the domain limit (20,000 characters) over the budget in bytes is shortened with the notice, and stays valid', () => {
    // A 20,000-character Spanish text is about 22 KB and fits; one dense in accents (2 bytes each) does not.
    const quote = `Artículo único: ${'áéíóúñ '.repeat(3000)}`.slice(0, 20_000);
    expect(Buffer.byteLength(quote)).toBeGreaterThan(CARD_BUDGET_BYTES);
    const m = message({ quote });
    const card = renderCard(m);
    expect(cardProblems(card)).toEqual([]);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    const texts = cardTexts(card);
    expect(texts).toContain(t('es', 'slack.proposal_truncated', { reference: m.reference }));
    const shown = texts.find((s) => s.startsWith('Artículo único'));
    expect(shown?.endsWith('…')).toBe(true);
    expect(shown!.length).toBeGreaterThan(5_000);
    // Buttons survive: the person can still answer.
    expect(executeActions(card).map((a) => a.verb)).toEqual(['position_support', 'position_object', 'position_abstain']);
  });

  it('a table too long for one card loses its last rows with the notice', () => {
    const rows = Array.from({ length: 400 }, (_, i) => [`País número ${i}`, 'Apoyo', '2 de diciembre de 2026']);
    const card = renderCard({ ...digest, locale: 'es', table: { columns: ['País', 'Posición', 'Registrada'], rows } });
    expect(cardProblems(card)).toEqual([]);
    expect(cardTexts(card)).toContain(t('es', 'slack.table_truncated'));
  });

  it('shorten cuts at a word boundary and adds an ellipsis', () => {
    expect(shorten('uno dos tres cuatro', 100)).toBe('uno dos tres cuatro');
    expect(shorten('uno dos tres cuatro', 12)).toBe('uno dos…');
    expect([...shorten('ñ'.repeat(50), 10)]).toHaveLength(10);
  });
});

describe('any neutral message (property)', () => {
  const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 });
  const button = fc.record({
    actionId: fc.constantFrom('troika_approve', 'troika_changes', 'troika_object', 'position_support', 'position_object', 'position_abstain'),
    label: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    value: fc.oneof(fc.string(), fc.constant(VALUE)),
    style: fc.constantFrom(undefined, 'primary' as const, 'danger' as const),
  });
  const arb = fc.record({
    locale: fc.constantFrom('es' as const, 'en' as const),
    heading: text,
    body: fc.array(text, { maxLength: 4 }),
    quote: fc.option(fc.string({ unit: 'grapheme', maxLength: 30_000 }), { nil: undefined }),
    fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 8 }),
    buttons: fc.array(button, { maxLength: 3 }),
    rows: fc.option(fc.array(fc.tuple(text, text), { maxLength: 60 }), { nil: undefined }),
  });

  it('renders a valid card under the budget whose verbs are the button action ids', () => {
    fc.assert(
      fc.property(arb, (a) => {
        const m = message({
          locale: a.locale,
          heading: a.heading,
          body: a.body,
          quote: a.quote,
          fields: a.fields,
          buttons: a.buttons.map(({ style, ...b }) => (style ? { ...b, style } : b)),
          ...(a.rows ? { table: { columns: ['A', 'B'], rows: a.rows.map(([x, y]) => [x, y]) } } : {}),
        });
        const card = renderCard(m);
        expect(cardProblems(card)).toEqual([]);
        expect(executeActions(card).map((x) => x.verb)).toEqual(a.buttons.map((b) => b.actionId));
      }),
      { numRuns: 60 },
    );
  });
});
