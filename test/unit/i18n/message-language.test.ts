/**
 * Every message the bot sends reads naturally, in both languages, for consultations that end every way:
 * no internal code, no doubled punctuation (a reason's own period included), no nested parentheses, no
 * placeholder left, and every country named in a sentence with its article (the United States, la
 * República Dominicana). The checker itself is shown catching each mistake first, and the corpus is
 * shown to cover every kind, outcome, rule, language and Member Country zone, so the test cannot pass
 * by rendering nothing or by checking nothing.
 */
import { describe, expect, it } from 'vitest';
import { notInDirectoryText } from '../../../src/interaction/refusals.ts';
import { noAccessHomeView } from '../../../src/adapters/slack/listeners/home.ts';
import { recordedDecision, whatText } from '../../../src/interaction/decisions.ts';
import { homeSections } from '../../../src/interaction/home.ts';
import { extendModal, reviseModal, withdrawModal } from '../../../src/adapters/slack/manage-views.ts';
import { homeView, newConsultationModal, reasonModal } from '../../../src/adapters/slack/views.ts';
import { findPerson, identify } from '../../../src/flows/people.ts';
import { renderRecordedCard } from '../../../src/adapters/slack/render.ts';
import { createBusinessCalendar } from '../../../src/calendar/business-calendar.ts';
import { deadlineMessage, latestStatusMessage, listMessage, statusMessage } from '../../../src/commands/answers.ts';
import { helpParagraphs } from '../../../src/commands/help.ts';
import type { ConsultationEvent } from '../../../src/domain/types.ts';
import type { Directory, Locale } from '../../../src/directory/model.ts';
import { deadLetterMessage } from '../../../src/jobs/deliver.ts';
import { catalogues, countryInText, formatInstant, refusalMessage, t, zoneLabel, type MessageKey } from '../../../src/i18n/index.ts';
import type { NeutralMessage } from '../../../src/messages/neutral.ts';
import { messageProblems, messageTexts, textProblems } from '../../helpers/language-checks.ts';
import { everyMessage, messageScenarios, outcomesOf, SCENARIO_SLACK, scenarioDirectory, type Scenario, type SentMessage } from '../../helpers/message-scenarios.ts';

const SCENARIO_OTHER = SCENARIO_SLACK.other;

const LOCALES: readonly Locale[] = ['es', 'en'];
const directory = scenarioDirectory();
/** The same directory with the ST channel in English, so the ST's messages are seen in both languages. */
const directoryEnSt: Directory = { ...structuredClone(directory), secretariat: { ...structuredClone(directory.secretariat), locale: 'en' } };
const scenarios: Scenario[] = [...messageScenarios(directory), ...messageScenarios(directoryEnSt)];
const sent: SentMessage[] = everyMessage(scenarios);

/** Problems of many messages as one list (empty when all read right), with where each one is. */
function problemsOf(items: readonly { label: string; message: NeutralMessage }[]): string[] {
  return items.flatMap(({ label, message }) => messageProblems(message, directory).map((p) => `${label} [${message.kind}, ${message.locale}] ${p}`));
}

const corpus = (locale: Locale) =>
  sent
    .filter((s) => s.message.locale === locale)
    .flatMap((s) => messageTexts(s.message).map((x) => x.text))
    .join('\n');

