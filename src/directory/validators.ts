/**
 * Leaf checks used by the schema: time zones (Intl), holiday calendar ids (date-holidays), dates.
 * Each returns `undefined` when the value is fine, else the problem text (without the field path).
 */
import Holidays from 'date-holidays';

let zones: ReadonlySet<string> | undefined;
function supportedZones(): ReadonlySet<string> {
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return zones;
}

/**
 * An IANA zone name the runtime knows. Canonical names and the aliases Intl accepts (UTC, Etc/UTC,
 * America/Buenos_Aires, ...) pass; UTC offsets ("+02:00") and wrongly-cased names do not.
 */
export function timeZoneProblem(zone: string): string | undefined {
  if (supportedZones().has(zone)) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone) || /^[+-]/.test(zone)) {
    return `expected an IANA time zone name such as America/Costa_Rica, got "${zone}"`;
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return `unknown time zone "${zone}"`;
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) {
    return `unknown time zone "${zone}" (did you mean "${resolved}"?)`;
  }
  return undefined;
}

let holidays: Holidays | undefined;
function hd(): Holidays {
  holidays ??= new Holidays();
  return holidays;
}

/** A date-holidays calendar id: COUNTRY, COUNTRY-STATE or COUNTRY-STATE-REGION (e.g. CR, CA-ON, US-DC). */
export function calendarProblem(id: string): string | undefined {
  const parts = id.split('-');
  const [country, state, region, ...rest] = parts;
  if (!country || rest.length > 0 || parts.some((p) => p === '')) {
    return `expected a holiday calendar id such as CR, CA-ON or US-DC, got "${id}"`;
  }
  const countries = hd().getCountries('en');
  if (!Object.hasOwn(countries, country)) return `unknown holiday calendar "${id}" (no country "${country}" in date-holidays)`;
  if (state === undefined) return undefined;
  const states = hd().getStates(country, 'en') ?? {};
  if (!Object.hasOwn(states, state)) return `unknown holiday calendar "${id}" (${country} has no region "${state}" in date-holidays)`;
  if (region === undefined) return undefined;
  const regions = hd().getRegions(country, state, 'en') ?? {};
  if (!Object.hasOwn(regions, region)) return `unknown holiday calendar "${id}" (${country}-${state} has no sub-region "${region}")`;
  return undefined;
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD. */
export function dateProblem(value: string): string | undefined {
  const m = YMD.exec(value);
  if (!m) return `expected a date YYYY-MM-DD, got "${value}"`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    return `${value} is not a calendar date`;
  }
  return undefined;
}

export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
/** Microsoft Entra object ids are GUIDs. */
export const ENTRA_OBJECT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
