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
