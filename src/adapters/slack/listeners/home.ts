/**
 * The Home tab (app_home_opened → views.publish), in the person's language and zone:
 *   - awaiting my country: open consultations where the person's country has not answered (member stage)
 *     or, for a Troika country other than the author, has not reacted to the current text — with the
 *     buttons to do it (the author country's focal points get no Troika buttons: it approves its own text);
 *   - open consultations: all of them (stage, deadline, answers);
 *   - my country's answers: the latest position of the person's country, who recorded it and when.
 * ST staff see the open consultations and a "New consultation" button; observers and people not in the
 * directory see why there is nothing for them (confidentiality: titles go to Member Countries and the ST only).
 */
import type { App } from '@slack/bolt';
import { authorizeTroika, maySeeConsultation } from '../../../domain/authority.ts';
import { membersAwaiting } from '../../../domain/outcome.ts';
import type { ConsultationState } from '../../../domain/types.ts';
import type { Directory, Locale } from '../../../directory/model.ts';

import { openConsultations, recentlyEnded } from '../../../flows/queries.ts';
import { formatInstant, inBothLanguages, t } from '../../../i18n/index.ts';
import { deadlineText, positionButtons as memberButtons, textOf, troikaButtons } from '../../../flows/messages/common.ts';
import type { SlackPerson } from '../identity.ts';
import { homeView, type HomeItem, type HomeSections, type HomeView } from '../views.ts';
import { escapeMrkdwn } from '../render.ts';
import { mayManage, maySee, notInDirectoryText, requestIdOf, type SlackListenerContext } from './shared.ts';
import { whatText } from './decisions.ts';

export function registerHome(app: App, ctx: SlackListenerContext): void {
  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(ctx, event.user);
    } catch (err) {
      ctx.logger.error({ err, requestId: requestIdOf(context), what: 'home' }, 'slack: request failed');
    }
  });
}

const when = (instant: string | undefined, p: { locale: Locale; timezone: string }) =>
  instant ? formatInstant(new Date(instant), { locale: p.locale, timeZone: p.timezone }) : '—';

function detail(s: ConsultationState, p: { locale: Locale; timezone: string }): string {
  const l = p.locale;
  if (s.stage === 'member_consultation') {
    const total = s.participants.members.length;
    return t(l, 'home.detail.member', { deadline: deadlineText(s, p), answers: `${total - membersAwaiting(s).length}/${total}` });
  }
  if (s.stage === 'troika_review' && s.troika) {
    const reacted = s.troika.countries.filter((c) => s.troikaReactions[c]?.version === s.currentVersion).length;
    return t(l, 'home.detail.troika', { reacted, total: s.troika.countries.length });
  }
  return t(l, `stage.${s.stage}`);
}

/** The three sections for one person (pure; exported for tests). */
export function homeSections(person: SlackPerson, open: readonly ConsultationState[], ended: readonly ConsultationState[], directory: Directory): HomeSections {
  const l = person.locale;
  const country = person.actor?.country;
  const personId = person.actor?.personId ?? '';
  const item = (s: ConsultationState, extra: Partial<HomeItem> = {}): HomeItem => ({
    consultationId: s.consultationId,
    reference: s.reference,
    title: textOf(s, l).title,
    detail: detail(s, person),
    ...extra,
  });
  // Only what the reader may know exists: a consultation under Troika review is not shown to other members.
  const viewer = person.actor;
  if (!viewer) return { open: [] };
  open = open.filter((s) => maySeeConsultation(s, viewer));
  ended = ended.filter((s) => maySeeConsultation(s, viewer));
  const isFocal = (s: ConsultationState, c: string) => s.participants.members.some((m) => m.code === c && m.focalPoints.some((f) => f.personId === personId));

  const awaiting: HomeItem[] = [];
  for (const s of open) {
    if (s.stage === 'member_consultation' && country && isFocal(s, country) && !s.positions[country]) {
      awaiting.push(item(s, { buttons: memberButtons(s, l) }));
    }
    if (s.stage === 'troika_review' && person.actor) {
      // The domain's rule: a Troika country other than the author (the PPT approves its own text).
      const troika = authorizeTroika(s, person.actor);
      const acting = troika.ok ? troika.actor.country : undefined;
      if (acting && s.troikaReactions[acting]?.version !== s.currentVersion) awaiting.push(item(s, { buttons: troikaButtons(s, l) }));
    }
  }
  const answers: HomeItem[] = [];
  if (country) {
    for (const s of [...open, ...ended]) {
      const p = s.positions[country];
      if (!p) continue;
      answers.push(
        item(s, {
          detail: t(l, 'home.detail.answer', {
            what: whatText(l, { position: p.position, ...(p.reason ? { reason: p.reason } : {}) }),
            who: p.by.name,
            when: when(p.at, person),
          }),
          ...(s.stage === 'member_consultation' ? { buttons: memberButtons(s, l) } : {}),
        }),
      );
    }
  }
  // ST staff have no country: the sections about "your country" are not theirs.
  if (!country) return { open: open.map((s) => item(s)) };
  return { awaitingMyCountry: awaiting, open: open.map((s) => item(s)), myCountryAnswers: answers };
}

/**
 * The Home tab of someone with nothing to see: a person of the directory who is neither ST staff nor a
 * Member Country's focal point (in their language), or someone not in the directory (both languages).
 */
export function noAccessHomeView(l: Locale, inDirectory: boolean): HomeView {
  const heading = inDirectory ? t(l, 'home.heading') : inBothLanguages('home.heading', ' · ');
  const text = inDirectory ? t(l, 'home.no_access') : notInDirectoryText();
  return { type: 'home', blocks: [{ type: 'header', text: { type: 'plain_text', text: heading } }, { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } }] };
}

export async function publishHome(ctx: SlackListenerContext, userId: string): Promise<void> {
  const person = await ctx.identity.who(userId);
  const l = person.locale;
  let view: HomeView;
  if (!person.actor || !maySee(person.actor)) {
    if (!person.actor) ctx.identity.logStranger(userId, { surface: 'home' });
    view = noAccessHomeView(l, Boolean(person.actor));
  } else {
    const [open, ended] = await Promise.all([openConsultations(ctx.reader), recentlyEnded(ctx.reader, 10)]);
    view = homeView(l, homeSections(person, open, ended, ctx.identity.current()), {
      canCreate: mayManage(person.actor, ctx.deps),
      footer: t(l, 'home.updated', { when: formatInstant(ctx.deps.clock.now(), { locale: l, timeZone: person.timezone }) }),
    });
  }
  await ctx.client.views.publish({ user_id: userId, view });
}
