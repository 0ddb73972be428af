/**
 * Observer applications announced (§7.2, §8): each step of a case (received via the ST, presented at a
 * GRCM, decided by the Vice-Ministers, withdrawn) goes to the ST channel and to the PPT's focal points, each
 * in their language. Pure: (live directory, case, PPT country) → outbox rows, one per recipient and step.
 */
import type { Directory, Locale } from '../directory/model.ts';
import type { ApplicationNextStep, ObserverApplication } from '../domain/meetings/index.ts';
import { formatDate, t } from '../i18n/index.ts';
import type { NewOutboxMessage } from '../store/consultation-store.ts';
import { pptRecipients, stChannels, type DutyRecipient } from './duty-messages.ts';
import type { NeutralMessage } from './neutral.ts';

/** The case's current step, as a sentence. */
export function observerStepText(app: ObserverApplication, l: Locale): string {
  const name = app.applicant.name;
  switch (app.stage) {
    case 'received':
      return t(l, 'observer.step.received', { name, on: formatDate(app.receivedOn, l) });
    case 'presented':
      return t(l, 'observer.step.presented', { name, meeting: app.presentedAt?.meeting ?? '' });
    case 'admitted':
      return t(l, 'observer.step.admitted', { name, meeting: app.decidedAt?.meeting ?? '' });
    case 'rejected':
      return t(l, 'observer.step.rejected', { name, meeting: app.decidedAt?.meeting ?? '' });
    case 'withdrawn':
      return t(l, 'observer.step.withdrawn', { name });
  }
}

export function observerApplicationMessage(app: ObserverApplication, l: Locale): NeutralMessage {
  const body = [observerStepText(app, l)];
  if (app.stage === 'received') body.push(t(l, 'observer.next.present'));
  if (app.stage === 'presented') body.push(t(l, 'observer.next.decide'));
  if (app.stage === 'admitted') body.push(t(l, 'observer.next.directory'));
  return {
    kind: 'status',
    locale: l,
    consultationId: '',
    reference: app.id,
    heading: t(l, 'observer.heading', { id: app.id, name: app.applicant.name }),
    body,
    fields: [],
    buttons: [],
  };
}

/** The announcement of the case's current step to every ST channel named and the PPT's focal points. */
export function observerApplicationOutbox(directory: Directory, app: ObserverApplication, pptCountry: string | undefined): NewOutboxMessage[] {
  const to: DutyRecipient[] = [...stChannels(directory), ...pptRecipients(directory, pptCountry)].filter((r) => r.platform !== 'unreachable');
  return to.map((r) => {
    const payload = observerApplicationMessage(app, r.locale);
    return { dedupeKey: `observer-application:${app.id}:${app.stage}:${r.key}`, platform: r.platform, recipient: r.recipient, kind: payload.kind, payload };
  });
}

/** What `/crm observadores` answers: every case with its stage and what it waits for (late ones say so). */
export function observerListMessage(cases: readonly { application: ObserverApplication; next?: ApplicationNextStep }[], l: Locale): NeutralMessage {
  const next = (n: ApplicationNextStep | undefined): string => {
    if (!n) return t(l, 'observer.next_step.none');
    const step = t(l, `observer.next_step.${n.step}`);
    const at = n.meeting && n.due ? t(l, 'observer.next_step.at', { step, meeting: n.meeting, due: formatDate(n.due, l) }) : step;
    return n.late ? t(l, 'observer.next_step.late', { step: at }) : at;
  };
  return {
    kind: 'status',
    locale: l,
    consultationId: '',
    reference: '',
    heading: t(l, 'observer.list.heading'),
    body: cases.length ? [] : [t(l, 'observer.list.none')],
    fields: [],
    ...(cases.length
      ? {
          table: {
            columns: [t(l, 'observer.label.case'), t(l, 'observer.label.applicant'), t(l, 'observer.label.stage'), t(l, 'observer.label.next')],
            rows: cases.map((c) => [c.application.id, c.application.applicant.name, t(l, `observer.stage.${c.application.stage}`), next(c.next)]),
          },
        }
      : {}),
    buttons: [],
  };
}
