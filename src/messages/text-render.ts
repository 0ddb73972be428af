/** Plain-text rendering of a neutral message: the demo transcript, the CLI, logs of what was sent. */
import type { NeutralMessage } from './neutral.ts';

export function renderText(m: NeutralMessage, indent = '  '): string {
  const lines: string[] = [`${indent}┌ ${m.heading}`];
  const pad = `${indent}│ `;
  if (m.recorded) {
    const r = m.recorded;
    lines.push(`${pad}✔ ${r.what} · ${r.who} · ${r.when}`);
  }
  for (const b of m.body) for (const para of b.split('\n')) lines.push(...wrap(para, 96).map((l) => pad + l));
  if (m.fields.length) for (const f of m.fields) lines.push(`${pad}${f.label}: ${f.value}`);
  if (m.quote) {
    const q = m.quote.length > 300 ? `${m.quote.slice(0, 300)}…` : m.quote;
    for (const l of q.split('\n')) lines.push(...wrap(l, 92).map((x) => `${pad}> ${x}`));
  }
  if (m.table) {
    const widths = m.table.columns.map((c, i) => Math.min(34, Math.max(c.length, ...m.table!.rows.map((r) => (r[i] ?? '').length))));
    const row = (cells: string[]) => cells.map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!))).join('  ');
    lines.push(pad + row(m.table.columns), pad + widths.map((w) => '─'.repeat(w)).join('  '));
    for (const r of m.table.rows) lines.push(pad + row(r));
  }
  if (m.buttons.length) lines.push(pad + m.buttons.map((b) => `[ ${b.label} ]`).join(' '));
  if (m.metadata) lines.push(`${pad}metadata ${m.metadata.eventType}: ${JSON.stringify(m.metadata.payload)}`);
  lines.push(`${indent}└`);
  return lines.join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}
