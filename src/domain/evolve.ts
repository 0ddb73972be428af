/**
 * evolve(state, event) → state: folds one stored event into the state. Pure and total over the events
 * `decide` produces; an event that cannot apply (a corrupt log) throws, since that is not a refusal but
 * a bug. Never mutates its input.
 */
import type {
  ConsultationEvent,
  ConsultationState,
  EventActor,
  TroikaReactionRecord,
} from './types.ts';

export class EventApplicationError extends Error {
  override name = 'EventApplicationError';
}

function implicitApproval(country: string, version: string, at: string, by: EventActor): TroikaReactionRecord {
  return { country, reaction: 'approve', version, implicit: true, at, by };
}

export function evolve(state: ConsultationState | undefined, event: ConsultationEvent): ConsultationState {
  if (event.type === 'consultation_started') {
    if (state !== undefined) throw new EventApplicationError(`consultation ${state.consultationId} already started`);
    return {
      consultationId: event.consultationId,
      reference: event.reference,
      title: event.version.title,
      text: event.version.text,
      versions: [
        {
          number: 1,
          hash: event.version.hash,
          title: event.version.title,
          text: event.version.text,
          ...(event.version.locale !== undefined ? { locale: event.version.locale } : {}),
          ...(event.version.translation !== undefined ? { translation: event.version.translation } : {}),
          at: event.at,
          by: event.actor,
        },
      ],
      currentVersion: event.version.hash,
      positionsVisibility: event.positionsVisibility ?? 'at_close',
      stage: 'draft',
      rule: event.rule,
      calendarPolicy: event.calendarPolicy,
      closeEarly: event.closeEarly,
      participants: event.participants,
      deadlineRequest: event.deadlineRequest,
      ...(event.justification !== undefined ? { justification: event.justification } : {}),
      ...(event.supersedes !== undefined ? { supersedes: event.supersedes } : {}),
      ...(event.pptCountry !== undefined ? { pptCountry: event.pptCountry } : {}),
      ...(event.kind === 'meeting_summary' ? { kind: event.kind } : {}),
      ...(event.meetingReference !== undefined ? { meetingReference: event.meetingReference } : {}),
      createdAt: event.at,
      createdBy: event.actor,
      troikaReactions: {},
      troikaHistory: [],
      deadlineVersion: 0,
      unverifiedYears: [],
      extensions: [],
      positions: {},
      positionHistory: [],
      version: 1,
    };
  }

  if (state === undefined) throw new EventApplicationError(`${event.type} before consultation_started`);
  if (event.consultationId !== state.consultationId) {
    throw new EventApplicationError(`event for ${event.consultationId} applied to ${state.consultationId}`);
  }
  const version = state.version + 1;

  switch (event.type) {
    case 'text_revised': {
      const v = event.version;
      const next: ConsultationState = {
        ...state,
        title: v.title,
        text: v.text,
        versions: [
          ...state.versions,
          {
            number: v.number,
            hash: v.hash,
            title: v.title,
            text: v.text,
            ...(v.locale !== undefined ? { locale: v.locale } : {}),
            ...(v.translation !== undefined ? { translation: v.translation } : {}),
            at: event.at,
            by: event.actor,
          },
        ],
        currentVersion: v.hash,
        troikaReactions: {},
        version,
      };
      if (state.troika) {
        const rec = implicitApproval(state.troika.authorCountry, v.hash, event.at, event.actor);
        next.troikaReactions = { [rec.country]: rec };
        next.troikaHistory = [...state.troikaHistory, rec];
      }
      return next;
    }
    case 'sent_to_troika': {
      const rec = implicitApproval(event.troika.authorCountry, event.version, event.at, event.actor);
      return {
        ...state,
        stage: 'troika_review',
        troika: event.troika,
        pptCountry: event.troika.authorCountry,
        sentToTroikaAt: event.at,
        troikaReactions: { [rec.country]: rec },
        troikaHistory: [...state.troikaHistory, rec],
        version,
      };
    }
    case 'troika_reacted': {
      const rec: TroikaReactionRecord = {
        country: event.country,
        reaction: event.reaction,
        version: event.version,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        at: event.at,
        by: event.actor,
      };
      return {
        ...state,
        troikaReactions: { ...state.troikaReactions, [event.country]: rec },
        troikaHistory: [...state.troikaHistory, rec],
        version,
      };
    }
    case 'consultation_not_endorsed':
      return {
        ...state,
        stage: 'not_endorsed',
        outcome: 'not_endorsed',
        closedAt: event.at,
        closedBy: event.actor,
        endReason: event.reason,
        version,
      };
    case 'member_consultation_opened':
      return {
        ...state,
        stage: 'member_consultation',
        circulatedAt: event.at,
        circulatedVersion: event.version,
        deadline: event.deadline,
        ...(event.deadlineTimeZone !== undefined ? { deadlineTimeZone: event.deadlineTimeZone } : {}),
        deadlineVersion: event.deadlineVersion,
        ...(event.deadlineFallback ? { deadlineFallback: true } : {}),
        unverifiedYears: event.unverifiedYears,
        version,
      };
    case 'position_recorded': {
      const rec = {
        country: event.country,
        position: event.position,
        version: event.version,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        at: event.at,
        by: event.actor,
      };
      return {
        ...state,
        positions: { ...state.positions, [event.country]: rec },
        positionHistory: [...state.positionHistory, rec],
        version,
      };
    }
    case 'deadline_extended':
      return {
        ...state,
        deadline: event.deadline,
        ...(event.deadlineTimeZone !== undefined ? { deadlineTimeZone: event.deadlineTimeZone } : {}),
        deadlineVersion: event.deadlineVersion,
        unverifiedYears: event.unverifiedYears,
        extensions: [
          ...state.extensions,
          {
            at: event.at,
            by: event.actor,
            from: event.previousDeadline,
            to: event.deadline,
            request: event.request,
            justification: event.justification,
          },
        ],
        version,
      };
    case 'consultation_withdrawn':
      return {
        ...state,
        stage: 'withdrawn',
        outcome: 'withdrawn',
        closedAt: event.at,
        closedBy: event.actor,
        ...(event.reason !== undefined ? { endReason: event.reason } : {}),
        version,
      };
    case 'consultation_closed':
      return {
        ...state,
        stage: 'closed',
        outcome: event.outcome,
        closeReason: event.reason,
        closedAt: event.at,
        closedBy: event.actor,
        version,
      };
    default: {
      const never: never = event;
      throw new EventApplicationError(`unknown event type ${(never as { type?: unknown }).type as string}`);
    }
  }
}

/** Folds a whole event log (oldest first). Undefined for an empty log. */
export function replay(events: readonly ConsultationEvent[]): ConsultationState | undefined {
  let state: ConsultationState | undefined;
  for (const e of events) state = evolve(state, e);
  return state;
}