describe('the checker catches what it is for', () => {
  const bad: [Locale, string, RegExp][] = [
    ['es', 'Resultado: consensus.', /code "consensus"/],
    ['es', 'Etapa: member_consultation', /internal identifier/],
    ['en', 'Outcome: no_consensus', /internal identifier/],
    ['en', 'Decision rule: explicit.', /code "explicit" standing as a value/],
    ['en', 'Data folder in use by the embedded database', /embedded/],
    ['es', 'Use secretariat, all-members o un país.', /code "secretariat"|all-members/],
    ['es', 'Motivo: No estamos de acuerdo..', /doubled punctuation/],
    ['en', 'Objects; reason: not ready., by Jane', /doubled punctuation/],
    ['en', 'Deadline: Friday:.', /doubled punctuation/],
    ['es', 'Motivo: «No es urgente.». El texto revisado', /doubled punctuation/],
    ['en', 'Reason: "Not urgent.". The revised text', /doubled punctuation/],
    ['es', 'Aprueba (Ana, viernes 4 de diciembre, 10:00 (hora de Costa Rica))', /nested parentheses/],
    ['en', 'The position of undefined is requested', /placeholder/],
    ['en', 'Consultation {reference} opened', /placeholder/],
    ['es', 'Versión ? · abc', /placeholder/],
    ['en', 'The position of Dominican Republic is requested.', /without its article "the"/],
    ['en', 'Presented by United States.', /without its article "the"/],
    ['es', 'viernes 4 de diciembre de 2026, 23:59 (hora de República Dominicana)', /without its article "la"/],
    ['es', 'Se solicita la posición de República Dominicana sobre la propuesta.', /without its article "la"/],
    ['en', 'Dominican Republic has not answered.', /begins a sentence/],
  ];
  it.each(bad)('%s: %s', (locale, text, problem) => {
    expect(textProblems(text, locale, directory).join('\n')).toMatch(problem);
  });

  const good: [Locale, string][] = [
    ['en', 'The position of the Dominican Republic is requested. Abstentions do not prevent consensus.'],
    ['en', 'Objects; reason: not ready.'],
    ['en', 'Jennifer Walsh (United States) · Dominican Republic time'],
    ['en', 'No response: Belize, United States and Dominican Republic'],
    ['es', 'Sin respuesta: Belice, Estados Unidos y República Dominicana'],
    ['es', 'viernes 4 de diciembre de 2026, 23:59 (hora de la República Dominicana)'],
    ['es', '/crm estado [REF] (status): estado de una consulta (etapa, versión, Troika, respuestas y fecha límite).'],
    ['es', '… y 3 más. Véalas todas con /crm lista.'],
    ['en', 'Washington, D.C. time'],
    ['es', 'Plazo: viernes 4 de diciembre de 2026, 23:59 (hora de Washington D. C.).'],
    ['es', 'Motivo: «No es urgente». El texto revisado'],
    ['en', 'Reason: “Not urgent.” The revised text'],
  ];
  it.each(good)('reads right: %s: %s', (locale, text) => {
    expect(textProblems(text, locale, directory)).toEqual([]);
  });
});

describe('the scenarios cover every message kind, outcome, rule, language and zone', () => {
  it('every outcome and both rules', () => {
    expect([...outcomesOf(scenarios)].sort()).toEqual(['consensus', 'incomplete', 'no_consensus', 'not_endorsed', 'withdrawn']);
    expect(new Set(scenarios.map((s) => `${s.rule}:${s.final.outcome}`))).toEqual(
      new Set(['explicit:consensus', 'explicit:no_consensus', 'explicit:incomplete', 'silence:consensus', 'silence:no_consensus', 'explicit:not_endorsed', 'explicit:withdrawn']),
    );
  });

  it('every kind of message, each in both languages', () => {
    const kinds = ['troika_request', 'member_request', 'extension_notice', 'reminder', 'result_notice', 'digest', 'status', 'weekly_digest', 'card_update'];
    for (const kind of kinds) {
      for (const l of LOCALES) expect(sent.some((s) => s.kind === kind && s.message.locale === l), `${kind} in ${l}`).toBe(true);
    }
    // Reminders to both audiences; a revised text asked again; results of every outcome.
    expect(sent.some((s) => s.kind === 'reminder' && s.message.buttons.some((b) => b.actionId === 'troika_approve'))).toBe(true);
    expect(sent.some((s) => s.kind === 'reminder' && s.message.buttons.some((b) => b.actionId === 'position_support'))).toBe(true);
    for (const outcome of outcomesOf(scenarios)) {
      for (const l of LOCALES) {
        expect(sent.some((s) => s.kind === 'result_notice' && s.message.locale === l && s.message.fields.some((f) => f.value === t(l, `outcome.${outcome}`))), `${outcome} result in ${l}`).toBe(true);
      }
    }
  });

  it('countries that need an article are named in sentences with it, in both languages', () => {
    const en = corpus('en');
    const es = corpus('es');
    expect(en).toContain('The position of the United States is requested');
    expect(en).toContain('The position of the Dominican Republic is requested');
    expect(en).toContain('The Pro Tempore Presidency, held by the Dominican Republic, presents');
    expect(en).toContain('Recorded position of the United States');
    expect(es).toContain('Se solicita la posición de la República Dominicana');
    expect(es).toContain('La Presidencia Pro Tempore, a cargo de la República Dominicana, presenta');
    expect(es).toContain('hora de la República Dominicana');
  });

  it("every Member Country's zone is named in both languages, as the reader's zone", () => {
    const text = { es: corpus('es'), en: corpus('en') };
    for (const c of directory.countries.filter((x) => x.status === 'member')) {
      for (const l of LOCALES) expect(text[l], `${c.code} ${l}`).toContain(`(${zoneLabel(c.timezone, l)})`);
    }
    expect(text.en).toContain('(Central Time)');
  });

  it('the written procedure is explained as domain.md says: abstentions never block, every country must answer', () => {
    const explicit = sent.find((s) => s.kind === 'member_request' && s.message.locale === 'es' && s.scenario.includes('explicit'))!;
    expect(explicit.message.body.join(' ')).toContain('Hay consenso cuando todos los Países Miembros responden y ninguno objeta; las abstenciones no impiden el consenso.');
    const explicitEn = sent.find((s) => s.kind === 'member_request' && s.message.locale === 'en' && s.scenario.includes('explicit'))!;
    expect(explicitEn.message.body.join(' ')).toContain('There is consensus when every Member Country responds and none objects; abstentions do not prevent consensus.');
    for (const l of LOCALES) {
      expect(t(l, 'rule.explicit.explanation')).not.toMatch(/express|expreso|apoyo/i);
      expect(t(l, 'rule.silence.explanation')).toMatch(l === 'es' ? /no objeción.*abstenciones/ : /no objection.*abstentions/);
    }
  });
});

