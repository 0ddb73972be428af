/**
 * The audit record as a PDF the ST can archive: headings and words in Spanish and English
 * ("Cronología / Timeline"), the text of every version (and its translation, when the author gave one)
 * with its full hash, the Troika's reactions, one row per Member Country (position, version, who, when,
 * reason), the timeline and the refused attempts. Rendered with pdfkit; the DejaVu fonts are embedded
 * (subset), so accents and any Latin name render the same in every viewer. Page footers carry the
 * reference and "Página n de N / Page n of N".
 * pdfkit (and its font stack, ~20 MB) is imported at the first record rendered, not when the bot starts.
 *
 * Dates in tables are split on two lines (date, then time with the UTC offset) to keep columns narrow;
 * tables name a text version by number, the version section above them gives each number's full hash.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locale } from '../directory/model.ts';
import { formatList, t } from '../i18n/index.ts';
import type { AuditRecord, RecordCountry, RecordPerson, RecordTextVersion, RecordVersionRef } from './model.ts';
import {
  both,
  eventDetail,
  eventWhat,
  languageName,
  platformWords,
  positionWords,
  reasonLabel,
  refusalWhat,
  refusalWhy,
  roleWords,
  seatWords,
  summaryFields,
  troikaDecision,
} from './words.ts';

const require = createRequire(import.meta.url);
const FONT_FILES = {
  body: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  cell: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  cellBold: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
  mono: 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fonts: Record<FontName, Buffer> | undefined;
function fontBytes(): Record<FontName, Buffer> {
  fonts ??= Object.fromEntries(Object.entries(FONT_FILES).map(([k, f]) => [k, readFileSync(require.resolve(f))])) as Record<FontName, Buffer>;
  return fonts;
}

const MARGIN = 48;
const GREY = '#555555';
const RULE = '#999999';
const HEAD_BG = '#e8e8e8';

/** Spanish over English in one table cell (once when they are the same). */
const cell2 = (words: (l: Locale) => string): string => {
  const es = words('es');
  const en = words('en');
  return es === en ? es : `${es}\n${en}`;
};
const when2 = (iso: string | undefined): string => (iso ? iso.replace('T', '\n') : '—');
/** Dates inside a sentence: a space instead of the T, so a narrow cell wraps between date and time. */
const spaced = (iso: string): string => iso.replace('T', ' ');
/** Under a "Versión / Version" header the number says it all (the hash is in the versions section). */
const versionCell = (v: RecordVersionRef | undefined): string => (v ? (v.number === null ? v.hash.slice(0, 12) : String(v.number)) : '—');
const country2 = (c: RecordCountry | undefined): string => (c ? cell2((l) => c.name[l]) : '');
function who2(p: RecordPerson | undefined): string {
  if (!p) return '—';
  if (p.role === 'system') return cell2((l) => roleWords('system', l));
  const where = [both((l) => roleWords(p.role, l)), ...(p.country ? [both((l) => p.country!.name[l])] : []), both((l) => platformWords(p.platform, l))];
  return `${p.name}\n${where.join(' · ')}`;
}

export interface PdfOptions {
  /** Fixed document dates (tests, reproducible output); default: the record's generatedAt. */
  creationDate?: Date;
}

