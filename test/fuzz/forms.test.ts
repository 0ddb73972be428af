/**
 * Fuzzing the pure parsers that turn what a person typed into a command: the Slack forms' values
 * (src/adapters/slack/views.ts, manage-views.ts), the untrusted round-trips (button values, the forms'
 * private_metadata, the new-consultation modal's origin) and the `/crm` text (src/commands/catalogue.ts).
 *
 * For any input: never throws; bad values give errors keyed by the form's own inputs, in the person's
 * language; what a parser accepts, the domain accepts too (the same limits, counted the same way: a form
 * must neither let through what the domain refuses nor refuse what it accepts).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeOrigin, parseOrigin } from '../../src/adapters/slack/present.ts';
import { encodeManageMetadata, parseExtend, parseManageMetadata, parseRevise, parseWithdraw } from '../../src/adapters/slack/manage-views.ts';
import { OPAQUE_ID, parseButtonValue } from '../../src/adapters/slack/render.ts';
import { encodeReasonMetadata, NEW_CONSULTATION_INPUTS, parseNewConsultation, parseReason, parseReasonMetadata } from '../../src/adapters/slack/views.ts';
import { createBusinessCalendar } from '../../src/calendar/index.ts';
import { COMMAND_WORDS, parseCommand } from '../../src/commands/catalogue.ts';
import { parseDirectory } from '../../src/directory/load.ts';
import { decide } from '../../src/domain/decide.ts';
import { codePointLength, normalizeText, normalizeTitle, storableText } from '../../src/domain/text-version.ts';
import { LIMITS, type StartCommand } from '../../src/domain/types.ts';
import { participantsFrom } from '../../src/flows/people.ts';
import { buttonValue } from '../../src/messages/neutral.ts';
import { readFileSync } from 'node:fs';
import { FORMS, valuesArb, type FormId } from './form-values.ts';
import { check, jsonGarbage, nastyString, pollutionJson, report, runs, tally } from './support.ts';

afterAll(() => {
  console.log(report('forms'));
});

const NOW = new Date('2026-12-01T15:00:00.000Z');
const NOW_SEC = NOW.getTime() / 1000;
const locale = fc.constantFrom<'es' | 'en'>('es', 'en');
const directory = (() => {
  const r = parseDirectory(readFileSync('config/directory.example.yaml', 'utf8'));
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return r.directory;
})();
const calendar = createBusinessCalendar('secretariat', directory);
const staff = { personId: 'ana.rojas@example.org', name: 'Ana Rojas', platform: 'slack' as const, isStaff: true };

/** Every message a form shows is a whole sentence of the catalogue: no placeholder, no key, no code. */
function expectMessages(errors: Record<string, unknown>, inputs: readonly string[], what: string) {
  expect(Object.keys(errors).length, what).toBeGreaterThan(0);
  for (const [k, m] of Object.entries(errors)) {
    expect(inputs, `${what}: error on ${k}`).toContain(k);
    expect(typeof m, what).toBe('string');
    expect(m as string, what).toMatch(/\S/);
    expect(m as string, what).not.toMatch(/[{}]|^(refusal|form|slack)\.|undefined|NaN/);
  }
}

const formInputs = (form: FormId) => [...FORMS[form].text, ...FORMS[form].number, ...FORMS[form].datetime, ...FORMS[form].select] as string[];

/** Any value at all, or one shaped like a form's (mostly valid, some inputs replaced). */
const valuesFor = (form: FormId) => fc.oneof({ weight: 4, arbitrary: valuesArb(form, NOW_SEC) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) }, { weight: 1, arbitrary: jsonGarbage() });

