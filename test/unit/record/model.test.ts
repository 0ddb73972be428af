import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../src/domain/types.ts';
import { buildRecord, RECORD_FORMAT } from '../../../src/record/model.ts';
import { renderText } from '../../../src/record/text.ts';
import { DAY, T0, at } from '../domain/fixtures.ts';
import { TRANSLATION, directory, fullStory, notEndorsed, withdrawn } from './scenario.ts';

const ISO_WITH_CR_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-06:00$/;

describe('the audit-record model', () => {
  const story = fullStory();
  const r = buildRecord(story.input());

  it('has every event in order, each instant in ISO-8601 with the ST offset', () => {
    expect(r.format).toBe(RECORD_FORMAT);
    expect(r.events.map((e) => e.seq)).toEqual(story.events.map((_, i) => i + 1));
    expect(r.events.map((e) => e.type)).toEqual(story.events.map((e) => e.type));
    for (const e of r.events) expect(e.at).toMatch(ISO_WITH_CR_OFFSET);
    expect(r.events[0]!.at).toBe('2026-03-02T09:00:00-06:00');
    expect(r.timeZone).toBe('America/Costa_Rica');
    expect(r.generatedAt).toMatch(ISO_WITH_CR_OFFSET);
  });

  it('names the country, the position, the reason, the version number and full hash, and who acted', () => {
    const objection = r.events.find((e) => e.type === 'position_recorded' && e.position === 'object')!;
    expect(objection).toMatchObject({
      country: { code: 'CR', name: { es: 'Costa Rica', en: 'Costa Rica' } },
      reason: 'Falta una consulta interna, "urgente".\nVolveremos a escribir.',
      version: { number: 2, hash: story.s.currentVersion },
      who: { name: 'Focal 2 CR', role: 'focal_point', country: { code: 'CR' }, platform: 'slack' },
    });
    expect(objection.version!.hash).toMatch(/^[0-9a-f]{64}$/);
    const us = r.events.find((e) => e.type === 'position_recorded' && e.country?.code === 'US')!;
    expect(us.who).toMatchObject({ platform: 'teams', country: { name: { es: 'Estados Unidos', en: 'United States' } } });
    const extended = r.events.find((e) => e.type === 'deadline_extended')!;
    expect(extended).toMatchObject({ who: { role: 'staff', name: 'Ana Rojas' }, reason: expect.stringContaining('feriados') });
    expect(extended.deadline).toMatch(ISO_WITH_CR_OFFSET);
    expect(extended.previousDeadline).toMatch(ISO_WITH_CR_OFFSET);
    expect(r.events.at(-1)).toMatchObject({ type: 'consultation_closed', outcome: 'no_consensus', closeReason: 'deadline', who: { role: 'system', personId: null } });
  });

  it('keeps every text version, with the translation when the author gave one', () => {
    expect(r.versions).toHaveLength(2);
    expect(r.versions[0]).not.toHaveProperty('translation');
    expect(r.versions[1]).toMatchObject({ number: 2, locale: 'es', translation: TRANSLATION, title: 'Protección consular de personas migrantes (revisada)' });
    expect(r.currentVersion).toEqual({ number: 2, hash: story.s.currentVersion });
  });

  it('has one row per Member Country with its final position, and the earlier ones counted', () => {
    expect(r.members.map((m) => m.country.code)).toEqual(story.s.participants.members.map((m) => m.code));
    expect(r.members).toHaveLength(11);
    const cr = r.members.find((m) => m.country.code === 'CR')!;
    expect(cr).toMatchObject({ position: 'object', earlier: 1, who: { name: 'Focal 2 CR' }, version: { number: 2 } });
    expect(r.members.find((m) => m.country.code === 'GT')).toMatchObject({ position: 'none', earlier: 0 });
    expect(r.counts).toEqual({ support: 0, object: 1, abstain: 1, none: 9 });
    expect(r.missing).toHaveLength(9);
  });

  it('shows each Troika country with its seat and latest reaction, the author implicit', () => {
    expect(r.troika?.rows.map((x) => [x.country.code, x.seat, x.reaction, x.author])).toEqual([
      ['HN', 'previous', 'approve', false],
      ['MX', 'current', 'approve', true],
      ['PA', 'next', 'approve', false],
    ]);
    expect(r.troika?.rows[1]).toMatchObject({ implicit: true });
    expect(r.troika?.rows[1]).not.toHaveProperty('who');
  });

  it('lists every refused attempt: who (name, role, country, platform), what, why', () => {
    expect(r.refusals).toHaveLength(2);
    expect(r.refusals[0]).toMatchObject({
      attempted: 'recordPosition',
      code: 'not_focal_point_of_country',
      position: 'support',
      country: { code: 'CR' },
      version: { number: 2 },
      who: { name: 'Focal 1 GT', role: 'focal_point', country: { code: 'GT' }, platform: 'slack' },
    });
    expect(r.refusals[0]!.at).toBe('2026-03-02T17:00:00-06:00');
    expect(r.refusals[1]).toMatchObject({ code: 'not_member_country', who: { country: { name: { es: 'Argentina' } }, platform: 'teams' } });
  });

  it('reads refusals recorded before attempts were kept from the live directory', () => {
    const input = story.input();
    const old = { type: 'reactTroika', result: { ok: false, code: 'not_troika_member' }, attempt: null, actorPersonId: 'luis.mora@example.org', actorPlatform: 'slack', createdAt: at(DAY) };
    const system = { type: 'close', result: { ok: false, code: 'deadline_not_reached' }, attempt: null, actorPersonId: 'system', actorPlatform: 'system', createdAt: at(2 * DAY) };
    const rec = buildRecord({ ...input, refusals: [system, old] });
    expect(rec.refusals.map((x) => x.code)).toEqual(['not_troika_member', 'deadline_not_reached']);
    expect(rec.refusals[0]).toMatchObject({ who: { name: 'Luis Mora Solís', role: 'focal_point', country: { code: 'CR' } } });
    expect(rec.refusals[1]).toMatchObject({ who: { role: 'system', personId: null } });
  });

  it('covers every kind of event across the three ways a consultation ends', () => {
    const seen = new Set([fullStory(), notEndorsed(), withdrawn()].flatMap((p) => buildRecord(p.input()).events.map((e) => e.type)));
    expect([...seen].sort()).toEqual([...EVENT_TYPES].sort());
    const ne = buildRecord(notEndorsed().input());
    expect(ne).toMatchObject({ outcome: 'not_endorsed', endReason: 'No es urgente.', missing: [] });
    expect(ne.events.at(-1)).toMatchObject({ type: 'consultation_not_endorsed', country: { code: 'PA' }, reaction: 'object' });
    const wd = buildRecord(withdrawn().input());
    expect(wd.events.at(-1)).toMatchObject({ type: 'consultation_withdrawn', fromStage: 'troika_review', reason: 'Se tratará en la reunión del GRCM.' });
  });

  it('is plain JSON: serialising and parsing gives the same record', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('is the same record whatever the generation time, except generatedAt', () => {
    const other = buildRecord({ ...story.input(), generatedAt: T0 });
    expect({ ...other, generatedAt: '' }).toEqual({ ...r, generatedAt: '' });
  });

  it('directory in use: country names come from the live directory', () => {
    expect(directory.countries.find((c) => c.code === 'DO')?.name.es).toBe('República Dominicana');
    expect(r.members.find((m) => m.country.code === 'DO')?.country.name).toEqual({ es: 'República Dominicana', en: 'Dominican Republic' });
  });
});

describe('the record as text (crm consultations show)', () => {
  const story = fullStory();
  const r = buildRecord(story.input());

  it('reads in Spanish: every event in words, with version number and full hash, who and when', () => {
    const text = renderText(r, 'es');
    expect(text).toContain('Registro de la consulta CRM-2026-003');
    expect(text).toContain('Cronología');
    expect(text).toContain('Intentos rechazados');
    expect(text).toMatch(new RegExp(`9 · 2026-03-02T15:00:00-06:00 · Posición registrada · Costa Rica · Objeta · Versión 2 · ${story.s.currentVersion}`));
    expect(text).toContain('Quién: Focal 2 CR · Punto focal · Costa Rica · Slack');
    expect(text).toContain('Motivo: Falta una consulta interna, "urgente".');
    expect(text).toContain('Traducción (inglés): Consular protection of migrants (revised)');
    expect(text).toContain('Focal 1 GT · Punto focal · Guatemala · Slack');
    expect(text).toContain('Qué: Registrar una posición: Apoya, Costa Rica, Versión 2');
    expect(text).toMatch(/Respuesta dada: Solo los puntos focales/);
    // No internal codes in front of a reader.
    for (const code of ['position_recorded', 'not_focal_point_of_country', 'member_consultation', 'no_consensus', 'focal_point']) expect(text).not.toContain(code);
  });

  it('reads in English too', () => {
    const text = renderText(r, 'en');
    expect(text).toContain('Record of consultation CRM-2026-003');
    expect(text).toContain('Timeline');
    expect(text).toContain('Position recorded · Costa Rica · Objects · Version 2');
    expect(text).toContain('Translation (English)');
    expect(text).toContain('Refused attempts');
    expect(text).toContain('Deadline extended');
  });
});