describe('every message reads right', () => {
  it('what each decision sends, the reminders, the request cards and the weekly digests', () => {
    expect(sent.length).toBeGreaterThan(1000);
    expect(problemsOf(sent.map((s) => ({ label: `${s.scenario} / ${s.step}`, message: s.message })))).toEqual([]);
  });

  it('the dead letters the ST gets for each of them', () => {
    const kinds = [...new Set(sent.map((s) => s.kind)), 'something_new'];
    const items = kinds.flatMap((kind) =>
      LOCALES.flatMap((l) =>
        (['unreachable', 'rejected', 'retries_exhausted'] as const).map((reason) => {
          const one = sent.find((s) => s.kind === kind) ?? sent[0]!;
          const message = deadLetterMessage(
            { id: 'o1', consultationId: one.message.consultationId || null, dedupeKey: 'k', platform: 'slack', recipient: one.row.recipient, kind, payload: one.message, status: 'dead', attempts: 5, nextAttemptAt: new Date(), lastError: null, receipt: null, createdAt: new Date(), sentAt: null },
            l,
            reason,
          );
          return { label: `dead letter of ${kind}`, message };
        }),
      ),
    );
    expect(problemsOf(items)).toEqual([]);
  });

  it('the /crm answers (status, latest, list, deadline) and the help, every problem included', () => {
    const states = scenarios.flatMap((s) => s.steps.map((x) => x.after));
    const open = states.filter((s) => s.stage === 'troika_review' || s.stage === 'member_consultation');
    const readers = [
      { locale: 'es' as const, timezone: 'America/Santo_Domingo' },
      { locale: 'en' as const, timezone: 'America/Mexico_City' },
      { locale: 'en' as const, timezone: 'America/Santo_Domingo' },
    ];
    const calendar = createBusinessCalendar('secretariat', directory);
    const result = calendar.deadlineAfter(new Date('2026-12-21T15:00:00Z'), 5);
    expect(result.skipped.some((d) => d.reason === 'holiday')).toBe(true);
    const items = readers.flatMap((r) => [
      ...states.map((s) => ({ label: `status of ${s.reference} at ${s.stage}`, message: statusMessage(s, directory, r) })),
      { label: 'latest', message: latestStatusMessage(open, directory, r) },
      { label: 'latest, none', message: latestStatusMessage([], directory, r) },
      { label: 'list', message: listMessage(open, directory, r) },
      { label: 'list, none', message: listMessage([], directory, r) },
      { label: 'deadline', message: deadlineMessage(result, 5, directory, r) },
      { label: 'deadline, one day', message: deadlineMessage(calendar.deadlineAfter(new Date('2026-12-01T15:00:00Z'), 1), 1, directory, r) },
    ]);
    const problems = [
      undefined,
      { kind: 'unknown' as const, word: 'estatus' },
      { kind: 'missing_reference' as const, command: 'revise' as const },
      { kind: 'invalid_reference' as const, command: 'status' as const, given: 'CRM-26' },
      { kind: 'invalid_days' as const, given: 'cinco' },
      { kind: 'extra_arguments' as const, command: 'list' as const },
    ];
    const help = LOCALES.flatMap((l) =>
      problems.map((problem) => {
        const h = helpParagraphs(l, problem ? { problem } : {});
        return { label: `help ${problem?.kind ?? ''}`, message: { kind: 'status', locale: l, consultationId: '', reference: '', heading: h.heading, body: h.lines, fields: [], buttons: [] } satisfies NeutralMessage };
      }),
    );
    expect(problemsOf([...items, ...help])).toEqual([]);
  });

  it('Slack: the recorded decision on a card, and every refusal a person can get', () => {
    const decided = scenarios.flatMap((s) =>
      s.steps.flatMap((x) => x.events.filter((e): e is Extract<ConsultationEvent, { type: 'troika_reacted' | 'position_recorded' }> => e.type === 'troika_reacted' || e.type === 'position_recorded')),
    );
    expect(decided.some((e) => e.reason?.endsWith('.'))).toBe(true);
    expect(decided.some((e) => e.reason?.endsWith('?'))).toBe(true);
    const card = sent.find((s) => s.kind === 'member_request')!.message;
    const lines = decided.flatMap((e) =>
      LOCALES.map((l) => {
        const rec = recordedDecision(e, directory, { locale: l, timezone: 'America/Santo_Domingo' });
        const rendered = renderRecordedCard({ ...card, locale: l }, rec);
        expect(rendered.text).toContain(t(l, 'card.recorded', rec).slice(0, 20));
        const body = [t(l, 'slack.decision_recorded', { what: rec.what, reference: 'CRM-2026-101' }), t(l, 'home.detail.answer', { what: rec.what, who: rec.who, when: rec.when }), rendered.text];
        return { label: `recorded ${e.type}`, message: { ...card, locale: l, heading: t(l, 'card.recorded', rec), body, fields: [], buttons: [] } };
      }),
    );
    const codes = Object.keys(catalogues.es).filter((k) => k.startsWith('refusal.')).map((k) => k.slice('refusal.'.length));
    const params = { max: 200, min: 1 };
    const refusals = LOCALES.flatMap((l) =>
      codes.map((code) => ({
        label: `refusal ${code}`,
        message: { kind: 'status', locale: l, consultationId: '', reference: '', heading: refusalMessage(l, code, params), body: [t(l, 'slack.not_done', { reason: refusalMessage(l, code, params) }), t(l, 'slack.consultation_not_started', { reason: refusalMessage(l, code, params) })], fields: [], buttons: [] } satisfies NeutralMessage,
      })),
    );
    expect(problemsOf([...lines, ...refusals])).toEqual([]);
    expect(whatText('es', { position: 'object', reason: 'No.' })).toBe('Objeta; motivo: No.');
  });

  it('Slack: someone not in the directory is told in both languages, Spanish first', () => {
    const text = notInDirectoryText();
    expect(text.indexOf(t('es', 'refusal.not_in_directory'))).toBe(0);
    expect(text).toContain(`\n\n${t('en', 'refusal.not_in_directory')}`);
    const home = noAccessHomeView('en', false);
    const blocks = JSON.stringify(home.blocks);
    expect(blocks).toContain(t('es', 'home.heading'));
    expect(blocks).toContain(t('en', 'home.heading'));
    expect(blocks).toContain('Usted no figura en el directorio');
    expect(blocks).toContain('You are not listed in the RCM directory');
    expect(JSON.stringify(noAccessHomeView('en', true).blocks)).not.toContain('Usted');
    const [es, en] = text.split('\n\n');
    expect(textProblems(es!, 'es', directory)).toEqual([]);
    expect(textProblems(en!, 'en', directory)).toEqual([]);
  });
});

