/**
 * The interaction layer's vocabulary: what a person did on a chat platform (an `Intent`) and what the bot
 * answers (`Reply` values). Every adapter turns its payloads into intents and presents the replies on its
 * platform: Slack as ephemerals, modals and the Home tab; Teams as messages, Adaptive Card forms and invoke
 * responses; the console as cards in the page.
 *
 * Ids are binding (interfaces.md): a decision is one of DECISION_ACTIONS (the Slack action ids, the Teams
 * verbs); a form is a FormId (the Slack callback_id, the Teams submit verb); field ids are the Slack block
 * ids and the Adaptive Card input ids.
 */
import type { Locale } from '../directory/model.ts';
import type { TextTranslation } from '../domain/types.ts';
import type { FormId } from '../messages/form-spec.ts';
import type { NeutralMessage } from '../messages/neutral.ts';
import type { InvitationResponse, Segment } from '../domain/meetings/index.ts';
import type { CardRef, CardUpdate, DecisionAction, ReasonKind } from './decisions.ts';
import type { FormValues } from './forms.ts';
import type { HomeModel } from './home.ts';

/** What a reason form carries from the button click to the submission. */
export interface ReasonContext {
  kind: ReasonKind;
  consultationId: string;
  versionHash: string;
  /** The card to update in place once the decision is recorded. */
  card?: CardRef;
}

/** What the revise, extend and withdraw forms carry: the consultation, and where the command was typed. */
export interface ManageContext {
  consultationId: string;
  reference: string;
  /** Where the command was typed (a Slack channel, a Teams conversation), for the confirmation. */
  channelId?: string;
  /** revise: the language of the original shown in the form (the translation is in the other one). */
  originalLocale?: Locale;
  /** revise: the consultation was not endorsed; submitting resends the text as a new consultation. */
  resend?: boolean;
}

/** What the revise form shows of the current version, and, for a resend, why the Troika did not endorse it. */
export interface ReviseCurrent {
  title: string;
  text: string;
  version: number;
  /** Language of the original (default: the reader's). */
  locale?: Locale;
  translation?: TextTranslation;
  /** Set when the consultation was not endorsed: the form resends the text as a new consultation. */
  notEndorsed?: { country: string; reason: string };
}

/** What the delegation form carries from `/crm reuniones` to its submission: the meeting and the country. */
export interface DelegationContext {
  meetingId: string;
  /** The Member Country (ISO2) whose delegation it is: the focal point's own. */
  country: string;
  /** Where the list was shown (a Slack channel, a Teams conversation), for the confirmation. */
  channelId?: string;
}

/** What the delegation form shows, in the reader's language (built from the live directory and the meeting's invitations). */
export interface DelegationCurrent {
  title: string;
  reference: string;
  countryName: string;
  /** One per segment of the meeting, in the meeting's order. */
  segments: {
    segment: Segment;
    label: string;
    /** The country's people not yet invited to it: value = the person's id (e-mail), label = name and roles. */
    offered: { value: string; label: string }[];
    /** Names of those already invited to it. */
    invited: string[];
  }[];
}

/** A form to show, with what it needs to be built (the adapter renders it: a Slack modal, an Adaptive Card). */
export type FormRequest =
  | { form: 'consultation_new'; /** Where the command was typed. */ origin?: string }
  | { form: 'reason'; reason: ReasonContext }
  | { form: 'revise'; manage: ManageContext; current: ReviseCurrent }
  | { form: 'extend'; manage: ManageContext; current: { deadline: string } }
  | { form: 'withdraw'; manage: ManageContext; current: { title: string; circulated: boolean } }
  /** `/crm reunion`: the new-meeting form (PPT focal points and ST staff). */
  | { form: 'meeting_new'; /** Where the command was typed. */ origin?: string }
  /** A Member Country's delegation to one meeting (its focal points), from `/crm reuniones`. */
  | { form: 'meeting_delegation'; delegation: DelegationContext; current: DelegationCurrent };

