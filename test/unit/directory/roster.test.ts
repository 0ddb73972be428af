import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PresidencyTerm } from '../../../src/directory/model.ts';
import { presidencyAt } from '../../../src/directory/presidency.ts';
import { addDays, presidencyGaps } from '../../../src/directory/roster.ts';

describe('presidencyGaps', () => {
  it('finds the uncovered days between terms', () => {
    const terms: PresidencyTerm[] = [
      { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
      { country: 'PA', from: '2026-11-20' },
      { country: 'MX', from: '2025-11-20', to: '2026-11-19' },
    ];
    expect(presidencyGaps(terms).map(({ from, to }) => ({ from, to }))).toEqual([{ from: '2025-11-14', to: '2025-11-19' }]);
  });

  it('no gaps in a contiguous roster, nor after an open-ended term', () => {
    expect(
      presidencyGaps([
        { country: 'HN', from: '2024-11-15', to: '2025-11-13' },
        { country: 'MX', from: '2025-11-14' },
        { country: 'PA', from: '2027-01-01', to: '2027-12-31' },
      ]),
    ).toEqual([]);
  });

  it('property: a day between the first and last term is in a gap iff no PPT is in office', () => {
    const roster = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 6 })
      .map((spans) => {
        let day = '2020-01-01';
        return spans.map(([gap, len], i) => {
          const from = addDays(day, gap);
          const to = addDays(from, len);
          day = addDays(to, 1);
          return { country: `C${i}`, from, to } satisfies PresidencyTerm;
        });
      });
    fc.assert(
      fc.property(roster, (terms) => {
        const gaps = presidencyGaps(terms);
        const last = terms[terms.length - 1]!.to!;
        for (let d = terms[0]!.from; d <= last; d = addDays(d, 1)) {
          const inGap = gaps.some((g) => g.from <= d && d <= g.to);
          expect(inGap).toBe(presidencyAt(terms, d) === undefined);
        }
      }),
    );
  });
});
