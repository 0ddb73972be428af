/**
 * Small helpers for the pictures' SVG: escaping, text that fits, the shared style. No DOM: strings only.
 * Text is DejaVu Sans (the font the PDF record embeds and the PNG rasteriser loads, ./png.ts), so the
 * symbols used below (✓ ✗ − ○ ★ ✎ ◆ ▲ ■) exist in it and a width estimate per character is close enough.
 */

/** Escapes text and attribute values for XML (also strips the control characters XML 1.0 forbids). */
export function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Roughly how wide `s` is in DejaVu Sans at `size` px (its average advance is about 0.6 em). */
export const textWidth = (s: string, size: number): number => [...s].length * size * 0.55;

/** `s` cut to fit `width` px at `size`, with an ellipsis when cut. */
export function fit(s: string, width: number, size: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const max = Math.max(1, Math.floor(width / (size * 0.55)));
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}

export interface TextOptions {
  size?: number;
  weight?: 'bold';
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
}

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const attrs = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    o.size ? `font-size="${o.size}"` : '',
    o.weight ? `font-weight="${o.weight}"` : '',
    o.fill ? `fill="${o.fill}"` : '',
    o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${xml(content)}</text>`;
}

export const round = (n: number): number => Math.round(n * 10) / 10;

/** The document: `<title>` and `<desc>` first (what screen readers announce), `role="img"`, its language. */
export function svgDocument(o: { width: number; height: number; lang: string; title: string; desc: string; id: string }, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${o.width}" height="${round(o.height)}" viewBox="0 0 ${o.width} ${round(o.height)}" role="img" aria-labelledby="${o.id}-title ${o.id}-desc" xml:lang="${o.lang}" lang="${o.lang}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="13" fill="#1f2933">`,
    `<title id="${o.id}-title">${xml(o.title)}</title>`,
    `<desc id="${o.id}-desc">${xml(o.desc)}</desc>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/**
 * How each answer looks: a fill, a border, a symbol and (always beside it) its words, so the picture reads
 * in greyscale and for colour-blind readers: the symbol and the label carry the meaning, the colour helps.
 * The fills differ in lightness too, and "no answer" has a dashed border.
 */
export interface Mark {
  fill: string;
  stroke: string;
  symbol: string;
  dashed?: boolean;
}

export const MARKS = {
  support: { fill: '#d3efda', stroke: '#1b6e35', symbol: '✓' },
  object: { fill: '#f6cfcb', stroke: '#a1221b', symbol: '✗' },
  abstain: { fill: '#fbeec2', stroke: '#7a5d00', symbol: '−' },
  none: { fill: '#ffffff', stroke: '#5b6470', symbol: '○', dashed: true },
  hidden: { fill: '#e9ecf0', stroke: '#5b6470', symbol: '…' },
  approve: { fill: '#d3efda', stroke: '#1b6e35', symbol: '✓' },
  request_changes: { fill: '#fbeec2', stroke: '#7a5d00', symbol: '✎' },
  author: { fill: '#dde7f6', stroke: '#1d4f91', symbol: '★' },
} as const satisfies Record<string, Mark>;

/** A labelled badge: box, symbol, words. */
export function badge(x: number, y: number, width: number, height: number, mark: Mark, label: string, size = 13): string {
  const dash = 'dashed' in mark && mark.dashed ? ' stroke-dasharray="4 3"' : '';
  return [
    `<rect x="${round(x)}" y="${round(y)}" width="${round(width)}" height="${round(height)}" rx="4" fill="${mark.fill}" stroke="${mark.stroke}" stroke-width="1.5"${dash}/>`,
    text(x + 8, y + height / 2 + size * 0.36, mark.symbol, { size: size + 1, weight: 'bold', fill: mark.stroke }),
    text(x + 8 + size * 1.5, y + height / 2 + size * 0.36, fit(label, width - 16 - size * 1.5, size), { size, fill: '#1f2933' }),
  ].join('');
}