/** The form context a submission came back with, read by the adapter from its own encoding (untrusted). */
export type SubmittedContext =
  | { form: 'consultation_new' }
  | { form: 'reason'; reason: ReasonContext }
  | { form: 'revise' | 'extend' | 'withdraw'; manage: ManageContext }
  | { form: 'meeting_new'; origin?: string }
  | { form: 'meeting_delegation'; delegation: DelegationContext };

/** An invitation card's button (`meeting_attend` / `meeting_decline`): which meeting, which segment. */
export interface InvitationTarget {
  meetingId: string;
  segment: Segment;
}

export type Intent =
  /** `/crm estado CRM-2026-004` in Slack, `estado CRM-2026-004` in a Teams chat. */
  | { kind: 'command'; text: string; /** The command as typed ("/crm"), for the help. */ slash?: string; /** Where it was typed. */ origin?: string }
  /** A decision button. `target` undefined: the button's value was malformed or forged. */
  | { kind: 'decide'; action: DecisionAction; target?: { consultationId: string; versionHash: string }; card?: CardRef }
  /** A button that only opens a form (the Home tab's "New consultation"). */
  | { kind: 'open_form'; form: 'consultation_new' }
  /**
   * The delegation button of `/crm reuniones` (`meeting_delegation_open`). `meetingId` undefined: the button's
   * value was malformed or forged. `origin`: where the list was shown.
   */
  | { kind: 'open_form'; form: 'meeting_delegation'; meetingId?: string; origin?: string }
  /**
   * An invitation card's `meeting_attend` / `meeting_decline`. `target` undefined: the button's value was
   * malformed or forged; `card`: the clicked card, when the platform can replace it (see the `card` reply).
   */
  | { kind: 'answer_invitation'; response: InvitationResponse; target?: InvitationTarget; card?: CardRef }
  /**
   * A form submitted. `values` undefined: the submission's shape was not a form's (refused on the form's first
   * field); `context` undefined: the context the form carried was malformed or forged.
   */
  | { kind: 'submit'; form: FormId; values?: FormValues; context?: SubmittedContext }
  /** The person opened their own view (Slack's Home tab, Teams' "awaiting my country"). */
  | { kind: 'home' };

export type Reply =
  /** Tell the person something privately. */
  | { kind: 'notice'; text: string }
  /** A private message (help, status, list, deadline). */
  | { kind: 'message'; message: NeutralMessage }
  /** Open a form (in place of the loading form, when one is open). */
  | { kind: 'form'; form: FormRequest }
  /** A form is coming but needs the database first: hold the person's trigger (Slack: a "loading" modal). */
  | { kind: 'loading' }
  /** The open form (the loading form, the reason form, the submitted form) becomes this notice. */
  | { kind: 'form_notice'; text: string }
  /** The submitted form stays open with these errors on its fields. */
  | { kind: 'field_errors'; errors: Record<string, string> }
  /** The submitted form closes. */
  | { kind: 'close_form' }
  /** The person's own view, refreshed. */
  | { kind: 'home'; view: HomeModel }
  /**
   * The clicked card (`update.updates`) as it now is, with who recorded what (`update.recorded`) and whether
   * its buttons stay (`update.keepButtons`). Teams answers the click's invoke with it; the console shows it
   * in place. `inPlace`: no outbox row updates that card, so the platform replaces it itself for the person
   * (Slack: the response_url's `replace_original`): an invitation card after `meeting_attend` /
   * `meeting_decline`, the same invitation with "Answer recorded: attending", buttons kept (the answer may
   * change until the meeting ends). Without it the outbox updates the card for everyone (Slack: nothing
   * more to do).
   */
  | { kind: 'card'; update: CardUpdate; inPlace?: true };

/** What handling an intent gives: the language of the replies, the replies now, and those that come later. */
export interface Outcome {
  locale: Locale;
  now: Reply[];
  /** Replies that wait for work past the budget (or for the access check past it). Never rejects for a refresh of the home view. */
  later?: Promise<Reply[]>;
}
