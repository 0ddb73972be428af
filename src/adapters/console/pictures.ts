/**
 * The status pictures in the console (src/pictures: the Member-Country matrix and the timeline, as SVG),
 * for one seat: its open and recently ended consultations that it may see (the domain's
 * `maySeeConsultation`), each drawn for it as viewer (`viewer`, `now`: a member's seat does not see other
 * countries' positions before the close when the consultation's positions are `at_close`).
 *
 *   GET /console/pictures?person=ID                   `{ pictures: [{ reference, title, stage, status, timeline }] }`,
 *                                                     `status` and `timeline` being the two pictures' URLs
 *   GET /console/picture/REF.svg?person=ID&view=V     the picture itself, `image/svg+xml` (V: `status`, the
 *                                                     default, or `timeline`); a consultation the seat may not
 *                                                     see is not found, as one that does not exist
 *
 * The page shows them as `<img>` (its CSP: images from itself only), so the SVG runs no script in the page.
 * The ST channel's seat sees as the ST does (every answer).
 */
import type { Directory } from '../../directory/model.ts';
import { maySeeConsultation, type Viewer } from '../../domain/authority.ts';
import { textOf } from '../../flows/messages/common.ts';
import { consultationByReference, openConsultations, recentlyEnded, type ConsultationReader } from '../../flows/queries.ts';
import { statusSvg, timelineSvg } from '../../pictures/index.ts';
import { seatPerson, seatReader } from './seats.ts';
import { ST_CHANNEL_SEAT } from './store.ts';

/** How many ended consultations the panel shows after the open ones. */
export const RECENT_PICTURES = 5;

export type PictureView = 'status' | 'timeline';

export interface PictureItem {
  reference: string;
  title: string;
  stage: string;
  status: string;
  timeline: string;
}

/** Who looks from a seat (the ST channel: the ST). */
export function seatViewer(directory: Directory, seat: string): Viewer {
  if (seat === ST_CHANNEL_SEAT) return { personId: ST_CHANNEL_SEAT, isStaff: true };
  const person = seatPerson(directory, seat);
  const personId = person?.id ?? seat;
  return { personId, isStaff: directory.secretariat.staff.some((s) => s.id === personId) };
}

export const pictureUrl = (reference: string, seat: string, view: PictureView): string =>
  `/console/picture/${encodeURIComponent(reference)}.svg?person=${encodeURIComponent(seat)}${view === 'timeline' ? '&view=timeline' : ''}`;

/** The seat's pictures: its open consultations, then the latest ended ones, those it may see. */
export async function seatPictures(reader: ConsultationReader, directory: Directory, seat: string): Promise<PictureItem[]> {
  const viewer = seatViewer(directory, seat);
  const { locale } = seatReader(directory, seat);
  const states = [...(await openConsultations(reader)), ...(await recentlyEnded(reader, RECENT_PICTURES))].filter((s) => maySeeConsultation(s, viewer));
  return states.map((s) => ({ reference: s.reference, title: textOf(s, locale).title, stage: s.stage, status: pictureUrl(s.reference, seat, 'status'), timeline: pictureUrl(s.reference, seat, 'timeline') }));
}

/** One picture for the seat, or undefined when there is no such consultation or the seat may not see it. */
export async function seatPicture(reader: ConsultationReader, directory: Directory, seat: string, reference: string, view: PictureView, now: Date): Promise<string | undefined> {
  const state = await consultationByReference(reader, reference);
  const viewer = seatViewer(directory, seat);
  if (!state || !maySeeConsultation(state, viewer)) return undefined;
  const { locale, timezone } = seatReader(directory, seat);
  const o = { locale, timezone, viewer, now };
  return view === 'timeline' ? timelineSvg(state, directory, o) : statusSvg(state, directory, o);
}
