/**
 * A neutral message (messages/neutral.ts) as an Adaptive Card 1.5, and as the Bot Framework activity that
 * carries it. The Teams twin of adapters/slack/render.ts.
 *
 *   heading            RichTextBlock, one bold medium TextRun
 *   body               one RichTextBlock per sentence
 *   fields             label | value rows (ColumnSet)
 *   quote              the proposal, verbatim, in an emphasis Container, one TextRun per paragraph
 *   table              Table (1.5), first row as headers
 *   buttons            Action.Execute: `verb` = the action id (troika_approve, position_support, …),
 *                      `data` = the button value parsed (`{ c, v }`: consultation and text version),
 *                      `title` = the label; primary → positive, danger → destructive
 *   metadata           on the activity: an entity `{ type: eventType, ...payload }` (the digest's
 *                      `crm_consultation_closed` with reference, outcome, positions)
 *
 * Text: every string goes into a TextRun, which Adaptive Cards never read as Markdown, so a title or a
 * proposal with `*`, `_`, `[x](y)` or `#` shows as typed; nothing needs escaping.
 *
 * Size: Teams refuses a message over about 28 KB. The card is measured as the JSON that is sent; when the
 * activity would pass CARD_BUDGET_BYTES the proposal is shortened (with the notice that the full text is
 * available with `estado`/`status`), then the table, as the Slack renderer does for its block limits.
 */
import type { IAdaptiveCard, IColumnSet, IContainer, IExecuteAction, IRichTextBlock, ITable, ITextRun } from '@microsoft/teams.cards';
import { t } from '../../i18n/index.ts';
import type { MessageButton, NeutralMessage, RecordedDecision } from '../../messages/neutral.ts';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_VERSION = '1.5';
/** Teams' limit for one message is about 28 KB; the rest of the activity (addresses, ids) fits in the margin. */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28 * 1024;
export const CARD_BUDGET_BYTES = 26 * 1024;

export type CardElement = IAdaptiveCard['body'][number];

export class TeamsRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamsRenderError';
  }
}

/** The activity that carries a card (what the connector client sends or PUTs). */
export interface CardActivity {
  type: 'message';
  /** Shown in notifications and chat lists, where the card itself is not. */
  summary: string;
  attachments: [{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: IAdaptiveCard }];
  entities?: Record<string, unknown>[];
}

export const run = (text: string, style: Omit<ITextRun, 'type' | 'text'> = {}): ITextRun => ({ type: 'TextRun', text, ...style });

export const richText = (inlines: ITextRun[], extra: Omit<IRichTextBlock, 'type' | 'inlines'> = {}): IRichTextBlock => ({
  type: 'RichTextBlock',
  inlines,
  ...extra,
});

export const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** A button's value, parsed: an object is sent back as it is; anything else as `{ value }`. */
export function buttonData(value: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // not JSON: send it back as it is
  }
  return { value };
}

export function executeAction(b: MessageButton): IExecuteAction {
  return {
    type: 'Action.Execute',
    title: b.label,
    verb: b.actionId,
    data: buttonData(b.value),
    ...(b.style === 'primary' ? { style: 'positive' as const } : b.style === 'danger' ? { style: 'destructive' as const } : {}),
  };
}

/**
 * The card. No `lang`: the text is already in the person's language, and the official parser (adaptivecards
 * 3.0.6) checks `lang` with a global RegExp whose `lastIndex` survives between cards, so every second card
 * with a two-letter `lang` is reported invalid.
 */
export function card(body: CardElement[], actions: IExecuteAction[], fallbackText: string): IAdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    fallbackText: fallbackText.slice(0, 500),
    body,
    ...(actions.length ? { actions } : {}),
  };
}

const heading = (text: string): IRichTextBlock => richText([run(text, { weight: 'Bolder', size: 'Medium' })]);

function fieldRows(fields: NeutralMessage['fields']): IColumnSet[] {
  return fields.map((f, i) => ({
    type: 'ColumnSet',
    spacing: i === 0 ? 'Medium' : 'Small',
    columns: [
      { type: 'Column', width: 'auto', items: [richText([run(f.label, { weight: 'Bolder' })])] },
      { type: 'Column', width: 'stretch', items: [richText([run(f.value)])] },
    ],
  }));
}

function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.replace(/\s+$/g, ''))
    .filter((p) => p.trim() !== '');
}

function quoteBox(quote: string): IContainer {
  return {
    type: 'Container',
    style: 'emphasis',
    spacing: 'Medium',
    items: paragraphs(quote).map((p) => richText([run(p)], { spacing: 'Small' })),
  };
}

