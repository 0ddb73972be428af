/**
 * Pictures where people would rather look than read (issue 10): a consultation's status as a
 * Member-Country matrix and its timeline, as SVG strings (pure: state + directory in, text out), and the
 * two stacked as one PNG for the digest (./png.ts, rendered when the digest's attachment is delivered:
 * ./attachment.ts). The console shows `statusSvg` / `timelineSvg` in the page.
 */
import type { Directory } from '../directory/model.ts';
import type { ConsultationState } from '../domain/types.ts';
import { t } from '../i18n/index.ts';
import type { PictureOptions } from './model.ts';
import { STATUS_WIDTH, statusSvg } from './status.ts';
import { timelineSvg } from './timeline.ts';
import { xml } from './svg.ts';

export { statusSvg } from './status.ts';
export { pictureFilename } from './filename.ts';
export { timelineSvg } from './timeline.ts';
export { rasterise, svgToPng, type Raster } from './png.ts';
export { countryRows, timelineItems, type PictureOptions, type CountryRow, type TimelineItem } from './model.ts';

const size = (svg: string): { width: number; height: number } => {
  const m = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg);
  return { width: Number(m?.[1] ?? STATUS_WIDTH), height: Number(m?.[2] ?? 0) };
};

/** The status and, under it, the timeline, as one SVG (what the digest's PNG shows). */
export function consultationPictureSvg(state: ConsultationState, directory: Directory, o: PictureOptions): string {
  const status = statusSvg(state, directory, o);
  const timeline = timelineSvg(state, directory, o);
  const a = size(status);
  const b = size(timeline);
  const width = Math.max(a.width, b.width);
  const height = a.height + b.height;
  const inner = (svg: string, y: number) => svg.replace(/^<svg /, `<svg x="0" y="${y}" `);
  const title = `${t(o.locale, 'picture.status.title', { reference: state.reference })} · ${t(o.locale, 'picture.timeline.title', { reference: state.reference })}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" xml:lang="${o.locale}" lang="${o.locale}">`,
    `<title>${xml(title)}</title>`,
    inner(status, 0),
    inner(timeline, a.height),
    '</svg>',
  ].join('\n');
}
