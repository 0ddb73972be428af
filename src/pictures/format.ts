/** Short day-and-time for the pictures, in the reader's language and zone: "7 dic 2026, 09:00" / "Dec 7, 2026, 9:00 AM". */
import type { Locale } from '../directory/model.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

export function shortInstant(at: string, l: Locale, timeZone: string): string {
  const key = `${l}|${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(l === 'es' ? 'es' : 'en-US', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: l === 'es' ? '2-digit' : 'numeric',
      minute: '2-digit',
      hourCycle: l === 'es' ? 'h23' : 'h12',
    });
    cache.set(key, f);
  }
  return f.format(new Date(at)).replace(/\u202f|\u00a0/g, ' ');
}
