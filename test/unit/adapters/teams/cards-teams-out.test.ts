/**
 * The cards the Teams side adds for proactive messages: the welcome card of a personal chat and a request
 * card updated after a decision. Every card passes the official `adaptivecards` parser with no event,
 * stays under 28 KB, and every Action.Execute has a verb.
 */
import { describe, expect, it } from 'vitest';
import { welcomeActivity } from '../../../../src/adapters/teams/listeners.ts';
import { renderRecordedActivity } from '../../../../src/adapters/teams/render.ts';
import { t } from '../../../../src/i18n/index.ts';
import { buttonValue, type NeutralMessage } from '../../../../src/messages/neutral.ts';
import { cardProblems, cardTexts, executeActions } from '../../../helpers/adaptive-cards.ts';

const request = (locale: 'es' | 'en'): NeutralMessage => ({
  kind: 'member_request',
  locale,
  consultationId: 'c-1',
  reference: 'CRM-2026-004',
  heading: t(locale, 'member_request.heading', { reference: 'CRM-2026-004' }),
  body: ['…'],
  quote: 'Texto',
  fields: [],
  buttons: [
    { actionId: 'position_support', label: t(locale, 'position.support'), value: buttonValue('c-1', 'abc'), style: 'primary' },
    { actionId: 'position_object', label: t(locale, 'position.object'), value: buttonValue('c-1', 'abc'), style: 'danger' },
  ],
});

describe.each(['es', 'en'] as const)('in %s', (locale) => {
  it('the welcome card: heading, what the bot sends, every command with its alias, valid', () => {
    const a = welcomeActivity(locale);
    const card = a.attachments[0].content;
    expect(cardProblems(card)).toEqual([]);
    const texts = cardTexts(card);
    expect(texts[0]).toBe(t(locale, 'teams.welcome.heading'));
    const words = locale === 'es' ? ['consulta (consult)', 'estado [REF] (status)', 'ayuda (help)'] : ['consult (consulta)', 'status [REF] (estado)', 'help (ayuda)'];
    for (const w of words) expect(texts.some((x) => x.startsWith(`${w}:`)), w).toBe(true);
    expect(texts.join(' ')).not.toContain('/crm');
    expect(a.summary).toBe(t(locale, 'teams.welcome.heading'));
  });

  it('a request card after a decision: the recorded line, buttons kept on a member card, removed when told', () => {
    const recorded = { who: 'Luis Mora (Costa Rica)', what: t(locale, 'position.support'), when: '1/12/2026 10:00' };
    const kept = renderRecordedActivity(request(locale), recorded).attachments[0].content;
    expect(cardProblems(kept)).toEqual([]);
    expect(cardTexts(kept)).toContain(`✅ ${t(locale, 'card.recorded', recorded)}`);
    expect(cardTexts(kept)).toContain(t(locale, 'card.position_may_change'));
    expect(executeActions(kept).map((x) => x.verb)).toEqual(['position_support', 'position_object']);
    const closed = renderRecordedActivity(request(locale), recorded, false).attachments[0].content;
    expect(cardProblems(closed)).toEqual([]);
    expect(executeActions(closed)).toEqual([]);
    expect(cardTexts(closed)).toContain(t(locale, 'card.no_more_actions'));
  });
});

describe('commands typed in Teams', async () => {
  const { commandText } = await import('../../../../src/adapters/teams/intents.ts');
  it.each([
    ['estado CRM-2026-001', 'estado CRM-2026-001'],
    ['/crm estado CRM-2026-001', 'estado CRM-2026-001'],
    ['crm  lista', 'lista'],
    ['<at>CRM</at> ayuda', 'ayuda'],
    ['<at>CRM Consultas</at>&nbsp;/crm plazo 3', 'plazo 3'],
    ['crmx', 'crmx'],
    ['', ''],
  ])('%j → %j', (typed, words) => {
    expect(commandText(typed)).toBe(words);
  });
});
