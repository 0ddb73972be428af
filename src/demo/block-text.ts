/**
 * Block Kit → plain text, for the demo transcript: what a person saw in Slack, read back from the fake
 * Slack API's recorded chat.postMessage / chat.update / views.open calls. Handles the blocks our renderer
 * and views produce (header, section with text/fields/accessory, context, actions, input, divider) and
 * undoes mrkdwn escaping (entities, zero-width spaces, word joiners); `*bold*` and `_italic_` markers are
 * dropped. Unknown blocks are shown as `[type]`.
 */
type Obj = Record<string, unknown>;

const textOf = (t: unknown): string => (t && typeof t === 'object' && typeof (t as Obj).text === 'string' ? ((t as Obj).text as string) : '');

/** mrkdwn as a reader sees it. */
export function unMrkdwn(s: string): string {
  return s
    .replace(/[\u200B\u2060]/g, '')
    // The one emoji code the bot writes (a recorded decision's lead), as Slack shows it.
    .replace(/:white_check_mark:/g, '✅')
    .replace(/(^|[\s(])[*_~]([^*_~\n]+?)[*_~](?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

export interface BlockTextOptions {
  indent?: string;
  width?: number;
  /** Longest quoted proposal shown, in characters (the rest is cut with "…"). Default 300; Infinity: all. */
  maxQuote?: number;
}

/** The blocks of one message or view as indented lines: `┌ header`, `│ body`, `└`. */
export function blocksToText(blocks: unknown, options: BlockTextOptions = {}): string {
  const indent = options.indent ?? '  ';
  const width = options.width ?? 96;
  const maxQuote = options.maxQuote ?? 300;
  const pad = `${indent}│ `;
  const lines: string[] = [];
  let quoted = 0;
  for (const raw of Array.isArray(blocks) ? (blocks as Obj[]) : []) {
    switch (raw.type) {
      case 'header':
        lines.push(`${indent}┌ ${textOf(raw.text)}`);
        break;
      case 'section': {
        const text = unMrkdwn(textOf(raw.text));
        if (text.startsWith('> ') || text === '>') {
          // The proposal, quoted: shown up to maxQuote characters.
          const body = text.split('\n').map((l) => l.replace(/^> ?/, '')).join('\n');
          if (quoted < maxQuote) {
            const part = body.length + quoted > maxQuote ? `${body.slice(0, maxQuote - quoted)}…` : body;
            quoted += body.length;
            for (const l of wrap(part, width - 2)) lines.push(`${pad}> ${l}`);
          }
        } else if (text) for (const l of wrap(text, width)) lines.push(pad + l);
        for (const f of (raw.fields as Obj[] | undefined) ?? []) lines.push(pad + unMrkdwn(textOf(f)).replace(/\n/, ': '));
        const acc = raw.accessory as Obj | undefined;
        if (acc?.type === 'button') lines.push(`${pad}[ ${textOf(acc.text)} ]`);
        break;
      }
      case 'context':
        for (const e of (raw.elements as Obj[] | undefined) ?? []) for (const l of wrap(unMrkdwn(textOf(e)), width - 2)) lines.push(`${pad}· ${l}`);
        break;
      case 'actions':
        lines.push(pad + ((raw.elements as Obj[] | undefined) ?? []).map((e) => `[ ${textOf(e.text)} ]`).join(' '));
        break;
      case 'input':
        lines.push(...inputLines(raw, pad, width));
        break;
      case 'divider':
        lines.push(`${pad}${'─'.repeat(20)}`);
        break;
      default:
        lines.push(`${pad}[${String(raw.type)}]`);
    }
  }
  if (lines.length && !lines[0]!.startsWith(`${indent}┌`)) lines.unshift(`${indent}┌`);
  lines.push(`${indent}└`);
  return lines.join('\n');
}

/**
 * An input block: `Label *: ______` (required) or with what the form shows in it: the initial value
 * («…», wrapped), a select's options (the initial one marked ●), the placeholder; the hint below (↳).
 */
function inputLines(raw: Obj, pad: string, width: number): string[] {
  const e = (raw.element ?? {}) as Obj;
  const label = `${textOf(raw.label)}${raw.optional ? '' : ' *'}`;
  const out: string[] = [];
  const initial = typeof e.initial_value === 'string' && e.initial_value ? e.initial_value : undefined;
  if (Array.isArray(e.options)) {
    const chosen = textOf((e.initial_option as Obj | undefined)?.text);
    const options = (e.options as Obj[]).map((o) => `${textOf(o.text) === chosen ? '●' : '○'} ${textOf(o.text)}`);
    out.push(`${pad}${label}: ${options.join('  ')}`);
  } else if (initial && (initial.length > 60 || initial.includes('\n'))) {
    out.push(`${pad}${label}:`);
    const body = wrap(initial, width - 4);
    body.forEach((l, i) => out.push(`${pad}  ${i === 0 ? '«' : ' '}${l}${i === body.length - 1 ? '»' : ''}`));
  } else {
    const placeholder = textOf(e.placeholder);
    out.push(`${pad}${label}: ${initial ? `«${initial}»` : '______'}${placeholder ? ` (${placeholder})` : ''}`);
  }
  const hint = textOf(raw.hint);
  if (hint) wrap(hint, width - 6).forEach((l, i) => out.push(`${pad}  ${i === 0 ? '↳' : ' '} ${l}`));
  return out;
}

/** A modal (views.open `view`) as text: its title, then its blocks, then its buttons (submit, close). */
export function viewToText(view: unknown, options: BlockTextOptions = {}): string {
  const v = (view ?? {}) as Obj;
  const indent = options.indent ?? '  ';
  const body = blocksToText(v.blocks, options).split('\n');
  if (body[0] === `${indent}┌`) body.shift(); // the opening blocksToText adds when the blocks have no header
  const buttons = [v.submit, v.close].map(textOf).filter(Boolean).map((b) => `[ ${b} ]`).join(' ');
  if (buttons) body.splice(body.length - 1, 0, `${indent}│ ${buttons}`);
  const callback = v.callback_id ? `  (${String(v.callback_id)})` : '';
  // A modal has a title; the Home tab has none (its first block is a header).
  return [...(textOf(v.title) ? [`${indent}┌ ${textOf(v.title)}${callback}`] : []), ...body].join('\n');
}
