import { describe, expect, it } from 'vitest';
import { isIso3166Alpha2, ISO_3166_ALPHA2 } from '../../../src/directory/iso3166.ts';
import { calendarProblem, dateProblem, timeZoneProblem } from '../../../src/directory/validators.ts';

describe('timeZoneProblem', () => {
  it.each(['America/Costa_Rica', 'America/Toronto', 'UTC', 'Etc/UTC', 'America/Argentina/Buenos_Aires', 'America/Buenos_Aires'])(
    'accepts %s',
    (z) => expect(timeZoneProblem(z)).toBeUndefined(),
  );
  it.each(['America/San_Jose', 'Mars/Olympus', '+01:00', 'GMT+1 ', '', 'america/toronto'])('rejects %j', (z) =>
    expect(timeZoneProblem(z)).toBeTypeOf('string'),
  );
});

describe('calendarProblem', () => {
  it.each(['CR', 'CA-ON', 'US-DC', 'GT-1', 'DE-BY-A', 'MX'])('accepts %s', (c) => expect(calendarProblem(c)).toBeUndefined());
  it.each(['XX', 'CA-XX', 'DE-BY-ZZZ', 'CR-', '-CR', 'US-DC-X-Y', ''])('rejects %j', (c) =>
    expect(calendarProblem(c)).toBeTypeOf('string'),
  );
});

describe('dateProblem', () => {
  it.each(['2026-12-24', '2024-02-29'])('accepts %s', (d) => expect(dateProblem(d)).toBeUndefined());
  it.each(['2025-02-29', '2026-13-01', '2026-12-24T00:00', '26-12-24', ''])('rejects %j', (d) =>
    expect(dateProblem(d)).toBeTypeOf('string'),
  );
});

describe('ISO 3166-1 alpha-2', () => {
  it('has the 249 assigned codes, all named by Intl', () => {
    expect(ISO_3166_ALPHA2.size).toBe(249);
    const names = new Intl.DisplayNames('en', { type: 'region' });
    for (const c of ISO_3166_ALPHA2) expect(names.of(c), c).not.toBe(c);
  });
  it('excludes reserved codes', () => {
    for (const c of ['UK', 'EU', 'XK', 'AC', 'ZZ']) expect(isIso3166Alpha2(c), c).toBe(false);
    for (const c of ['CR', 'DO', 'BZ', 'SS', 'CW']) expect(isIso3166Alpha2(c), c).toBe(true);
  });
});
