import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  catalogues,
  refusalMessage,
  t,
  type Catalogue,
  type MessageKey,
  type OutcomeKey,
  type PositionKey,
  type RefusalCode,
} from '../../../src/i18n/index.ts';
import type { Outcome, RefusalCode as DomainRefusalCode } from '../../../src/domain/types.ts';
import { en } from '../../../src/i18n/messages.en.ts';
import { es } from '../../../src/i18n/messages.es.ts';

/** Sample parameters: every string parameter gets "X", every number 2. Enough to call every message. */
const sampleParams = new Proxy({} as Record<string, unknown>, {
  get: (_t, prop) => (['max', 'min', 'days', 'version', 'support', 'object', 'abstain', 'none'].includes(String(prop)) ? 2 : 'X'),
});

function render(message: unknown): string {
  return typeof message === 'function' ? (message as (p: unknown) => string)(sampleParams) : String(message);
}

describe('catalogues', () => {
  it('es and en have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(es).sort());
  });

  it('each key is a string in both or a function in both, with the same arity', () => {
    for (const key of Object.keys(es) as MessageKey[]) {
      expect(typeof en[key], key).toBe(typeof es[key]);
      if (typeof es[key] === 'function') expect((en[key] as () => string).length, key).toBe((es[key] as () => string).length);
    }
  });

  it('no message is empty, blank, or renders "undefined"/"NaN"/"[object"', () => {
    for (const [locale, catalogue] of Object.entries(catalogues)) {
      for (const [key, message] of Object.entries(catalogue)) {
        const text = render(message);
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(text, `${locale} ${key}`).not.toMatch(/undefined|NaN|\[object/);
        expect(text, `${locale} ${key}`).toBe(text.trim());
      }
    }
  });

  it('English messages contain no Spanish-only characters', () => {
    for (const [key, message] of Object.entries(en)) expect(render(message), key).not.toMatch(/[ñáéíóú¿¡«»]/i);
  });

  it('has a message for every refusal code and outcome of the domain, and names positions as people say them', () => {
    // Checked by tsc against the domain's own types (not a copy of the catalogue's keys): every code the
    // domain can refuse with has a message; the outcomes with a message are exactly the domain's.
    expectTypeOf<DomainRefusalCode>().toExtend<RefusalCode>();
    expectTypeOf<OutcomeKey>().toEqualTypeOf<Outcome>();
    const positions: Record<PositionKey, [string, string]> = {
      support: ['Apoya', 'Supports'],
      object: ['Objeta', 'Objects'],
      abstain: ['Se abstiene', 'Abstains'],
      none: ['Sin respuesta', 'No response'],
    };
    for (const [p, [sp, eng]] of Object.entries(positions) as [PositionKey, [string, string]][]) {
      expect(t('es', `position.${p}`)).toBe(sp);
      expect(t('en', `position.${p}`)).toBe(eng);
    }
  });
});

describe('t', () => {
  it('plain messages take no parameters; parameterised ones require theirs', () => {
    expect(t('es', 'refusal.not_authorized')).toBe('No tiene autorización para realizar esta acción.');
    expect(t('en', 'refusal.invalid_days', { min: 1, max: 30 })).toBe(
      'The number of business days must be a whole number between 1 and 30.',
    );
    expect(t('es', 'member_request.heading', { reference: 'CRM-2026-007' })).toBe(
      'Consulta especial CRM-2026-007: se solicita su posición',
    );
    // Type-level: wrong or missing parameters do not compile.
    // @ts-expect-error missing params
    expect(() => t('en', 'refusal.invalid_days')).toThrow();
    // @ts-expect-error params on a plain string
    t('en', 'position.support', { x: 1 });
    // @ts-expect-error unknown key
    t('en', 'position.maybe');
    // @ts-expect-error wrong parameter type
    t('en', 'refusal.invalid_days', { min: '1', max: 30 });
  });

  it('pluralises business days', () => {
    expect(t('es', 'deadline.summary', { days: 1, deadline: 'D' })).toBe('Una consulta circulada ahora cerraría tras 1 día hábil. Fecha límite: D.');
    expect(t('en', 'deadline.summary', { days: 5, deadline: 'D' })).toBe('A consultation circulated now would close after 5 business days. Deadline: D.');
  });
});

describe('refusalMessage (codes as plain strings from the domain)', () => {
  it('known code without parameters', () => {
    expect(refusalMessage('es', 'stale_version')).toMatch(/^El texto de la propuesta cambió/);
  });
  it('known code with parameters', () => {
    expect(refusalMessage('en', 'invalid_days', { min: 1, max: 60 })).toBe(
      'The number of business days must be a whole number between 1 and 60.',
    );
  });
  it('unknown code, or missing parameters → the generic refusal, never "undefined"', () => {
    expect(refusalMessage('es', 'no_such_code')).toBe(t('es', 'refusal.unknown'));
    expect(refusalMessage('en', 'text_too_long')).toBe(t('en', 'refusal.unknown'));
    expect(refusalMessage('en', '__proto__')).toBe(t('en', 'refusal.unknown'));
  });
});

describe('type check fails on a catalogue missing a key', () => {
  it('is enforced by the Catalogue type (checked by tsc; this test documents it)', () => {
    const { 'position.support': _dropped, ...incomplete } = en;
    // @ts-expect-error a catalogue without 'position.support' is not a Catalogue
    const broken: Catalogue = incomplete;
    // @ts-expect-error an extra key is refused too
    const extra: Catalogue = { ...en, 'position.maybe': 'Maybe' };
    // @ts-expect-error a function message cannot become a plain string
    const wrongShape: Catalogue = { ...en, 'refusal.invalid_days': 'Invalid days' };
    expect([broken, extra, wrongShape]).toHaveLength(3);
  });
});
