/**
 * Dates and lists in the person's language and time zone.
 *
 * The output is assembled from Intl's parts (weekday, month names, numbers) with our own templates, so it
 * reads the same on every Node/ICU version (ICU changes separators such as ", " vs " at " and the space
 * before AM/PM between releases):
 *   es: "viernes 4 de diciembre de 2026, 23:59 (hora de Costa Rica)"
 *   en: "Friday, December 4, 2026, 11:59 PM (Costa Rica time)"
 */
import type { Locale } from '../directory/model.ts';
import { en } from './messages.en.ts';
import { es } from './messages.es.ts';
import { withArticle } from './text.ts';

/**
 * Place names for the zones of the Member Countries' seats, used in "(hora de …)" / "(… time)" when the
 * caller does not pass `place`. Countries spanning several zones are named by city. `article` is the one
 * the place takes after "hora de" (hora de la República Dominicana); English says "Dominican Republic
 * time", with none.
 */
const ZONE_PLACES: Record<string, { es: string; en: string; article?: string }> = {
  'America/Belize': { es: 'Belice', en: 'Belize' },
  'America/Costa_Rica': { es: 'Costa Rica', en: 'Costa Rica' },
  'America/El_Salvador': { es: 'El Salvador', en: 'El Salvador' },
  'America/Guatemala': { es: 'Guatemala', en: 'Guatemala' },
  'America/Tegucigalpa': { es: 'Honduras', en: 'Honduras' },
  'America/Managua': { es: 'Nicaragua', en: 'Nicaragua' },
  'America/Panama': { es: 'Panamá', en: 'Panama' },
  'America/Santo_Domingo': { es: 'República Dominicana', en: 'Dominican Republic', article: 'la' },
  'America/Mexico_City': { es: 'Ciudad de México', en: 'Mexico City', article: 'la' },
  'America/Toronto': { es: 'Ottawa', en: 'Ottawa' },
  'America/New_York': { es: 'Washington D. C.', en: 'Washington, D.C.' },
};

/** The bare place a known zone is named after ("República Dominicana", "Mexico City"); undefined otherwise. */
export function zonePlace(timeZone: string, locale: Locale): string | undefined {
  return ZONE_PLACES[timeZone]?.[locale];
}

export interface FormatInstantOptions {
  locale: Locale;
  /** IANA zone of the person (or of the calendar, for a deadline). */
  timeZone: string;
  /** Place named in the zone label, in the person's language (e.g. the country's name). */
  place?: string;
  /** Append the zone label in parentheses (default true). */
  withZone?: boolean;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, kind: 'datetime' | 'date'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${kind}`;
  let f = partsCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'es' ? 'es' : 'en-US', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(kind === 'datetime'
        ? { hour: locale === 'es' ? '2-digit' : 'numeric', minute: '2-digit', hourCycle: locale === 'es' ? 'h23' : 'h12' }
        : {}),
    });
    partsCache.set(key, f);
  }
  return f;
}

function parts(f: Intl.DateTimeFormat, instant: Date): Partial<Record<Intl.DateTimeFormatPartTypes, string>> {
  const out: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = p.value;
  return out;
}

/** "hora de Costa Rica" / "Costa Rica time"; Intl's generic zone name for zones we do not know. */
export function zoneLabel(timeZone: string, locale: Locale, place?: string): string {
  const known = ZONE_PLACES[timeZone];
  const name = place ?? (known ? (locale === 'es' ? withArticle(known.es, known.article) : known.en) : undefined);
  if (name) return (locale === 'es' ? es : en)['time.zone_of']({ place: name });
  const generic = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  return generic ?? timeZone;
}

/** A day and time in the person's zone and language, with the zone named (see the module comment). */
export function formatInstant(instant: Date, options: FormatInstantOptions): string {
  const { locale, timeZone } = options;
  const p = parts(formatter(locale, timeZone, 'datetime'), instant);
  let hour = p.hour ?? '';
  if (locale === 'es' && hour === '24') hour = '00'; // guard against old ICU's h24 quirk
  const text =
    locale === 'es'
      ? `${p.weekday} ${p.day} de ${p.month} de ${p.year}, ${hour}:${p.minute}`
      : `${p.weekday}, ${p.month} ${p.day}, ${p.year}, ${hour}:${p.minute} ${(p.dayPeriod ?? '').toUpperCase()}`;
  return options.withZone === false ? text : `${text} (${zoneLabel(timeZone, locale, options.place)})`;
}

/**
 * A calendar date: "viernes 4 de diciembre de 2026" / "Friday, December 4, 2026". Accepts an instant (shown
 * in `timeZone`) or a `YYYY-MM-DD` day (shown as that day, whatever the zone).
 */
export function formatDate(day: Date | string, locale: Locale, timeZone = 'UTC'): string {
  let instant: Date;
  let zone = timeZone;
  if (typeof day === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
    if (!m) throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(day)}`);
    instant = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
    zone = 'UTC';
  } else {
    instant = day;
  }
  const p = parts(formatter(locale, zone, 'date'), instant);
  return locale === 'es' ? `${p.weekday} ${p.day} de ${p.month} de ${p.year}` : `${p.weekday}, ${p.month} ${p.day}, ${p.year}`;
}

