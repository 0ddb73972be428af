/**
 * The person's own view in Teams, "awaiting my country" (the interaction layer's HomeModel,
 * src/interaction/home.ts), as an Adaptive Card 1.5: the Teams twin of Slack's Home tab.
 *
 *   heading, "New consultation" (verb `home_new_consultation`) for who may start one, "Refresh" (verb `home`)
 *   awaiting my country   each consultation with its decision buttons (Action.Execute, the Slack action ids;
 *                         data `{ c, v, h: "1" }`: `h` says the click comes from this view, so the flows
 *                         record it without updating a request card and the view is shown again)
 *   open consultations    reference, title, one line of detail
 *   my country's answers  what was recorded, by whom, when (with the buttons while it may still change)
 * Sections are cut to what fits a Teams message, saying how many more there are.
 */
import type { IAdaptiveCard, IExecuteAction } from '@microsoft/teams.cards';
import { t } from '../../i18n/index.ts';
import { ACTION_HOME_NEW_CONSULTATION, type HomeItem, type HomeModel } from '../../interaction/home.ts';
import type { CardElement } from './render.ts';
import { byteLength, card, CARD_BUDGET_BYTES, executeAction, richText, run } from './render.ts';

/** The verb of the buttons that show the view (the welcome card's, and "Refresh" on the view). */
export const HOME_VERB = 'home';
/** Marks a decision button on the view (`data.h`). */
export const FROM_HOME = 'h';

/** Ids of the view's blocks, for whoever reads a card back (the tests). */
export const HOME_BLOCK_ID = { sections: 'home_sections', no_access: 'home_no_access' } as const;

const MAX_ITEMS_PER_SECTION = 15;

function itemElements(item: HomeItem): CardElement[] {
  const out: CardElement[] = [
    richText([run(`${item.reference} · `, { weight: 'Bolder' }), run(item.title)], { spacing: 'Medium' }),
  ];
  if (item.detail) out.push(richText([run(item.detail, { isSubtle: true, size: 'Small' })], { spacing: 'None' }));
  if (item.buttons?.length) {
    const actions: IExecuteAction[] = item.buttons.map((b) => {
      const a = executeAction(b);
      return { ...a, data: { ...(a.data as Record<string, unknown>), [FROM_HOME]: '1' } };
    });
    out.push({ type: 'ActionSet', actions, spacing: 'Small' });
  }
  return out;
}

/** The view as a card, within a Teams message's budget. */
export function homeCard(model: HomeModel, notes: readonly string[] = []): IAdaptiveCard {
  const l = model.locale;
  const top: CardElement[] = notes.map((n) => richText([run(n, { weight: 'Bolder', color: 'Good' })], { spacing: 'Small' }));
  if (model.kind === 'no_access') {
    return card(
      [richText([run(model.heading, { weight: 'Bolder', size: 'Medium' })], { id: HOME_BLOCK_ID.no_access }), ...top, richText([run(model.text)], { spacing: 'Small' })],
      [],
      model.heading,
    );
  }
  const heading = t(l, 'home.heading');
  const actions: IExecuteAction[] = [];
  if (model.options.canCreate) actions.push({ type: 'Action.Execute', title: t(l, 'home.new_consultation'), verb: ACTION_HOME_NEW_CONSULTATION, data: {}, style: 'positive' });
  actions.push({ type: 'Action.Execute', title: t(l, 'teams.home.refresh'), verb: HOME_VERB, data: {} });

  const parts = (
    [
      [t(l, 'home.awaiting_my_country'), model.sections.awaitingMyCountry],
      [t(l, 'home.open'), model.sections.open],
      [t(l, 'home.my_country_answers'), model.sections.myCountryAnswers],
    ] as [string, HomeItem[] | undefined][]
  ).filter((p): p is [string, HomeItem[]] => p[1] !== undefined);

  const build = (limit: number): IAdaptiveCard => {
    const body: CardElement[] = [richText([run(heading, { weight: 'Bolder', size: 'Medium' })], { id: HOME_BLOCK_ID.sections }), ...top];
    for (const [title, items] of parts) {
      body.push(richText([run(title, { weight: 'Bolder' })], { spacing: 'Large', separator: true }));
      if (!items.length) body.push(richText([run(t(l, 'home.none'), { isSubtle: true })], { spacing: 'Small' }));
      for (const item of items.slice(0, limit)) body.push(...itemElements(item));
      if (items.length > limit) body.push(richText([run(t(l, 'home.more', { count: items.length - limit }), { isSubtle: true, size: 'Small' })], { spacing: 'Small' }));
    }
    if (model.options.footer) body.push(richText([run(model.options.footer, { isSubtle: true, size: 'Small' })], { spacing: 'Medium' }));
    return card(body, actions, heading);
  };
  let limit = MAX_ITEMS_PER_SECTION;
  let c = build(limit);
  while (byteLength(c) > CARD_BUDGET_BYTES && limit > 0) c = build((limit -= 1));
  return c;
}
