/**
 * A person's own view ("Home" in Slack, the personal "awaiting my country" view in Teams), in their
 * language and zone:
 *   - awaiting my country: open consultations where the person's country has not answered (member stage)
 *     or, for a Troika country other than the author, has not reacted to the current text — with the
 *     buttons to do it (the author country's focal points get no Troika buttons: it approves its own text);
 *   - open consultations: all of them (stage, deadline, answers);
 *   - my country's answers: the latest position of the person's country, who recorded it and when.
 * Those who may start a consultation get a "New consultation" button; observers and people not in the
 * directory see why there is nothing for them (confidentiality: titles go to Member Countries and the ST only).
 */
import { authorizeTroika, maySeeConsultation, maySeeAnyConsultation, mayStartConsultation } from '../domain/authority.ts';
import { membersAwaiting } from '../domain/outcome.ts';
import type { ConsultationState } from '../domain/types.ts';
import type { Directory, Locale } from '../directory/model.ts';
import { deadlineText, positionButtons as memberButtons, textOf, troikaButtons } from '../flows/messages/common.ts';
import type { FlowDeps } from '../flows/ports.ts';
import { openConsultations, recentlyEnded, type ConsultationReader } from '../flows/queries.ts';
import { formatInstant, inBothLanguages, t } from '../i18n/index.ts';
import type { MessageButton } from '../messages/neutral.ts';
import { whatText } from './decisions.ts';
import type { InteractionPerson } from './identity.ts';
import { notInDirectoryText } from './refusals.ts';

/** The Home tab's button that opens the new-consultation form (an extension of interfaces.md). */
export const ACTION_HOME_NEW_CONSULTATION = 'home_new_consultation';

export interface HomeItem {
  consultationId: string;
  reference: string;
  title: string;
  /** One line under the title, in the reader's language: deadline, stage, recorded position… */
  detail?: string;
  /** E.g. `position_*` buttons or a "view" button; one becomes the row's accessory, more an actions row. */
  buttons?: MessageButton[];
}

export interface HomeSections {
  /** Consultations waiting for the reader's country (or Troika country) to answer; absent: no country (ST staff). */
  awaitingMyCountry?: HomeItem[];
  /** Every open consultation. */
  open: HomeItem[];
  /** What the reader's country has answered (position, by whom, when); absent: no country (ST staff). */
  myCountryAnswers?: HomeItem[];
}

export interface HomeOptions {
  /** Show the "New consultation" button (who may start a consultation). */
  canCreate?: boolean;
  /** A line at the bottom, e.g. "Updated: …" (already formatted). */
  footer?: string;
}

/** What a person's own view shows: their sections, or why there is nothing for them. */
export type HomeModel =
  | { kind: 'sections'; locale: Locale; sections: HomeSections; options: HomeOptions }
  | { kind: 'no_access'; locale: Locale; heading: string; text: string };

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

/** The three sections for one person (pure). */
export function homeSections(person: InteractionPerson, open: readonly ConsultationState[], ended: readonly ConsultationState[], _directory: Directory): HomeSections {
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
 * Why someone sees nothing: a person of the directory who is neither ST staff nor a Member Country's focal
 * point (in their language), or someone not in the directory (both languages).
 */
export function noAccessHome(l: Locale, inDirectory: boolean): Extract<HomeModel, { kind: 'no_access' }> {
  return {
    kind: 'no_access',
    locale: l,
    heading: inDirectory ? t(l, 'home.heading') : inBothLanguages('home.heading', ' · '),
    text: inDirectory ? t(l, 'home.no_access') : notInDirectoryText(),
  };
}

/** The person's view, read now. */
export async function homeModel(deps: FlowDeps, reader: ConsultationReader, person: InteractionPerson): Promise<HomeModel> {
  const l = person.locale;
  if (!person.actor || !maySeeAnyConsultation(person.actor)) return noAccessHome(l, Boolean(person.actor));
  const [open, ended] = await Promise.all([openConsultations(reader), recentlyEnded(reader, 10)]);
  const directory = deps.directory.current();
  return {
    kind: 'sections',
    locale: l,
    sections: homeSections(person, open, ended, directory),
    options: {
      canCreate: mayStartConsultation(person.actor, directory, deps.clock.now()),
      footer: t(l, 'home.updated', { when: formatInstant(deps.clock.now(), { locale: l, timeZone: person.timezone }) }),
    },
  };
}