describe('form values', () => {
  it('consultation_new: never throws, errors on its inputs, and what it accepts the domain starts', async () => {
    await check('consultation_new', fc.tuple(valuesFor('consultation_new'), locale), ([values, l]) => {
      const r = parseNewConsultation(values, NOW, l);
      const what = `${l} ${JSON.stringify(values)?.slice(0, 300)}`;
      tally('consultation_new', r.ok ? 'accepted' : 'errors');
      if (!r.ok) return expectMessages(r.errors, NEW_CONSULTATION_INPUTS, what);
      const v = r.value;
      const command: StartCommand = {
        type: 'start',
        consultationId: 'c-fuzz',
        actor: staff,
        reference: 'CRM-2026-001',
        title: v.title,
        text: v.text,
        locale: v.locale,
        ...(v.translation ? { translation: v.translation } : {}),
        deadline: v.deadlineAt ? { kind: 'explicit', at: v.deadlineAt.toISOString() } : { kind: 'business_days', days: v.days ?? 5 },
        ...(v.justification ? { justification: v.justification } : {}),
        rule: v.rule,
        positionsVisibility: v.positionsVisibility,
        participants: participantsFrom(directory),
      };
      const d = decide(undefined, command, { now: NOW, calendar });
      expect(d.ok ? 'started' : `${d.code} ${JSON.stringify(d.detail)}`, `${what}: the form accepted what the domain refuses`).toBe('started');
    }, runs(2500));
  });

  it('the limits are counted as the domain counts them (code points, after its normalisation)', async () => {
    const field = fc.constantFrom('title', 'proposal', 'justification');
    const piece = fc.constantFrom('a', 'é', 'e\u0301', '👩🏽‍💻', '🇨🇷', ' ', '\u0000', '\ud800', '\r\n');
    await check('limits', fc.tuple(field, fc.array(piece, { minLength: 150, maxLength: 2300 }), locale), ([id, pieces, l]) => {
      const value = pieces.join('');
      const values = {
        title: { title: { type: 'plain_text_input', value: id === 'title' ? value : 'Título' } },
        proposal: { proposal: { type: 'plain_text_input', value: id === 'proposal' ? value : 'Texto' } },
        days: { days: { type: 'number_input', value: '3' } },
        justification: { justification: { type: 'plain_text_input', value: id === 'justification' ? value : 'Urgente' } },
      };
      const r = parseNewConsultation(values, NOW, l);
      const max = id === 'title' ? LIMITS.titleMax : id === 'proposal' ? LIMITS.textMax : LIMITS.justificationMax;
      const kept = id === 'title' ? normalizeTitle(value) : id === 'proposal' ? normalizeText(value) : storableText(value).trim();
      const tooLong = codePointLength(kept) > max;
      const empty = kept === '';
      const error = r.ok ? undefined : r.errors[id as 'title'];
      tally('limits', tooLong ? 'too long' : empty ? 'empty' : 'fits');
      if (tooLong) expect(error, `${id} of ${codePointLength(kept)} code points`).toMatch(/\d/);
      else if (!empty) expect(error, `${id} of ${codePointLength(kept)} code points (${value.length} UTF-16 units) refused`).toBeUndefined();
    }, runs(600));
  });

  it('reason, revise, extend, withdraw: never throw, errors on their inputs, accepted values within the limits', async () => {
    const form = fc.constantFrom<Exclude<FormId, 'consultation_new'>>('reason', 'revise', 'extend', 'withdraw');
    await check('other forms', form.chain((f) => fc.tuple(fc.constant(f), valuesFor(f), locale)), ([f, values, l]) => {
      const what = `${f} ${l} ${JSON.stringify(values)?.slice(0, 300)}`;
      const r =
        f === 'reason' ? parseReason(values, l)
        : f === 'revise' ? parseRevise(values, l)
        : f === 'extend' ? parseExtend(values, NOW, l)
        : parseWithdraw(values, l);
      tally('other forms', `${f} ${r.ok ? 'accepted' : 'errors'}`);
      if (!r.ok) return expectMessages(r.errors, formInputs(f), what);
      const v = r.value as Record<string, unknown>;
      if (f === 'reason') expect(codePointLength(storableText(v as unknown as string).trim()), what).toBeLessThanOrEqual(LIMITS.reasonMax);
      if (f === 'reason') expect(storableText(r.value as string).trim(), `${what}: an empty reason accepted`).not.toBe('');
      if (f === 'revise') {
        expect(normalizeText(v.text as string), `${what}: empty text accepted`).not.toBe('');
        expect(codePointLength(normalizeText(v.text as string)), what).toBeLessThanOrEqual(LIMITS.textMax);
        if (v.title !== undefined) expect(codePointLength(normalizeTitle(v.title as string)), what).toBeLessThanOrEqual(LIMITS.titleMax);
      }
      if (f === 'extend') {
        expect(storableText(v.justification as string).trim(), what).not.toBe('');
        if ('days' in v) expect(Number.isInteger(v.days) && (v.days as number) >= LIMITS.daysMin && (v.days as number) <= LIMITS.daysMax, what).toBe(true);
        else expect((v.deadlineAt as Date).getTime() > NOW.getTime() && Number.isFinite((v.deadlineAt as Date).getTime()), what).toBe(true);
      }
      if (f === 'withdraw' && v.reason !== undefined) expect(codePointLength(storableText(v.reason as string).trim()), what).toBeLessThanOrEqual(LIMITS.reasonMax);
    }, runs(2500));
  });
});

