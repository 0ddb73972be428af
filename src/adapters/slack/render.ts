/**
 * Block Kit rendering of platform-neutral messages (src/messages/neutral.ts).
 *
 *   renderMessage(m)                       → { text, blocks, metadata? } for chat.postMessage / chat.update
 *   renderRecordedCard(m, { who, what, when }) → the same card after a decision, for chat.update in place
 *   renderEphemeral(text)                  → a refusal or notice for chat.postEphemeral / respond()
 *   parseButtonValue(value)                → { consultationId, versionHash } from a button's (untrusted) value
 *   escapeMrkdwn(text)                     → any text made safe for a mrkdwn text object
 *
 * Every string of a neutral message is plain text (i18n convention: "the renderers decide emphasis and
 * escape user text"), and our sentences interpolate user content (titles, names, reasons), so ALL of it goes
 * through `escapeMrkdwn`: `&`, `<`, `>` become entities (so `<!channel>`, `<@U123>` and `<http://x|y>`
 * typed by a user are shown literally, never as mentions or links), formatting delimiters at word edges get
 * a zero-width space (no accidental bold/italic/strike/code), and a bare `@channel`/`@here`/`@everyone`
 * gets a word joiner. Emphasis is added by us around already-escaped text.
 *
 * Block Kit limits enforced here (docs.slack.dev, "Section block", "Header block", "Actions block",
 * "Button element"; checked June 2026): 50 blocks per message, section text 3000 chars, 10 fields per
 * section of 2000 chars each, header 150 chars (plain_text), 25 elements per actions block, button text
 * 75 chars, button value 2000 chars. The domain allows a 20,000-char proposal: it is split over several
 * sections; if the 50-block budget is still exceeded (only with pathological line structure), the quote is
 * cut and a note tells the reader how to get the full text.
 */
import type { types } from '@slack/bolt';
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import type { MessageButton, NeutralMessage, RecordedDecision } from '../../messages/neutral.ts';

export type KnownBlock = types.KnownBlock;

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  plainTextInputMax: 3000,
  optionText: 75,
  /** chat.postMessage truncates `text` beyond 40,000; our fallback stays far below. */
  fallbackText: 3000,
} as const;