/** "Costa Rica, México y Panamá" / "Costa Rica, Mexico and Panama" (no Oxford comma in the RCM's English). */
export function formatList(items: readonly string[], locale: Locale): string {
  const last = items[items.length - 1];
  if (last === undefined) return '';
  if (items.length === 1) return last;
  // Spanish "y" becomes "e" before an /i/ sound: "Francia e Italia" (but "y hielo").
  const and = locale === 'en' ? ' and ' : /^h?i(?![aeiouáéó])/i.test(last) ? ' e ' : ' y ';
  return `${items.slice(0, -1).join(', ')}${and}${last}`;
}

// ------------------------------------------------------------------------------- deadlines (messages helper)

/** English names that take "the" after "in": "in the Dominican Republic" (Spanish takes ZONE_PLACES' article). */
const IN_PLACE_EN: Record<string, string> = { 'America/Santo_Domingo': 'the Dominican Republic' };

const deadlineParts = new Map<string, Intl.DateTimeFormat>();
function deadlineFormatter(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let f = deadlineParts.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'es' ? 'es' : 'en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    deadlineParts.set(key, f);
  }
  return f;
}

export interface FormatDeadlineOptions {
  locale: Locale;
  /** The calendar's zone: the deadline is the end of a day (or a time) there. */
  calendarZone: string;
  /** The reader's zone. */
  timeZone: string;
}

/**
 * A deadline as people read it: the calendar's day and zone first, then the reader's own local time when
 * it differs, with no nested parentheses and no year (a consultation lasts days):
 *   es "fin del martes 8 de diciembre, hora de Costa Rica (miércoles 00:59 en Ottawa)"
 *   en "end of Tuesday 8 December, Costa Rica time (Wednesday 00:59 in Ottawa)"
 * A deadline that is not the last minute of a day reads "martes 8 de diciembre a las 15:00, hora de
 * Costa Rica" / "Tuesday 8 December at 15:00, Costa Rica time". A reader whose clock shows the same time
 * as the calendar's zone gets the first part only. It is a noun phrase for a field or after a colon.
 */
export function formatDeadline(instant: Date, o: FormatDeadlineOptions): string {
  const { locale } = o;
  const cal = parts(deadlineFormatter(locale, o.calendarZone), instant);
  const hour = cal.hour === '24' ? '00' : (cal.hour ?? '');
  const endOfDay = hour === '23' && cal.minute === '59';
  const day = locale === 'es' ? `${cal.weekday} ${cal.day} de ${cal.month}` : `${cal.weekday} ${cal.day} ${cal.month}`;
  const time = `${hour}:${cal.minute}`;
  const first =
    locale === 'es'
      ? `${endOfDay ? `fin del ${day}` : `${day} a las ${time}`}, ${zoneLabel(o.calendarZone, locale)}`
      : `${endOfDay ? `end of ${day}` : `${day} at ${time}`}, ${zoneLabel(o.calendarZone, locale)}`;
  const mine = parts(deadlineFormatter(locale, o.timeZone), instant);
  const sameClock = mine.weekday === cal.weekday && mine.hour === cal.hour && mine.minute === cal.minute;
  if (o.timeZone === o.calendarZone || sameClock) return first;
  const localTime = `${mine.weekday} ${mine.hour === '24' ? '00' : mine.hour}:${mine.minute}`;
  const known = ZONE_PLACES[o.timeZone];
  const place = known ? (locale === 'es' ? withArticle(known.es, known.article) : (IN_PLACE_EN[o.timeZone] ?? known.en)) : undefined;
  const where = place ? `${locale === 'es' ? 'en' : 'in'} ${place}` : undefined;
  return `${first} (${where ? `${localTime} ${where}` : `${localTime}, ${zoneLabel(o.timeZone, locale)}`})`;
}
