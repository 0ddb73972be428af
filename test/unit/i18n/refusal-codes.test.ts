import { describe, expect, it } from 'vitest';
import { LIMITS, REFUSAL_CODES } from '../../../src/domain/types.ts';
import { isMessageKey, refusalMessage, t } from '../../../src/i18n/index.ts';

// Every refusal the domain can return reaches a person as a sentence in their language.
describe('every domain refusal code has a message in both languages', () => {
  const details: Record<string, Record<string, number>> = {
    title_too_long: { max: LIMITS.titleMax },
    text_too_long: { max: LIMITS.textMax },
    reason_too_long: { max: LIMITS.reasonMax },
    justification_too_long: { max: LIMITS.justificationMax },
    invalid_days: { min: LIMITS.daysMin, max: LIMITS.daysMax },
  };
  for (const code of REFUSAL_CODES) {
    it(code, () => {
      expect(isMessageKey(`refusal.${code}`)).toBe(true);
      for (const locale of ['es', 'en'] as const) {
        const text = refusalMessage(locale, code, details[code] ?? {});
        expect(text).not.toBe(t(locale, 'refusal.unknown'));
        expect(text).not.toMatch(/undefined|NaN/);
      }
    });
  }
});
