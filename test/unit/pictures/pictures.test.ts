/**
 * The status and timeline pictures (src/pictures): every scenario's states, in both languages, as SVG that
 * parses as XML, names every Member Country and every answer in the reader's words, hides what the viewer
 * may not see yet, and rasterises to a PNG whose text is really drawn (the fonts are loaded: without them
 * resvg draws no text at all).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import { t } from '../../../src/i18n/index.ts';
import { consultationPictureSvg, countryRows, rasterise, statusSvg, svgToPng, timelineItems, timelineSvg } from '../../../src/pictures/index.ts';
import { messageScenarios } from '../../helpers/message-scenarios.ts';

const scenarios = messageScenarios();
const LOCALES = ['es', 'en'] as const;

/** Every text node of an SVG, joined with spaces (entities decoded by the parser). */
function textsOf(svg: string): { title: string; texts: string[] } {
  const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: true, trimValues: false, processEntities: true, htmlEntities: false });
  const tree = parser.parse(svg) as unknown[];
  const texts: string[] = [];
  let title = '';
  const walk = (nodes: unknown[], inText: 'text' | 'title' | undefined) => {
    for (const n of nodes as Record<string, unknown>[]) {
      for (const [k, v] of Object.entries(n)) {
        if (k === ':@') continue;
        if (k === '#text') {
          if (inText === 'text') texts.push(String(v));
          if (inText === 'title' && !title) title = String(v);
        } else if (Array.isArray(v)) walk(v, k === 'text' ? 'text' : k === 'title' ? 'title' : inText);
      }
    }
  };
  walk(tree, undefined);
  return { title, texts };
}

function expectXml(svg: string): void {
  const valid = XMLValidator.validate(svg);
  expect(valid, JSON.stringify(valid)).toBe(true);
}

/** Every state each scenario went through (the first step's, the middle one's, the last). */
const states: { name: string; state: ConsultationState; directory: (typeof scenarios)[number]['directory'] }[] = scenarios.flatMap((s) =>
  [s.steps[0]!.after, s.steps[Math.floor(s.steps.length / 2)]!.after, s.final].map((state) => ({ name: `${s.name} @${state.version}`, state, directory: s.directory })),
);