/** The words of a Block Kit view or message a person reads (mrkdwn marks, escapes and emoji codes removed). */
function blockTexts(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'plain_text' || o.type === 'mrkdwn') && typeof o.text === 'string') out.push(o.text);
      for (const [k, x] of Object.entries(o)) if (k !== 'value' && k !== 'action_id' && k !== 'block_id' && k !== 'callback_id' && k !== 'private_metadata') walk(x);
    }
  };
  walk(blocks);
  return out.map((x) =>
    x
      .replace(/:[a-z_]+:/g, '')
      .replace(/[\u200B\u2060]/g, '')
      .replace(/(^|\s|\n)[*_]+|[*_]+(?=$|\s|\n|:)/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
}

describe('Slack forms and the Home tab read right', () => {
  it.each(LOCALES)('%s', (l) => {
    const m = { consultationId: 'c1', reference: 'CRM-2026-101' };
    const deadline = formatInstant(new Date('2026-12-08T05:59:59Z'), { locale: l, timeZone: 'America/Santo_Domingo' });
    const views = [
      newConsultationModal(l),
      ...(['changes', 'object', 'position_object'] as const).map((kind) => reasonModal(l, '{}', kind)),
      reviseModal(l, m, { title: 'Movilidad laboral', text: 'Texto.', version: 2 }),
      extendModal(l, m, { deadline }),
      withdrawModal(l, m, { title: 'Movilidad laboral' }),
    ];
    const states = scenarios.flatMap((x) => x.steps.map((step) => step.after));
    const open = states.filter((st) => st.stage === 'troika_review' || st.stage === 'member_consultation').slice(0, 12);
    const ended = scenarios.map((x) => x.final);
    const homes = ['U0MX0000001', 'U0DO0000001', SCENARIO_OTHER('US'), SCENARIO_OTHER('DO'), 'U0ST0000001', 'U0ST0000002'].map((userId) => {
      const known = findPerson(directory, { platform: 'slack', userId })!;
      const actor = identify(directory, { platform: 'slack', userId })!;
      const person = { userId, actor, known, locale: l, timezone: known.person.timezone };
      return homeView(l, homeSections(person, open, ended, directory), { canCreate: true, footer: t(l, 'home.updated', { when: deadline }) });
    });
    const texts = [...views.map((v) => ({ ...v, blocks: [...v.blocks, v.title, v.close ?? {}, v.submit ?? {}] })), ...homes].flatMap((v) => blockTexts(v.blocks));
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.flatMap((text) => textProblems(text, l, directory).map((p) => `${p} in ${JSON.stringify(text.slice(0, 80))}`))).toEqual([]);
  });
});