export async function renderPdf(r: AuditRecord, options: PdfOptions = {}): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const f = fontBytes();
  const title = both((l) => t(l, 'record.title', { reference: r.reference }));
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 12, left: MARGIN, right: MARGIN },
    bufferPages: true,
    // The first font, so pdfkit never loads its standard Helvetica (not embedded).
    font: f.body as unknown as string,
    lang: 'es',
    displayTitle: true,
    info: {
      Title: title,
      Subject: r.title,
      Author: both((l) => r.body.name[l]),
      Creator: 'crm-consulta-bot',
      CreationDate: options.creationDate ?? new Date(Date.parse(r.generatedAt)),
    },
  } as PDFKit.PDFDocumentOptions);
  for (const [name, bytes] of Object.entries(f)) doc.registerFont(name, bytes);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const heading = (text: string) => {
    // A heading is never the last thing on a page: keep room for it, a table's header and a row.
    if (doc.y > doc.page.height - MARGIN - 150) doc.addPage();
    doc.moveDown(0.8).font('bold').fontSize(12).fillColor('black').text(text, MARGIN, doc.y, { width });
    doc.moveTo(MARGIN, doc.y + 1).lineTo(MARGIN + width, doc.y + 1).strokeColor(RULE).lineWidth(0.5).stroke();
    doc.moveDown(0.4);
  };
  const para = (text: string, opts: { font?: FontName; size?: number; color?: string } = {}) => {
    doc.font(opts.font ?? 'body').fontSize(opts.size ?? 9).fillColor(opts.color ?? 'black').text(text, MARGIN, doc.y, { width });
  };
  // Our own table (pdfkit's measures every cell many times over: 60 rows took 4 s with embedded fonts):
  // fixed column shares, one measure and one draw per cell, the header row repeated on each new page.
  const table = (columns: { head: string; width: number }[], rows: string[][]) => {
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * width);
    const size = 7.5;
    const pad = 3;
    const height = (cells: readonly string[], font: FontName) => {
      doc.font(font).fontSize(size);
      return Math.max(...cells.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i]! - 2 * pad }))) + 2 * pad;
    };
    const usable = () => doc.page.height - doc.page.margins.bottom;
    const row = (cells: readonly string[], font: FontName, header: boolean) => {
      const h = height(cells, font);
      if (doc.y + h > usable() && doc.y > doc.page.margins.top + 1) {
        doc.addPage();
        if (!header) row(columns.map((c) => c.head), 'cellBold', true);
      }
      const y = doc.y;
      const fits = y + h <= usable();
      let x = MARGIN;
      cells.forEach((text, i) => {
        const w = widths[i]!;
        if (fits) {
          if (header) doc.rect(x, y, w, h).fill(HEAD_BG);
          doc.rect(x, y, w, h).lineWidth(0.5).strokeColor(RULE).stroke();
        }
        doc.font(font).fontSize(size).fillColor('black').text(text, x + pad, y + pad, { width: w - 2 * pad });
        x += w;
      });
      // A row taller than a page (never with the domain's limits) flows on without borders.
      doc.x = MARGIN;
      doc.y = fits ? y + h : doc.y;
    };
    row(columns.map((c) => c.head), 'cellBold', true);
    for (const cells of rows) row(cells, 'cell', false);
    doc.moveDown(0.5);
  };

  // Title and summary.
  doc.font('bold').fontSize(16).text(t('es', 'record.title', { reference: r.reference }), { width });
  doc.font('bold').fontSize(13).fillColor(GREY).text(t('en', 'record.title', { reference: r.reference }), { width });
  doc.fillColor('black').moveDown(0.6);
  table(
    [
      { head: cell2((l) => t(l, 'record.section.summary')), width: 30 },
      { head: '', width: 70 },
    ],
    summaryFields(r).map((field) => [cell2(field.label), cell2(field.value)]),
  );
  para(both((l) => t(l, 'record.times', { zone: r.timeZone })).replace(' / ', '\n'), { size: 7.5, color: GREY });

  // Text versions, in full.
  heading(both((l) => t(l, 'record.section.versions')));
  for (const v of r.versions) versionSection(doc, v, para);

  // Troika.
  heading(both((l) => t(l, 'record.section.troika')));
  if (!r.troika) para(both((l) => t(l, 'record.no_troika')));
  else {
    if (r.troika.incomplete) para(both((l) => t(l, 'record.troika_incomplete')), { size: 8 });
    table(
      [
        { head: cell2((l) => t(l, 'label.country')), width: 13 },
        { head: cell2((l) => t(l, 'record.label.seat')), width: 14 },
        { head: cell2((l) => t(l, 'record.label.decision')), width: 17 },
        { head: cell2((l) => t(l, 'record.label.version')), width: 8 },
        { head: cell2((l) => t(l, 'record.label.who')), width: 20 },
        { head: cell2((l) => t(l, 'record.label.when')), width: 12 },
        { head: cell2((l) => t(l, 'label.reason')), width: 17 },
      ],
      r.troika.rows.map((row) => [
        country2(row.country),
        cell2((l) => seatWords(row.seat, l)),
        cell2((l) => troikaDecision(row, l)),
        versionCell(row.version),
        who2(row.who),
        when2(row.at),
        row.reason ?? '',
      ]),
    );
  }

  // One row per Member Country.
  heading(both((l) => t(l, 'record.section.members')));
  table(
    [
      { head: cell2((l) => t(l, 'label.country')), width: 14 },
      { head: cell2((l) => t(l, 'label.position')), width: 12 },
      { head: cell2((l) => t(l, 'record.label.version')), width: 8 },
      { head: cell2((l) => t(l, 'record.label.who')), width: 24 },
      { head: cell2((l) => t(l, 'record.label.when')), width: 12 },
      { head: cell2((l) => t(l, 'label.reason')), width: 31 },
    ],
    r.members.map((m) => [
      country2(m.country),
      cell2((l) => positionWords(m.position, l)),
      versionCell(m.version),
      who2(m.who),
      when2(m.at),
      [m.reason ?? '', m.earlier > 0 ? `${both((l) => t(l, 'record.label.earlier'))}: ${m.earlier}` : ''].filter(Boolean).join('\n'),
    ]),
  );
  if (r.circulatedAt) {
    para(cell2((l) => t(l, 'digest.counts', r.counts)), { size: 8 });
    if (r.missing.length) para(cell2((l) => `${t(l, 'digest.missing')}: ${formatList(r.missing.map((c) => c.name[l]), l)}`), { size: 8 });
  }

  // Timeline: every event.
  heading(both((l) => t(l, 'record.section.timeline')));
  table(
    [
      { head: cell2((l) => t(l, 'record.label.number')), width: 5 },
      { head: cell2((l) => t(l, 'record.label.when')), width: 12 },
      { head: cell2((l) => t(l, 'record.label.what')), width: 15 },
      { head: cell2((l) => t(l, 'label.country')), width: 10 },
      { head: cell2((l) => t(l, 'record.label.detail')), width: 19 },
      { head: cell2((l) => t(l, 'label.reason')), width: 16 },
      { head: cell2((l) => t(l, 'record.label.version')), width: 7 },
      { head: cell2((l) => t(l, 'record.label.who')), width: 17 },
    ],
    r.events.map((e) => [
      String(e.seq),
      when2(e.at),
      cell2((l) => eventWhat(e, l)),
      country2(e.country),
      cell2((l) => eventDetail(e, l, spaced)),
      e.reason ? (e.type === 'consultation_started' || e.type === 'deadline_extended' ? `${both((l) => reasonLabel(e, l))}: ${e.reason}` : e.reason) : '',
      e.version ? versionCell(e.version) : '',
      who2(e.who),
    ]),
  );

  // Refused attempts: who, what, why.
  heading(both((l) => t(l, 'record.section.refusals')));
  if (r.refusals.length === 0) para(both((l) => t(l, 'record.no_refusals')));
  else {
    table(
      [
        { head: cell2((l) => t(l, 'record.label.when')), width: 12 },
        { head: cell2((l) => t(l, 'record.label.who')), width: 22 },
        { head: cell2((l) => t(l, 'record.label.what')), width: 24 },
        { head: cell2((l) => t(l, 'record.label.answer')), width: 42 },
      ],
      r.refusals.map((x) => [when2(x.at), who2(x.who), cell2((l) => refusalWhat(x, l)), cell2((l) => refusalWhy(x, l))]),
    );
  }

  // Footers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = i - range.start + 1;
    const footer = `${r.reference} · ${both((l) => t(l, 'record.page', { page, total: range.count }))}`;
    // Below the bottom margin: lift it for the footer, or pdfkit would start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(7).fillColor(GREY);
    doc.text(footer, MARGIN, doc.page.height - MARGIN + 8, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

function versionSection(
  doc: PDFKit.PDFDocument,
  v: RecordTextVersion,
  para: (text: string, opts?: { font?: FontName; size?: number; color?: string }) => void,
): void {
  if (doc.y > doc.page.height - MARGIN - 120) doc.addPage();
  doc.moveDown(0.3);
  para(both((l) => t(l, 'record.version', { number: v.number })), { font: 'bold', size: 10 });
  para(`${v.at} · ${v.by.role === 'system' ? both((l) => roleWords('system', l)) : `${v.by.name} · ${both((l) => roleWords(v.by.role, l))}`}`, { size: 8, color: GREY });
  para(`${t('es', 'record.label.hash')}: ${v.hash}`, { font: 'mono', size: 7.5 });
  const block = (label: string, title: string, text: string) => {
    doc.moveDown(0.3);
    para(label, { font: 'bold', size: 8, color: GREY });
    para(title, { font: 'bold', size: 9.5 });
    para(text, { size: 9 });
  };
  const original = v.locale
    ? both((l) => t(l, 'record.original', { language: languageName(v.locale, l) }))
    : both((l) => t(l, 'record.original_plain'));
  block(original, v.title, v.text);
  if (v.translation) {
    const tr = v.translation;
    block(both((l) => t(l, 'record.translation', { language: languageName(tr.locale, l) })), tr.title, tr.text);
  }
  doc.moveDown(0.4);
}