describe('statusSvg', () => {
  for (const { name, state, directory } of states) {
    for (const l of LOCALES) {
      it(`${name} (${l}): XML with a title, every Member Country and its answer in words`, () => {
        const svg = statusSvg(state, directory, { locale: l });
        expectXml(svg);
        const { title, texts } = textsOf(svg);
        expect(title).toBe(t(l, 'picture.status.title', { reference: state.reference }));
        expect(svg).toContain(`xml:lang="${l}"`);
        const all = texts.join('\n');
        for (const m of state.participants.members) {
          const country = directory.countries.find((c) => c.code === m.code)!;
          expect(all).toContain(`${country.name[l]} (${m.code})`);
          const p = state.positions[m.code]?.position ?? 'none';
          // The row of that country carries the position's words (and its symbol).
          const row = new RegExp(`<g data-country="${m.code}">([\\s\\S]*?)</g>`).exec(svg)?.[1] ?? '';
          expect(row).toContain(t(l, `position.${p}`));
        }
        expect(all).toContain(t(l, `stage.${state.stage}`));
      });
    }
  }

  it('the Troika stage: each seat with its reaction, the author presenting the text', () => {
    const s = scenarios.find((x) => x.name === 'not endorsed')!;
    const svg = statusSvg(s.final, s.directory, { locale: 'en' });
    const rows = countryRows(s.final, s.directory, { locale: 'en' });
    expect(rows.filter((r) => r.seat).map((r) => [r.code, r.seat, r.troika])).toEqual([
      ['SV', 'next', 'approve'],
      ['MX', 'previous', 'object'],
      ['PA', 'current', 'author'],
    ]);
    expect(svg).toContain('Incoming presidency: Approves circulation');
    expect(svg).toContain('Previous presidency: Objects');
    expect(svg).toContain('Pro Tempore Presidency: Presents the text');
  });

  it('a focal point sees only what maySee allows: the other countries are "shown at the close" until it ends', () => {
    const s = scenarios.find((x) => x.name === 'no consensus, explicit')!;
    const open = s.steps.find((st) => st.after.stage === 'member_consultation' && Object.keys(st.after.positions).length >= 4)!.after;
    const cr = open.participants.members.find((m) => m.code === 'CR')!.focalPoints[0]!.personId;
    const viewer = { personId: cr, isStaff: false };
    const rows = countryRows(open, s.directory, { locale: 'es', viewer });
    expect(rows.find((r) => r.code === 'CR')!.position).toBe('support');
    expect(rows.filter((r) => r.code !== 'CR').every((r) => r.position === 'hidden')).toBe(true);
    const svg = statusSvg(open, s.directory, { locale: 'es', viewer });
    expect(svg).toContain('Se muestra al cierre');
    expect(svg).not.toContain('Respondieron'); // the tally would tell how many others answered
    const timeline = timelineSvg(open, s.directory, { locale: 'es', viewer });
    expect(timelineItems(open, { locale: 'es', viewer }).filter((i) => i.kind === 'position').map((i) => i.country)).toEqual(['CR']);
    expect(timeline).not.toContain('Belice: Apoya');
    // At the close everyone sees every answer.
    expect(countryRows(s.final, s.directory, { locale: 'es', viewer }).some((r) => r.position === 'hidden')).toBe(false);
  });

  it('a draft withdrawn before it was sent: no Troika, no deadline, still a picture of every country', () => {
    const s = scenarios[0]!;
    const first = s.steps[0]!.after;
    const { troika: _t, sentToTroikaAt: _s, ...rest } = first;
    const draft: ConsultationState = { ...rest, troikaReactions: {}, troikaHistory: [], stage: 'withdrawn', outcome: 'withdrawn', closedAt: first.createdAt };
    for (const l of LOCALES) {
      const svg = consultationPictureSvg(draft, s.directory, { locale: l });
      expectXml(svg);
      expect(countryRows(draft, s.directory, { locale: l }).every((r) => r.seat === undefined && r.position === 'none')).toBe(true);
      expect(timelineItems(draft, { locale: l }).map((i) => i.kind)).toEqual(['created', 'withdrawn']);
      expect(svg).toContain(t(l, 'picture.event.withdrawn'));
    }
  });

  it('untrusted text (the title) is escaped and the SVG still parses', () => {
    const s = scenarios[0]!;
    const state = { ...s.final, title: 'Título <script>alert("x")</script> & «otro» \u0007' };
    const svg = consultationPictureSvg(state, s.directory, { locale: 'es' });
    expectXml(svg);
    expect(svg).not.toContain('<script>');
    expect(textsOf(statusSvg(state, s.directory, { locale: 'es' })).texts.join(' ')).toContain('Título <script>alert("x")</script> & «otro»');
  });
});

describe('timelineSvg', () => {
  for (const { name, state, directory } of states) {
    for (const l of LOCALES) {
      it(`${name} (${l}): circulation, each answer, extensions, the deadline and the end, in order`, () => {
        const reminders = state.circulatedAt ? [{ at: state.circulatedAt }, { at: state.circulatedAt }] : [];
        const svg = timelineSvg(state, directory, { locale: l, reminders });
        expectXml(svg);
        const { title, texts } = textsOf(svg);
        expect(title).toBe(t(l, 'picture.timeline.title', { reference: state.reference }));
        const items = timelineItems(state, { locale: l, reminders });
        expect(items.filter((i) => i.kind === 'position')).toHaveLength(state.positionHistory.length);
        expect(items.filter((i) => i.kind === 'extended')).toHaveLength(state.extensions.length);
        expect(items.filter((i) => i.kind === 'circulated')).toHaveLength(state.circulatedAt ? 1 : 0);
        expect(items.filter((i) => i.kind === 'reminder').map((i) => i.count)).toEqual(state.circulatedAt ? [2] : []);
        const times = items.map((i) => Date.parse(i.at));
        expect([...times].sort((a, b) => a - b)).toEqual(times);
        const all = texts.join('\n');
        if (state.circulatedAt) expect(all).toContain(t(l, 'picture.event.circulated'));
        if (state.deadline && (state.stage === 'member_consultation' || state.stage === 'closed')) expect(all).toContain(t(l, 'picture.event.deadline'));
        if (state.stage === 'withdrawn') expect(all).toContain(t(l, 'picture.event.withdrawn'));
        if (state.stage === 'not_endorsed') expect(all).toContain(t(l, 'picture.event.not_endorsed'));
        for (const p of state.positionHistory) {
          const country = directory.countries.find((c) => c.code === p.country)!.name[l];
          expect(all).toContain(t(l, 'picture.event.position', { country, position: t(l, `position.${p.position}`) }));
        }
      });
    }
  }
});

