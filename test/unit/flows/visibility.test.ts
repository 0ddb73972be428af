/** Who sees which answers while it runs (src/domain/authority.ts maySee, the domain helper's), and /crm estado following it. */
import { describe, expect, it } from 'vitest';
import { statusLines } from '../../../src/commands/answers.ts';
import { maySee } from '../../../src/domain/authority.ts';
import { answer, directory, fp1, opened, step, ID, STAFF, who } from './fixtures.ts';

const viewer = (slack: string) => {
  const a = who(slack);
  return { personId: a.personId, isStaff: a.isStaff };
};
const answerOf = (country: string) => ({ kind: 'answer' as const, country });

describe('maySee', () => {
  const s = answer(opened().after, fp1('CR'), 'support').after;
  it('the ST and the PPT see every answer; a member its own only; observers none', () => {
    expect(maySee(s, viewer(STAFF), answerOf('CR'))).toBe(true);
    expect(maySee(s, viewer('U0PA0000002'), answerOf('CR'))).toBe(true);
    expect(maySee(s, viewer('U0CR0000002'), answerOf('CR'))).toBe(true);
    expect(maySee(s, viewer(fp1('US')), answerOf('CR'))).toBe(false);
    expect(maySee(s, viewer('U0JM0000001'), answerOf('CR'))).toBe(false);
  });
  it('members see the others at the close, or at once with positionsVisibility live', () => {
    expect(maySee({ ...s, positionsVisibility: 'live' }, viewer(fp1('US')), answerOf('CR'))).toBe(true);
    const withdrawn = step(s, { type: 'withdraw', consultationId: ID, actor: who(STAFF) }).after;
    expect(maySee(withdrawn, viewer(fp1('US')), answerOf('CR'))).toBe(true);
  });
});

describe('/crm estado follows it', () => {
  const s = answer(answer(opened().after, fp1('CR'), 'support').after, fp1('US'), 'object', 'Not now').after;
  const lines = (slack: string, state = s) => statusLines(state, directory, { locale: 'es', timezone: 'America/Costa_Rica', viewer: who(slack) });
  it('a member: its own answer, the count, not the others nor who is missing', () => {
    const us = lines(fp1('US'));
    expect(us).toContain('Estados Unidos: Objeta. Motivo: Not now.');
    expect(us.join('\n')).not.toContain('Costa Rica: Apoya');
    expect(us.join('\n')).not.toContain('Sin respuesta');
    expect(us).toContain('Respuestas: 2/11');
  });
  it('the PPT: every answer and who is missing; a member too when the setting is live', () => {
    for (const l of [lines('U0PA0000001'), lines(fp1('US'), { ...s, positionsVisibility: 'live' })]) {
      expect(l).toContain('Costa Rica: Apoya.');
      expect(l).toContain('Estados Unidos: Objeta. Motivo: Not now.');
      expect(l.find((x) => x.startsWith('Sin respuesta: '))).toBeDefined();
    }
  });
});
