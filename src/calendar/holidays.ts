/**
 * Holiday sets per calendar and year: the `date-holidays` baseline (types per ./corrections.ts), then the
 * shipped corrections, then the directory's local overrides. Instances and per-year sets are cached.
 */
import Holidays from 'date-holidays';
import type { HolidayOverride } from '../directory/model.ts';
import { type DayNumber, parseDay, yearOf } from './civil.ts';
import { CORRECTIONS, COUNTED_TYPES, DEFAULT_COUNTED_TYPES, VERIFIED_YEARS } from './corrections.ts';

/** Where the directory names only the country, the capital's region is meant. */
export const DEFAULT_REGIONS: Readonly<Record<string, string>> = { CA: 'CA-ON', US: 'US-DC' };

export class UnknownCalendarError extends RangeError {
  constructor(readonly calendar: string) {
    super(`unknown holiday calendar "${calendar}" (expected a date-holidays id such as CR, CA-ON, US-DC)`);
    this.name = 'UnknownCalendarError';
  }
}

/** `ca-on` -> `CA-ON`; `CA` -> `CA-ON`; `US` -> `US-DC`; others upper-cased. */
export function normalizeCalendarId(id: string): string {
  const up = id.trim().toUpperCase();
  return DEFAULT_REGIONS[up] ?? up;
}

// ---- date-holidays instances -----------------------------------------------------------------------
let countryList: Record<string, string> | undefined;
const instances = new Map<string, Holidays | null>();

function instanceFor(calendar: string): Holidays | null {
  if (instances.has(calendar)) return instances.get(calendar) ?? null;
  const [country, state, region, ...rest] = calendar.split('-');
  let hd: Holidays | null = null;
  countryList ??= new Holidays().getCountries();
  if (country && rest.length === 0 && /^[A-Z]{2}$/.test(country) && countryList[country]) {
    const probe = new Holidays();
    const states = state ? probe.getStates(country) : undefined;
    const regions = state && region ? probe.getRegions(country, state) : undefined;
    const stateOk = !state || (states !== undefined && state in states);
    const regionOk = !region || (regions !== undefined && region in regions);
    if (stateOk && regionOk) {
      hd = region ? new Holidays(country, state ?? '', region) : state ? new Holidays(country, state) : new Holidays(country);
    }
  }
  instances.set(calendar, hd);
  return hd;
}

/** True when `id` (after normalisation) is a calendar date-holidays knows. */
export function isKnownCalendar(id: string): boolean {
  return instanceFor(normalizeCalendarId(id)) !== null;
}

export function assertKnownCalendar(id: string): string {
  const cal = normalizeCalendarId(id);
  if (!instanceFor(cal)) throw new UnknownCalendarError(id);
  return cal;
}

// ---- per-year sets ---------------------------------------------------------------------------------
export type HolidayMap = ReadonlyMap<DayNumber, string>;

const shippedCache = new Map<string, Map<DayNumber, string>>();

const correctionsByCalendarYear = (() => {
  const byKey = new Map<string, typeof CORRECTIONS[number][]>();
  for (const c of CORRECTIONS) {
    const key = `${c.calendar}|${c.date.slice(0, 4)}`;
    const list = byKey.get(key) ?? [];
    list.push(c);
    byKey.set(key, list);
  }
  return byKey;
})();

/** Baseline + shipped corrections for one calendar (normalised id) and year. */
export function shippedHolidays(calendar: string, year: number): HolidayMap {
  const key = `${calendar}|${year}`;
  let set = shippedCache.get(key);
  if (set) return set;
  const hd = instanceFor(calendar);
  if (!hd) throw new UnknownCalendarError(calendar);
  set = new Map();
  const types = COUNTED_TYPES[calendar] ?? DEFAULT_COUNTED_TYPES;
  for (const h of hd.getHolidays(year)) {
    if (!types.includes(h.type)) continue;
    const day = parseDay(h.date.slice(0, 10));
    if (yearOf(day) !== year) continue;
    const prev = set.get(day);
    set.set(day, prev && prev !== h.name ? `${prev} / ${h.name}` : h.name);
  }
  for (const c of correctionsByCalendarYear.get(key) ?? []) {
    const day = parseDay(c.date);
    if (c.action === 'remove') set.delete(day);
    else set.set(day, c.name.es === c.name.en ? c.name.es : `${c.name.es} / ${c.name.en}`);
  }
  shippedCache.set(key, set);
  return set;
}

export function isVerifiedYear(calendar: string, year: number): boolean {
  return VERIFIED_YEARS[normalizeCalendarId(calendar)]?.includes(year) ?? false;
}

/** Verified years per calendar (copy). */
export function verifiedYears(): Record<string, number[]> {
  return Object.fromEntries(Object.entries(VERIFIED_YEARS).map(([k, v]) => [k, [...v]]));
}

/**
 * Holiday lookups with a set of directory overrides applied on top of the shipped data.
 * Overrides never turn a weekend into a working day; `kind: working` only removes a holiday.
 */
export class HolidayTable {
  private readonly overrides = new Map<string, Map<DayNumber, { kind: 'holiday' | 'working'; name: string }>>();
  private readonly cache = new Map<string, HolidayMap>();

  constructor(overrides: readonly HolidayOverride[] = []) {
    for (const o of overrides) {
      const key = `${normalizeCalendarId(o.calendar)}|${o.date.slice(0, 4)}`;
      const m = this.overrides.get(key) ?? new Map();
      m.set(parseDay(o.date), { kind: o.kind ?? 'holiday', name: o.name });
      this.overrides.set(key, m);
    }
  }

  /** Holidays (day number -> name) of a normalised calendar id in a year. */
  holidays(calendar: string, year: number): HolidayMap {
    const key = `${calendar}|${year}`;
    let set = this.cache.get(key);
    if (set) return set;
    const shipped = shippedHolidays(calendar, year);
    const local = this.overrides.get(key);
    if (!local) {
      set = shipped;
    } else {
      const merged = new Map(shipped);
      for (const [day, o] of local) {
        if (o.kind === 'working') merged.delete(day);
        else merged.set(day, o.name);
      }
      set = merged;
    }
    this.cache.set(key, set);
    return set;
  }

  /** The holiday name on `day`, or undefined. `calendar` must be normalised. */
  holidayName(calendar: string, day: DayNumber): string | undefined {
    return this.holidays(calendar, yearOf(day)).get(day);
  }
}

/** The table with no directory overrides (shared). */
export const SHIPPED = new HolidayTable();