function table(tbl: NonNullable<NeutralMessage['table']>, rows: string[][]): ITable {
  const cell = (text: string, bold = false) => ({ type: 'TableCell' as const, items: [richText([run(text, bold ? { weight: 'Bolder' } : {})])] });
  return {
    type: 'Table',
    spacing: 'Medium',
    firstRowAsHeaders: true,
    showGridLines: true,
    columns: tbl.columns.map(() => ({ width: 1 })),
    rows: [
      { type: 'TableRow', cells: tbl.columns.map((c) => cell(c, true)) },
      ...rows.map((r) => ({ type: 'TableRow' as const, cells: tbl.columns.map((_, i) => cell(r[i] ?? '')) })),
    ],
  };
}

/** Cuts `text` to at most `max` code points, at a word boundary when one is near, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const cps = [...text];
  if (cps.length <= max) return text;
  let cut = cps.slice(0, Math.max(0, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length - 40 && space > 0) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** A card after a decision (Slack's renderRecordedCard): who recorded what, and whether the buttons stay. */
function recordedLines(m: NeutralMessage): { lead?: string; hint?: string; keep: boolean } {
  const r = m.recorded;
  if (!r) return { keep: true };
  const keep = m.keepButtons ?? (m.kind === 'member_request' || m.kind === 'troika_request');
  const hint = !keep
    ? t(m.locale, 'card.no_more_actions')
    : m.kind === 'member_request'
      ? t(m.locale, 'card.position_may_change')
      : m.kind === 'troika_request'
        ? t(m.locale, 'card.troika_may_change')
        : undefined;
  return { lead: t(m.locale, 'card.recorded', r), ...(hint && m.buttons.length ? { hint } : {}), keep };
}

function build(m: NeutralMessage, quote: string | undefined, rows: string[][] | undefined, notes: string[]): IAdaptiveCard {
  const rec = recordedLines(m);
  const body: CardElement[] = [heading(m.heading)];
  if (rec.lead) body.push(richText([run(`✅ ${rec.lead}`, { weight: 'Bolder', color: 'Good' })], { spacing: 'Small' }));
  for (const s of m.body) body.push(richText([run(s)], { spacing: 'Small' }));
  body.push(...fieldRows(m.fields));
  if (quote?.trim()) body.push(quoteBox(quote));
  if (m.table && rows) body.push(table(m.table, rows));
  for (const n of notes) body.push(richText([run(n, { isSubtle: true, size: 'Small' })], { spacing: 'Small' }));
  if (rec.hint) body.push(richText([run(rec.hint, { isSubtle: true, size: 'Small' })], { spacing: 'Medium' }));
  return card(body, rec.keep ? m.buttons.map(executeAction) : [], rec.lead ? `${rec.lead} ${m.heading}` : m.heading);
}

/** The neutral message as an Adaptive Card 1.5 that fits CARD_BUDGET_BYTES. */
export function renderCard(m: NeutralMessage): IAdaptiveCard {
  let quote = m.quote;
  let rows = m.table?.rows;
  const notes: string[] = [];
  let c = build(m, quote, rows, notes);
  if (byteLength(c) <= CARD_BUDGET_BYTES) return c;

  if (quote?.trim()) {
    notes.push(t(m.locale, 'slack.proposal_truncated', { reference: m.reference }));
    const full = quote;
    // Binary search on the proposal's length (code points) for the longest that fits.
    let lo = 0;
    let hi = [...full].length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (byteLength(build(m, shorten(full, mid), rows, notes)) <= CARD_BUDGET_BYTES) lo = mid;
      else hi = mid - 1;
    }
    quote = lo > 0 ? shorten(full, lo) : undefined;
    c = build(m, quote, rows, notes);
    if (byteLength(c) <= CARD_BUDGET_BYTES) return c;
  }
  if (rows?.length) {
    notes.push(t(m.locale, 'slack.table_truncated'));
    while (rows.length > 0 && byteLength(build(m, quote, rows, notes)) > CARD_BUDGET_BYTES) rows = rows.slice(0, -1);
    c = build(m, quote, rows, notes);
  }
  if (byteLength(c) > CARD_BUDGET_BYTES) throw new TeamsRenderError(`the card is ${byteLength(c)} bytes, over ${CARD_BUDGET_BYTES}`);
  return c;
}

/** The activity for a card: summary (notifications), the card, and the message's metadata as an entity. */
export function cardActivity(content: IAdaptiveCard, summary: string, metadata?: NeutralMessage['metadata']): CardActivity {
  return {
    type: 'message',
    summary: summary.slice(0, 250),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content }],
    ...(metadata ? { entities: [{ ...metadata.payload, type: metadata.eventType }] } : {}),
  };
}

/** The card after a decision: the neutral message with `recorded` (and `keepButtons`) set. */
export function renderRecordedActivity(m: NeutralMessage, recorded: RecordedDecision, keepButtons?: boolean): CardActivity {
  return renderActivity({ ...m, recorded, ...(keepButtons !== undefined ? { keepButtons } : {}) });
}

/** The neutral message as the activity to send (or PUT). */
export function renderActivity(m: NeutralMessage): CardActivity {
  return cardActivity(renderCard(m), m.heading, m.metadata);
}