describe('every catalogue message, with realistic parameters, reads right', () => {
  // The parameters a message may take, as people would see them: a reason ending in its own period, a
  // date with its zone in parentheses, a country in its sentence form. A new message whose parameter has
  // another name gets a plain word.
  const samples = (l: Locale): Record<string, unknown> => {
    const when = formatInstant(new Date('2026-12-04T15:00:00Z'), { locale: l, timeZone: 'America/Santo_Domingo' });
    const country = countryInText(directory, 'DO', l);
    const reason = l === 'es' ? 'Falta consultar a las agencias.' : 'Our agencies have not been consulted yet.';
    const what = whatText(l, { position: 'object', reason });
    return {
      reference: 'CRM-2026-101', title: l === 'es' ? 'Movilidad laboral ordenada' : 'Orderly labour mobility', country, submittedBy: country,
      deadline: when, closedAt: when, since: when, when, date: l === 'es' ? 'jueves 24 de diciembre de 2026' : 'Thursday, December 24, 2026',
      reason, justification: reason, what, who: t(l, 'slack.who', { name: 'Yokasta Féliz', country: 'República Dominicana' }), name: l === 'es' ? 'Navidad' : 'Christmas Day',
      decision: t(l, 'troika_decision.changes'), position: t(l, 'position.abstain'), outcome: t(l, 'outcome.incomplete'), rule: t(l, 'rule.explicit'),
      place: 'Costa Rica', years: '2027', week: '2026-W49', word: 'estatus', given: 'CRM-26', usage: '/crm estado [REF]', cmd: '/crm estado [REF] (status)',
      requestId: 'slack-abc123', answers: '3/11', max: 200, min: 1, days: 5, count: 4, version: 2, reacted: 1, total: 3, support: 6, object: 2, abstain: 1, none: 2,
    };
  };
  /** Messages that build the `what` the others take: theirs is the bare decision. */
  const OWN: Partial<Record<MessageKey, (l: Locale) => Record<string, unknown>>> = {
    'slack.what_with_reason': (l) => ({ what: t(l, 'position.object') }),
  };
  const params = (l: Locale, key?: MessageKey) => {
    const values = { ...samples(l), ...(key ? OWN[key]?.(l) : {}) };
    return new Proxy(values, { get: (target, k: string) => target[k] ?? (l === 'es' ? 'Muestra' : 'Sample') });
  };

  it.each(LOCALES)('%s', (l) => {
    const problems: string[] = [];
    for (const key of Object.keys(catalogues[l]) as MessageKey[]) {
      const message: unknown = catalogues[l][key];
      const text = typeof message === 'function' ? (message as (p: unknown) => string)(params(l, key)) : String(message);
      // The days of a deadline also read right in the singular.
      const one = typeof message === 'function' ? (message as (p: unknown) => string)(new Proxy(params(l, key), { get: (t0, k: string) => (k === 'days' || k === 'count' ? 1 : (t0 as Record<string, unknown>)[k]) })) : '';
      for (const p of [...textProblems(text, l, directory), ...(one ? textProblems(one, l, directory) : [])]) problems.push(`${key}: ${p}`);
    }
    expect(problems).toEqual([]);
  });
});