/** What chat.postMessage / chat.update take from us (the caller adds `channel`, and `ts` to update). */
export interface SlackMessage {
  /** Notification and accessibility fallback (mrkdwn, escaped). */
  text: string;
  blocks: KnownBlock[];
  /** Slack message metadata; set for the digest only (interfaces.md). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A message cannot be rendered within Slack's limits (a programming error: do not retry). */
export class SlackRenderError extends Error {
  override name = 'SlackRenderError';
}

// ---------------------------------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------------------------------

const ZWSP = '\u200B';
const WORD_JOINER = '\u2060';

/**
 * Makes any text safe inside a mrkdwn text object: control characters become entities, formatting
 * delimiters that could open or close bold/italic/strike/code are defused, broadcast keywords are broken.
 * Delimiters inside a word (snake_case, URLs) are left alone: Slack does not format there.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu, (d) => d + ZWSP)
    .replace(/@(channel|here|everyone)\b/gi, `@${WORD_JOINER}$1`)
    .replace(/^(\s*)&gt;/gm, `$1${ZWSP}&gt;`);
}

/** Plain-text objects (header, buttons, modal labels) are not parsed by Slack; only the length matters. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Escapes `raw` and cuts it (on the raw side, so no entity is split) to at most `max` escaped chars. */
export function escapeFit(raw: string, max: number): string {
  const full = escapeMrkdwn(raw);
  if (full.length <= max) return full;
  let lo = 0;
  let hi = raw.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeMrkdwn(raw.slice(0, mid)).length + 1 <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${escapeMrkdwn(raw.slice(0, lo))}…`;
}

/**
 * Splits one raw line into pieces whose escaped rendering (plus `overhead`) fits `max`, breaking at
 * spaces where possible.
 */
function splitLine(raw: string, max: number, overhead: number): string[] {
  const out: string[] = [];
  let rest = raw;
  while (escapeMrkdwn(rest).length + overhead > max) {
    let lo = 1;
    let hi = rest.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (escapeMrkdwn(rest.slice(0, mid)).length + overhead <= max) lo = mid;
      else hi = mid - 1;
    }
    const space = rest.lastIndexOf(' ', lo);
    const cut = space > lo / 2 ? space + 1 : lo;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(rest);
  return out;
}

/**
 * Groups rendered lines into chunks of at most `max` chars (joined by "\n"). `render` turns a raw line
 * into its mrkdwn form; `overhead` is what `render` adds to the escaped text (e.g. "> ").
 */
function chunkLines(rawLines: string[], render: (raw: string) => string, overhead: number, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of rawLines) {
    for (const piece of splitLine(raw, max, overhead)) {
      const line = render(piece);
      if (current && current.length + 1 + line.length > max) {
        chunks.push(current);
        current = line;
      } else current = current ? `${current}\n${line}` : line;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

// ---------------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------------

const header = (text: string): KnownBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true },
});
const mrkdwnSection = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (mrkdwn: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) }],
});

function buttonElement(b: MessageButton) {
  if (b.value.length > SLACK_LIMITS.buttonValue) {
    throw new SlackRenderError(`button ${b.actionId}: value longer than ${SLACK_LIMITS.buttonValue} chars`);
  }
  return {
    type: 'button' as const,
    action_id: b.actionId,
    text: { type: 'plain_text' as const, text: truncate(b.label, SLACK_LIMITS.buttonText), emoji: true },
    value: b.value,
    ...(b.style ? { style: b.style } : {}),
  };
}

function actionsBlock(buttons: readonly MessageButton[]): KnownBlock {
  if (buttons.length > SLACK_LIMITS.actionsElements) throw new SlackRenderError('more than 25 buttons');
  return { type: 'actions', elements: buttons.map(buttonElement) };
}

/** Paragraphs of our sentences, escaped, grouped into sections of ≤ 3000 chars. */
function bodySections(paragraphs: readonly string[]): KnownBlock[] {
  const lines = paragraphs.flatMap((p, i) => (i === 0 ? p.split('\n') : ['', ...p.split('\n')]));
  return chunkLines(lines, escapeMrkdwn, 0, SLACK_LIMITS.sectionText)
    .map((c) => c.trim())
    .filter(Boolean)
    .map(mrkdwnSection);
}

function fieldSections(fields: NeutralMessage['fields']): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fieldsPerSection) {
    out.push({
      type: 'section',
      fields: fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => {
        const label = `*${escapeFit(f.label, 200)}*\n`;
        return { type: 'mrkdwn' as const, text: label + escapeFit(f.value || '—', SLACK_LIMITS.fieldText - label.length) };
      }),
    });
  }
  return out;
}

/** The proposal as a block quote, one section per ≤ 3000 chars. */
function quoteChunks(quote: string): string[] {
  const lines = quote.replace(/\r\n?/g, '\n').split('\n');
  return chunkLines(lines, (raw) => (raw.trim() ? `> ${escapeMrkdwn(raw)}` : '>'), 2, SLACK_LIMITS.sectionText);
}

/**
 * The table, readable in Slack: one line per row, first cell bold, short cells joined by " · ", long cells
 * (reasons) on their own indented line under the column's name. Empty and "—" cells are left out.
 */
function tableChunks(table: NonNullable<NeutralMessage['table']>): { columns: string; chunks: string[] } {
  const [first = '', ...rest] = table.columns;
  const columns = `${escapeMrkdwn(first)} — ${rest.map(escapeMrkdwn).join(' · ')}`;
  const lines: string[] = [];
  for (const row of table.rows) {
    const [name = '', ...cells] = row;
    const short: string[] = [];
    const long: string[] = [];
    cells.forEach((cell, i) => {
      const c = cell.trim();
      if (!c || c === '—') return;
      if (c.length > 60 || c.includes('\n')) long.push(`    _${escapeMrkdwn(rest[i] ?? '')}:_ ${escapeMrkdwn(c.replace(/\s*\n\s*/g, ' '))}`);
      else short.push(escapeMrkdwn(c));
    });
    lines.push(`*${escapeMrkdwn(name)}*${short.length ? ` — ${short.join(' · ')}` : ''}`, ...long);
  }
  // Lines are already escaped: chunk them as they are, cutting a line that alone exceeds the limit.
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > SLACK_LIMITS.sectionText ? `${raw.slice(0, SLACK_LIMITS.sectionText - 1).replace(/&[a-z]*$/, '')}…` : raw;
    if (current && current.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      chunks.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  return { columns, chunks };
}

function fallbackText(m: NeutralMessage, lead?: string): string {
  const parts = [lead ?? m.heading, ...(lead ? [m.heading] : m.body.slice(0, 1))];
  return escapeFit(parts.join('\n'), SLACK_LIMITS.fallbackText);
}

interface RenderOptions {
  /** Blocks placed right after the header (the recorded-decision note). */
  lead?: KnownBlock[];
  /** Blocks placed before the buttons (e.g. "you may change your position"). */
  beforeButtons?: KnownBlock[];
  buttons?: readonly MessageButton[];
  text?: string;
}

function render(m: NeutralMessage, o: RenderOptions = {}): SlackMessage {
  const l = m.locale;
  const buttons = o.buttons ?? m.buttons;
  const top: KnownBlock[] = [header(m.heading), ...(o.lead ?? []), ...bodySections(m.body), ...fieldSections(m.fields)];
  const bottom: KnownBlock[] = [...(o.beforeButtons ?? []), ...(buttons.length ? [actionsBlock(buttons)] : [])];

  const quote = m.quote?.trim() ? quoteChunks(m.quote) : [];
  const table = m.table && m.table.rows.length ? tableChunks(m.table) : undefined;
  // Fixed blocks around the variable parts: the quote's label, the table's column line.
  const fixed = top.length + bottom.length + (quote.length ? 1 : 0) + (table ? 1 : 0);
  let budget = SLACK_LIMITS.blocksPerMessage - fixed;
  const tableNeed = table?.chunks.length ?? 0;
  let quoteShow = quote.length;
  let tableShow = tableNeed;
  if (quote.length + tableNeed > budget) {
    // One note block per part that gets cut.
    budget -= (quote.length ? 1 : 0) + (tableNeed ? 1 : 0);
    if (budget < (quote.length ? 1 : 0) + (tableNeed ? 1 : 0)) throw new SlackRenderError('message does not fit in 50 blocks');
    tableShow = Math.min(tableNeed, quote.length ? Math.max(1, Math.floor(budget / 2)) : budget);
    quoteShow = Math.min(quote.length, budget - tableShow);
    tableShow = Math.min(tableNeed, budget - quoteShow);
  }

  const middle: KnownBlock[] = [];
  if (quote.length) {
    middle.push(mrkdwnSection(`*${escapeMrkdwn(t(l, 'label.proposal'))}*`));
    middle.push(...quote.slice(0, quoteShow).map(mrkdwnSection));
    if (quoteShow < quote.length) middle.push(context(escapeMrkdwn(t(l, 'slack.proposal_truncated', { reference: m.reference }))));
  }
  if (table) {
    middle.push(context(table.columns));
    middle.push(...table.chunks.slice(0, tableShow).map(mrkdwnSection));
    if (tableShow < table.chunks.length) middle.push(context(escapeMrkdwn(t(l, 'slack.table_truncated'))));
  }

  const blocks = [...top, ...middle, ...bottom];
  if (blocks.length > SLACK_LIMITS.blocksPerMessage) throw new SlackRenderError(`${blocks.length} blocks`);
  return {
    text: o.text ?? fallbackText(m),
    blocks,
    ...(m.metadata ? { metadata: { event_type: m.metadata.eventType, event_payload: m.metadata.payload } } : {}),
  };
}

/**
 * A neutral message as Block Kit: header, our sentences, fields (≤ 10 per section), the proposal quoted
 * (split at 3000 chars), the table (one line per row), the buttons with their exact action ids and values,
 * and the digest's metadata (`crm_consultation_closed`, `{ reference, outcome, positions }`) unchanged.
 * Throws SlackRenderError only for programming errors (a button value over 2000 chars, > 25 buttons).
 */
export function renderMessage(m: NeutralMessage): SlackMessage {
  return render(m);
}

/** Who acted ("Luis Mora (Costa Rica)"), what was recorded ("Apoya; motivo: …"), when (already formatted). */
export type { RecordedDecision } from '../../messages/neutral.ts';

export interface RecordedCardOptions {
  /**
   * Keep the buttons. Default: true for a member request (a position may change until the close) and a
   * Troika request (a decision may change while the Troika review lasts); pass false once that is over.
   */
  keepButtons?: boolean;
}

/**
 * The card after a decision, for chat.update in place: the same message with a "Recorded: what, by who,
 * on when" line under the header (so the proposal stays readable), and either the buttons with a hint that
 * the decision may still change, or no buttons and "no further action".
 */
export function renderRecordedCard(m: NeutralMessage, recorded: RecordedDecision, options: RecordedCardOptions = {}): SlackMessage {
  const l = m.locale;
  const keep = options.keepButtons ?? (m.kind === 'member_request' || m.kind === 'troika_request');
  const line = t(l, 'card.recorded', recorded);
  const hint = !keep
    ? t(l, 'card.no_more_actions')
    : m.kind === 'member_request'
      ? t(l, 'card.position_may_change')
      : m.kind === 'troika_request'
        ? t(l, 'card.troika_may_change')
        : undefined;
  return render(m, {
    lead: [mrkdwnSection(`:white_check_mark: *${escapeFit(line, SLACK_LIMITS.sectionText - 40)}*`)],
    beforeButtons: hint && m.buttons.length ? [context(escapeMrkdwn(hint))] : [],
    buttons: keep ? m.buttons : [],
    text: escapeFit(`${line}\n${m.heading}`, SLACK_LIMITS.fallbackText),
  });
}

/** A short notice or refusal for chat.postEphemeral / respond(): escaped, one section (cut at 3000). */
export function renderEphemeral(text: string): { text: string; blocks: KnownBlock[] } {
  const escaped = escapeFit(text, SLACK_LIMITS.sectionText);
  return { text: escaped, blocks: [mrkdwnSection(escaped)] };
}

// ---------------------------------------------------------------------------------------------------
// Button values coming back (untrusted)
// ---------------------------------------------------------------------------------------------------

/** A consultation id (a UUID) or a version hash (hex): letters, digits and a few separators, nothing else. */
export const OPAQUE_ID = /^[A-Za-z0-9_.:-]{1,200}$/;

const buttonValueSchema = z.object({
  c: z.string().regex(OPAQUE_ID),
  v: z.string().regex(OPAQUE_ID),
});

/**
 * Reads a button's `value` (messages/neutral.ts `buttonValue`): `{ consultationId, versionHash }`, or
 * undefined when it is not one of ours (malformed, too long, wrong shape). Never throws.
 */
export function parseButtonValue(value: unknown): { consultationId: string; versionHash: string } | undefined {
  if (typeof value !== 'string' || value.length > SLACK_LIMITS.buttonValue) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = buttonValueSchema.safeParse(json);
  return parsed.success ? { consultationId: parsed.data.c, versionHash: parsed.data.v } : undefined;
}
