/**
 * SVG → PNG with resvg (`@resvg/resvg-js`: Rust's resvg, prebuilt native binaries shipped as optional
 * dependencies per platform, no install script). The fonts are loaded explicitly from `dejavu-fonts-ttf`
 * (the PDF record's fonts) and the system's are not: without fonts resvg draws no text at all, and the
 * system's differ from machine to machine.
 */
import { createRequire } from 'node:module';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

const FONT_FILES = ['dejavu-fonts-ttf/ttf/DejaVuSans.ttf', 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'];

let resvg: typeof import('@resvg/resvg-js') | undefined;
let fontFiles: string[] | undefined;

export interface PngOptions {
  /** Scale factor (default 2: sharp on high-density screens). */
  scale?: number;
  /** Load the DejaVu fonts (default true). Only a test turns this off, to show that text then vanishes. */
  fonts?: boolean;
}

export interface Raster {
  png: Uint8Array;
  width: number;
  height: number;
  /** RGBA, row by row. */
  pixels: Uint8Array;
}

/**
 * At most this many pixels: a large body (a directory of 193 members, 193 answers on the timeline) is drawn
 * at 1× rather than 2×, so a digest's picture stays a few megabytes and a second or so to render.
 */
export const MAX_PIXELS = 12_000_000;

/** The scale asked for, lowered (never below 1) so the picture stays within MAX_PIXELS. */
export function scaleFor(svg: string, asked: number): number {
  const m = /^<svg [^>]*?width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  const area = m ? Number(m[1]) * Number(m[2]) : 0;
  if (!(area > 0)) return asked;
  return Math.max(Math.min(1, asked), Math.min(asked, Math.sqrt(MAX_PIXELS / area)));
}

/** The picture as PNG bytes. Throws when the SVG does not parse (ours always does). */
export function svgToPng(svg: string, o: PngOptions = {}): Uint8Array {
  return rasterise(svg, o).png;
}

/** The picture as PNG bytes and as raw pixels (for tests that look at what was drawn). */
export function rasterise(svg: string, o: PngOptions = {}): Raster {
  resvg ??= require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  fontFiles ??= FONT_FILES.map((f) => require.resolve(f));
  const options: ResvgRenderOptions = {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scaleFor(svg, o.scale ?? 2) },
    font: { loadSystemFonts: false, fontFiles: o.fonts === false ? [] : fontFiles, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    textRendering: 1,
    shapeRendering: 2,
  };
  const rendered = new resvg.Resvg(svg, options).render();
  return { png: new Uint8Array(rendered.asPng()), width: rendered.width, height: rendered.height, pixels: new Uint8Array(rendered.pixels) };
}