describe('reads in greyscale', () => {
  it('every answer has its own symbol and words; "no answer" also a dashed border', async () => {
    const { MARKS } = await import('../../../src/pictures/svg.ts');
    const positions = [MARKS.support, MARKS.object, MARKS.abstain, MARKS.none, MARKS.hidden];
    expect(new Set(positions.map((m) => m.symbol)).size).toBe(positions.length);
    const troika = [MARKS.approve, MARKS.request_changes, MARKS.object, MARKS.author, MARKS.none];
    expect(new Set(troika.map((m) => m.symbol)).size).toBe(troika.length);
    expect(MARKS.none.dashed).toBe(true);
    const s = scenarios[1]!; // no consensus: support and object side by side
    const svg = statusSvg(s.final, s.directory, { locale: 'en' });
    expect(/<g data-country="US">[\s\S]*?✗[\s\S]*?Objects[\s\S]*?<\/g>/.test(svg)).toBe(true);
    expect(/<g data-country="CR">[\s\S]*?✓[\s\S]*?Supports[\s\S]*?<\/g>/.test(svg)).toBe(true);
  });
});

describe('the PNG', () => {
  const s = scenarios[0]!;
  const svg = consultationPictureSvg(s.final, s.directory, { locale: 'es' });
  /** Pixels darker than the text colour's neighbourhood: only text is drawn that dark (lines and borders are lighter). */
  const dark = (pixels: Uint8Array) => {
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 90 && pixels[i + 1]! < 90 && pixels[i + 2]! < 90) n++;
    return n;
  };
  const withoutText = svg.replace(/<text [^>]*>[^<]*<\/text>/g, '');

  it('a large body is drawn at a lower scale (never below 1×), within MAX_PIXELS', async () => {
    const { MAX_PIXELS, scaleFor } = await import('../../../src/pictures/png.ts');
    expect(scaleFor('<svg xmlns="x" width="760" height="1000">', 2)).toBe(2);
    const tall = scaleFor('<svg xmlns="x" width="760" height="10000">', 2);
    expect(tall).toBeGreaterThanOrEqual(1);
    expect(760 * 10_000 * tall * tall).toBeLessThanOrEqual(MAX_PIXELS + 1);
    expect(scaleFor('<svg xmlns="x" width="760" height="100000">', 2)).toBe(1);
  });

  it('is a PNG of the picture’s size, scaled 2×', () => {
    const png = svgToPng(svg);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = png[16]! * 2 ** 24 + png[17]! * 2 ** 16 + png[18]! * 2 ** 8 + png[19]!;
    expect(width).toBe(760 * 2);
  });

  it('draws its labels: many dark text pixels, none when the text is taken out or the fonts are not loaded', () => {
    const labelled = rasterise(svg, { scale: 1 });
    const stripped = rasterise(withoutText, { scale: 1 });
    const noFonts = rasterise(svg, { scale: 1, fonts: false });
    expect(withoutText).not.toBe(svg);
    expect(dark(labelled.pixels)).toBeGreaterThan(5_000);
    expect(dark(stripped.pixels)).toBeLessThan(50);
    // What happens when a rasteriser has no font: the text vanishes. Ours loads DejaVu, so it does not.
    expect(dark(noFonts.pixels)).toBeLessThan(50);
  });

  it('the country column has text in every row (the label area)', () => {
    const r = rasterise(statusSvg(s.final, s.directory, { locale: 'en' }), { scale: 1 });
    const rowsTop = /<g data-country="BZ">\s*<text x="[\d.]+" y="([\d.]+)"/.exec(statusSvg(s.final, s.directory, { locale: 'en' }));
    expect(rowsTop).not.toBeNull();
    const firstBaseline = Number(rowsTop![1]);
    for (let row = 0; row < 11; row++) {
      const baseline = firstBaseline + row * 30;
      let n = 0;
      for (let y = baseline - 12; y <= baseline + 3; y++) {
        for (let x = 24; x < 200; x++) {
          const i = (y * r.width + x) * 4;
          if (r.pixels[i]! < 90 && r.pixels[i + 1]! < 90 && r.pixels[i + 2]! < 90) n++;
        }
      }
      expect(n, `row ${row}`).toBeGreaterThan(40);
    }
  });
});