describe('untrusted round trips', () => {
  const id = fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/));
  const anyText = fc.oneof(nastyString(), jsonGarbage().map((v) => JSON.stringify(v)), pollutionJson(), fc.anything().map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')));

  it('button values, reason and manage metadata, the modal origin: never throw; ours round-trip; anything else names no id with odd characters', async () => {
    await check('round trips', fc.tuple(id, id, anyText, fc.constantFrom('changes', 'object', 'position_object') as fc.Arbitrary<'changes'>), ([c, v, junk, kind]) => {
      expect(parseButtonValue(buttonValue(c, v))).toEqual({ consultationId: c, versionHash: v });
      expect(parseReasonMetadata(encodeReasonMetadata({ kind, consultationId: c, versionHash: v, card: { channel: 'D0APPHOME01', ts: '1764601200.000100' } }))).toEqual({ kind, consultationId: c, versionHash: v, card: { channel: 'D0APPHOME01', ts: '1764601200.000100' } });
      expect(parseManageMetadata(encodeManageMetadata({ consultationId: c, reference: 'CRM-2026-001', channelId: 'C0ST000001', originalLocale: 'en', resend: true }))).toEqual({ consultationId: c, reference: 'CRM-2026-001', channelId: 'C0ST000001', originalLocale: 'en', resend: true });
      expect(parseOrigin(encodeOrigin('C0ST000001'))).toBe('C0ST000001');
      for (const x of [junk, `{"c":${JSON.stringify(junk)},"v":"h"}`, `{"k":"object","c":${JSON.stringify(junk)},"v":"h"}`, `{"c":${JSON.stringify(junk)},"r":"CRM-2026-001"}`]) {
        const b = parseButtonValue(x);
        if (b) expect(OPAQUE_ID.test(b.consultationId) && OPAQUE_ID.test(b.versionHash), x).toBe(true);
        const r = parseReasonMetadata(x);
        if (r) expect(OPAQUE_ID.test(r.consultationId) && OPAQUE_ID.test(r.versionHash), x).toBe(true);
        const m = parseManageMetadata(x);
        if (m) expect(OPAQUE_ID.test(m.consultationId) && /^[A-Z0-9-]+$/.test(m.reference), x).toBe(true);
        const o = parseOrigin(x);
        if (o !== undefined) expect(o, x).toMatch(/^[CDG][A-Z0-9]+$/);
      }
    }, runs(1500));
  });
});

describe('/crm text', () => {
  const word = fc.oneof(fc.constantFrom(...Object.values(COMMAND_WORDS).flat(), 'CRM-2026-001', 'crm-2026-001', '5', '61', '0'), nastyString());
  it('parseCommand: never throws, always a command or the help, a named problem short enough to show', async () => {
    await check('parseCommand', fc.oneof(fc.array(word, { maxLength: 5 }).map((w) => w.join(' ')), fc.anything().map((v) => v as string)), (text) => {
      const p = parseCommand(text);
      tally('parseCommand', p.name);
      expect(['consult', 'status', 'list', 'deadline', 'help', 'revise', 'extend', 'withdraw', 'meeting', 'meetings', 'duties', 'observers', 'observer']).toContain(p.name);
      // An observer step names a case and a meeting as the store writes them, and an applicant's name is short.
      if (p.name === 'observer' && 'id' in p.step) expect(p.step.id).toMatch(/^OBS-\d{4}-\d{3,6}$/);
      if (p.name === 'observer' && 'meeting' in p.step) expect(p.step.meeting).toMatch(/^MTG-\d{4}-\d{3,6}$/);
      if (p.name === 'observer' && p.step.type === 'apply') expect([...p.step.applicant.name].length).toBeLessThanOrEqual(120);
      if (p.name === 'help' && p.problem && 'word' in p.problem) expect([...p.problem.word].length).toBeLessThanOrEqual(40);
      if (p.name === 'help' && p.problem && 'given' in p.problem) expect([...p.problem.given].length).toBeLessThanOrEqual(40);
      if ('reference' in p && p.reference) expect(p.reference).toMatch(/^CRM-\d{4}-\d{3,6}$/);
      if (p.name === 'deadline' && p.days !== undefined) expect(p.days >= LIMITS.daysMin && p.days <= LIMITS.daysMax).toBe(true);
    }, runs(3000));
  });

  it('the word the help names is cut at 40 characters, never inside one (found by the fuzzer)', () => {
    const p = parseCommand(`${'x'.repeat(39)}👩🏽‍💻`);
    expect(p).toMatchObject({ name: 'help', problem: { kind: 'unknown' } });
    const word = (p as { problem: { word: string } }).problem.word;
    expect(word).toBe(`${'x'.repeat(39)}👩`);
    expect(word).toBe(storableText(word));
    expect(parseCommand({} as string)).toEqual({ name: 'help' });
  });
});
