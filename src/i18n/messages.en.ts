/**
 * English catalogue. Typed against the Spanish one: a missing key, an extra key or a different
 * parameter shape fails the type check.
 */
import type { es } from './messages.es.ts';
import { quotedSentence, sentence } from './text.ts';
import type { CatalogueOf } from './types.ts';

export const en: CatalogueOf<typeof es> = {
  // ---- Refusals ----
  'refusal.invalid_command': 'The request is not valid. Please review the data and try again.',
  'refusal.invalid_time': 'The current time could not be determined. Please try again.',
  'refusal.not_found': 'The consultation could not be found. Please check the reference.',
  'refusal.already_exists': 'This consultation has already been created.',
  'refusal.consultation_mismatch': 'This action does not belong to this consultation.',
  'refusal.consultation_closed': 'The consultation has ended; no further actions are possible.',
  'refusal.wrong_stage': 'The consultation is not at the stage that allows this action.',
  'refusal.not_authorized': 'You are not authorised to perform this action.',
  'refusal.not_troika_member': "Only the focal points of this consultation's Troika countries may respond at this stage.",
  'refusal.author_country': 'Your country presents this text as the Pro Tempore Presidency and approves it as its author; it does not react to it.',
  'refusal.country_ambiguous': 'You are a focal point of more than one Troika country; please say on behalf of which one you respond.',
  'refusal.not_member_country':
    'Only Member Countries take positions in special consultations; observer countries and organisations do not record a position.',
  'refusal.not_focal_point_of_country': "Only a country's registered focal points can record that country's position.",
  'refusal.invalid_participants': 'The RCM directory is incomplete or invalid; the Technical Secretariat must correct it.',
  'refusal.invalid_calendar_policy':
    "The calendar given does not exist. Choose the Technical Secretariat's, the one shared by all Member Countries or that of a Member Country.",
  'refusal.reference_required': 'The consultation reference is missing.',
  'refusal.title_required': 'Please give the consultation a title.',
  'refusal.title_too_long': (p) => `The title exceeds the maximum of ${p.max} characters.`,
  'refusal.text_required': 'Please include the text of the proposal.',
  'refusal.text_too_long': (p) => `The text of the proposal exceeds the maximum of ${p.max} characters.`,
  'refusal.text_unchanged': 'The revised text is identical to the current version.',
  'refusal.invalid_days': (p) => `The number of business days must be a whole number between ${p.min} and ${p.max}.`,
  'refusal.invalid_deadline': 'The deadline given is not valid.',
  'refusal.justification_required':
    'A justification is required for a period shorter than five business days or for an explicitly set deadline.',
  'refusal.justification_too_long': (p) => `The justification exceeds the maximum of ${p.max} characters.`,
  'refusal.reason_required': 'Please state the reason.',
  'refusal.reason_too_long': (p) => `The reason exceeds the maximum of ${p.max} characters.`,
  'refusal.deadline_in_past': 'The deadline given has already passed. Please set a future date.',
  'refusal.deadline_passed': 'The deadline of the consultation has passed; it is being closed.',
  'refusal.deadline_not_later': 'The new deadline must be later than the current one.',
  'refusal.deadline_not_reached': 'The deadline has not been reached yet.',
  'refusal.stale_version':
    'The text of the proposal has changed since you received this message. Please review the current version and respond again.',
  'refusal.already_recorded': 'That decision was already recorded for your country on the current text; nothing was changed.',
  'refusal.no_presidency': 'No Pro Tempore Presidency is recorded for today in the directory.',
  'refusal.calendar_mismatch': 'Internal calendar error. The Technical Secretariat has been notified.',
  'refusal.calendar_error': 'The deadline could not be computed with the calendar given.',
  'refusal.internal_error': 'An unexpected error occurred. The Technical Secretariat has been notified.',
  'refusal.not_in_directory': 'You are not listed in the RCM directory. If you should be, please contact the Technical Secretariat.',
  'refusal.invalid_input': 'The data submitted is not valid. Please review it and try again.',
  'refusal.unknown': 'The requested action could not be completed.',

  'error.internal': (p) =>
    `An unexpected error occurred. The Technical Secretariat has been notified. Technical reference: ${p.requestId}.`,

  // ---- Stages ----
  'stage.draft': 'Draft',
  'stage.troika_review': 'Under Troika review',
  'stage.member_consultation': 'Open for Member Country positions',
  'stage.closed': 'Closed',
  'stage.withdrawn': 'Withdrawn',
  'stage.not_endorsed': 'Not endorsed by the Troika',

  // ---- Positions ----
  'position.support': 'Supports',
  'position.object': 'Objects',
  'position.abstain': 'Abstains',
  'position.none': 'No response',

  // ---- Troika decisions ----
  'troika_decision.approve': 'Approves circulation',
  'troika_decision.changes': 'Requests changes',
  'troika_decision.object': 'Objects',
  'troika_decision.none': 'No response',

  // ---- Outcomes ----
  'outcome.consensus': 'Consensus',
  'outcome.no_consensus': 'No consensus',
  'outcome.incomplete': 'Incomplete: not every Member Country responded',
  'outcome.not_endorsed': 'Not endorsed by the Troika',
  'outcome.withdrawn': 'Withdrawn',

  // ---- Decision rules ----
  'rule.explicit': 'Written procedure',
  'rule.silence': 'Silence procedure',
  'rule.explicit.explanation':
    'There is consensus when every Member Country responds and none objects; abstentions do not prevent consensus. If a Member Country does not respond by the deadline, the consultation is incomplete.',
  'rule.silence.explanation':
    'There is consensus unless a Member Country objects: no response by the deadline counts as no objection, and abstentions do not prevent consensus.',

  // ---- Labels ----
  'label.reference': 'Reference',
  'label.title': 'Title',
  'label.proposal': 'Proposal',
  'label.version': 'Text version',
  'label.stage': 'Stage',
  'label.rule': 'Decision rule',
  'label.deadline': 'Deadline',
  'label.submitted_by': 'Submitted by',
  'label.country': 'Country',
  'label.position': 'Position',
  'label.reason': 'Reason',
  'label.justification': 'Justification of the period',
  'label.outcome': 'Outcome',

  // ---- New-consultation form ----
  'form.consultation_new.heading': 'New special consultation',
  'form.consultation_new.submit': 'Send to the Troika',
  'form.consultation_new.cancel': 'Cancel',
  'form.title.label': 'Title',
  'form.proposal.label': 'Text of the proposal',
  'form.days.label': 'Period in business days',
  'form.days.hint': 'Five business days unless justified.',
  'form.deadline.label': 'Explicit deadline (optional)',
  'form.deadline.hint': 'Replaces the period in business days.',
  'form.rule.label': 'Decision rule',
  'form.justification.label': 'Justification',
  'form.justification.hint': 'Required when the period is shorter than five business days or a deadline is set.',
  'form.reason.heading': 'State the reason',
  'form.reason.label': 'Reason',
  'form.reason.submit': 'Send',

  // ---- Troika request ----
  'troika_request.heading': (p) => `Troika review requested: consultation ${p.reference}`,
  'troika_request.intro': (p) =>
    `The Technical Secretariat submits the proposal "${p.title}" (${p.reference}), presented by ${p.submittedBy}, for review by the Troika before it is circulated to the Member Countries.`,
  'troika_request.ask': 'Please indicate whether you approve its circulation, request changes or object to it.',
  'troika_request.approve': 'Approve circulation',
  'troika_request.changes': 'Request changes',
  'troika_request.object': 'Object',
  'troika_request.recorded': (p) => `The decision of ${p.country} has been recorded: ${p.decision}.`,

  // ---- Member request ----
  'member_request.heading': (p) => `Special consultation ${p.reference}: your position is requested`,
  'member_request.intro': (p) =>
    `The position of ${p.country} is requested on the proposal "${p.title}" (${p.reference}). Deadline for responding: ${p.deadline}.`,
  'member_request.rule': (p) => `Decision rule: ${p.rule}.`,
  'member_request.support': 'Support',
  'member_request.object': 'Object',
  'member_request.abstain': 'Abstain',
  'member_request.recorded': (p) =>
    `The position of ${p.country} has been recorded: ${p.position}. It may be changed until the deadline.`,
  'member_request.new_version': (p) =>
    `The text of consultation ${p.reference} has been updated (version ${p.version}). Positions recorded on earlier versions must be confirmed.`,

  // ---- Reminder ----
  'reminder.heading': (p) => `Reminder: consultation ${p.reference}`,
  'reminder.body': (p) =>
    `The position of ${p.country} on the proposal "${p.title}" (${p.reference}) has not yet been received. Deadline for responding: ${p.deadline}.`,
  'reminder.troika_body': (p) =>
    `The proposal "${p.title}" (${p.reference}) is still awaiting Troika review. Your response before ${p.deadline} would be appreciated.`,

  // ---- Result notice ----
  'result.heading': (p) => `Outcome of consultation ${p.reference}`,
  'result.body': (p) =>
    `The consultation on the proposal "${p.title}" (${p.reference}) concluded on ${p.closedAt}. Outcome: ${p.outcome}.`,
  'result.your_position': (p) => `Recorded position of ${p.country}: ${p.position}.`,
  'result.not_endorsed_body': (p) =>
    `The Troika did not endorse the circulation of the proposal "${p.title}" (${p.reference}); the consultation ends without being circulated.`,
  'result.withdrawn_body': (p) => `The proposal "${p.title}" (${p.reference}) was withdrawn.`,

  // ---- Digest ----
  'digest.heading': (p) => `Summary of consultation ${p.reference}`,
  'digest.positions_heading': 'Member Country positions',
  'digest.troika_heading': 'Troika decisions',
  'digest.counts': (p) =>
    `Supporting: ${p.support} · Objecting: ${p.object} · Abstaining: ${p.abstain} · No response: ${p.none}`,
  'digest.objections_heading': 'Reasons for objections',
  'digest.open_heading': 'Open consultations',
  'digest.none_open': 'There are no open consultations.',

  // ---- Deadlines ----
  'deadline.summary': (p) =>
    `A consultation circulated now would close after ${p.days} ${p.days === 1 ? 'business day' : 'business days'}. Deadline: ${p.deadline}.`,
  'deadline.skipped_holiday': (p) => `${p.date}: ${p.name}`,
  'deadline.unverified_years': (p) =>
    `Warning: the public holidays for ${p.years} have not been verified by the Technical Secretariat.`,
  'label.troika': 'Troika',
  'label.answers': 'Responses',
  'troika_request.revised': (p) =>
    `The text of consultation ${p.reference} has been revised (version ${p.version}); earlier approvals no longer apply.`,
  'extension.heading': (p) => `Consultation ${p.reference}: deadline extended`,
  'extension.body': (p) =>
    `The period for responding to the proposal "${p.title}" (${p.reference}) has been extended. New deadline: ${p.deadline}.`,
  'digest.started': 'Started',
  'digest.sent_to_troika': 'Sent to the Troika',
  'digest.circulated': 'Circulated to Member Countries',
  'digest.extended': 'Deadline extended',
  'digest.ended': 'Ended',
  'digest.author_implicit': 'proposing country',
  'digest.missing': 'No response',
  'digest.who': 'Recorded by',
  'digest.when': 'Date',
  'time.zone_of': (p) => `${p.place} time`,
  'reminder.troika_pending': (p) =>
    `The proposal "${p.title}" (${p.reference}) has been awaiting your review as a Troika member since ${p.since}. You may approve its circulation, request changes or object to it using the buttons in this message.`,
  'reminder.act_here': "You may record your country's position using the buttons in this message.",
  'weekly.heading': (p) => `Open consultations, week of ${p.week}`,
  'weekly.intro': (p) => (p.count === 1 ? 'There is 1 open consultation.' : `There are ${p.count} open consultations.`),
  'weekly.troika_reactions': (p) => `Troika: ${p.reacted}/${p.total} decisions`,

  // ---- Slack adapter: cards, forms, Home tab (adapters/slack) ----
  'slack.proposal_truncated': (p) =>
    `The full text is too long for this message. See the complete version with /crm status ${p.reference}.`,
  'slack.table_truncated': 'The table was shortened because of its length; the Technical Secretariat keeps the full record.',
  'card.recorded': (p) => sentence(`Recorded by ${p.who} on ${p.when}: ${p.what}`),
  'card.position_may_change': 'The position may be changed until the deadline using the buttons below.',
  'card.troika_may_change': 'While the Troika review lasts, you may change your decision using the buttons below.',
  'card.closed.replaced': (p: { version: number; when: string }) =>
    `This version of the text was replaced by version ${p.version} on ${p.when}: please answer on the message of the new version.`,
  'card.closed.circulated': (p: { when: string }) =>
    `The Troika approved the circulation: the text was sent to the Member Countries on ${p.when}. The Troika's review is over.`,
  'card.closed.not_endorsed': (p: { when: string }) => `The Troika did not endorse the circulation on ${p.when}: the consultation ended without being circulated to the Member Countries.`,
  'card.closed.withdrawn': (p: { when: string }) => `The consultation was withdrawn on ${p.when}: answers are no longer recorded.`,
  'card.closed.closed': (p: { when: string; outcome: string }) => `The consultation closed on ${p.when}. Outcome: ${p.outcome}. Positions can no longer be recorded or changed.`,
  'result.list.support': (p: { countries: string }) => `Supporting: ${p.countries}.`,
  'result.list.object': (p: { countries: string }) => `Objecting: ${p.countries}.`,
  'result.list.abstain': (p: { countries: string }) => `Abstaining: ${p.countries}.`,
  'result.list.none': (p: { countries: string }) => `No response: ${p.countries}.`,
  'card.no_more_actions': 'No further action can be taken on this request.',
  'form.cancel': 'Cancel',
  'form.proposal.hint': (p) => `Up to ${p.max} characters.`,
  'form.reason.heading.changes': 'Request changes',
  'form.reason.heading.object': 'Object to circulation',
  'form.reason.heading.position_object': 'Object to the proposal',
  'form.reason.prompt.changes':
    'Please state the changes you request to the text of the proposal. Your request will be recorded and passed on to the Technical Secretariat.',
  'form.reason.prompt.object': 'Please state why you object to the circulation of the proposal. The reason will be recorded.',
  'form.reason.prompt.position_object':
    "Please state the reason for your country's objection. It will be recorded in the summary of the consultation.",
  'home.heading': 'RCM special consultations',
  'home.awaiting_my_country': "Awaiting your country's position",
  'home.open': 'Open consultations',
  'home.my_country_answers': "Positions recorded by your country",
  'home.none': 'There are no consultations in this section.',
  'home.more': (p) => `… and ${p.count} more. Use /crm list to see them all.`,
  'home.new_consultation': 'New consultation',
  'home.view': 'View',

  // ---- /crm command catalogue (src/commands) and the Slack conversation (adapters/slack/listeners) ----
  'help.heading': 'The /crm commands',
  'help.consult': (p) => `${p.cmd}: open the form for a new special consultation (PPT focal points and the Technical Secretariat).`,
  'help.status': (p) => `${p.cmd}: the state of a consultation (stage, version, Troika, responses and deadline); without a reference, the latest open consultations.`,
  'help.list': (p) => `${p.cmd}: open consultations.`,
  'help.deadline': (p) => `${p.cmd}: when a consultation circulated now would close, per the Technical Secretariat's calendar (5 business days unless you give another number).`,
  'help.revise': (p) => `${p.cmd}: submit a new version of the text to the Troika (PPT and Technical Secretariat).`,
  'help.extend': (p) => `${p.cmd}: extend the deadline, with a justification (PPT and Technical Secretariat).`,
  'help.withdraw': (p) => `${p.cmd}: withdraw a consultation (PPT and Technical Secretariat).`,
  'help.help': (p) => `${p.cmd}: this help.`,
  'help.buttons': "Positions and Troika decisions are recorded with the buttons in the bot's messages, or from the app's Home tab.",
  'help.problem.unknown': (p) => `"${p.word}" is not a command. These are the commands available:`,
  'help.problem.missing_reference': (p) => `The consultation reference is missing. Usage: ${p.usage}`,
  'help.problem.invalid_reference': (p) => `"${p.given}" is not a consultation reference (for example, CRM-2026-003). Usage: ${p.usage}`,
  'help.problem.invalid_days': (p) => `"${p.given}" is not a valid number of business days: give a whole number between ${p.min} and ${p.max}.`,
  'help.problem.extra_arguments': (p) => `The command has too many words. Usage: ${p.usage}`,
  'status.latest_heading': 'Latest open consultations',
  'status.detail_hint': (p) => `For the details of a consultation: ${p.cmd}`,
  'status.more': (p) => `… and ${p.count} more. See them all with ${p.cmd}.`,
  'status.troika_line': (p) => `${p.country}: ${p.decision}`,
  'deadline.heading': 'Deadline of a consultation circulated now',
  'deadline.calendar_secretariat': (p) => `Business-day calendar of the Technical Secretariat (${p.place}).`,
  'deadline.skipped_heading': 'Public holidays not counted:',
  'deadline.no_holidays': 'No public holidays fall in that period.',
  'slack.manage_only': 'Only the focal points of the Pro Tempore Presidency and Technical Secretariat staff may start, revise, extend or withdraw a consultation.',
  'slack.invalid_button': "This button is not valid. Please use the buttons in the consultation's latest message or the app's Home tab.",
  'slack.decision_recorded': (p) => sentence(`Recorded for ${p.reference}: ${p.what}`),
  'slack.consultation_started': (p) =>
    `Consultation ${p.reference} "${p.title}" was created and sent to the Troika for review. Each Troika response will show in the consultation's status, in the Technical Secretariat's channel and in the messages to the Pro Tempore Presidency.`,
  'slack.consultation_not_started': (p) => `The consultation was not created. ${p.reason}`,
  'slack.revised': (p) => `Version ${p.version} of the text of consultation ${p.reference} was sent to the Troika.`,
  'slack.extended': (p) => `The deadline of consultation ${p.reference} was extended. New deadline: ${p.deadline}. All Member Countries have been informed.`,
  'slack.withdrawn': (p) => `Consultation ${p.reference} was withdrawn. The Member Countries and the Technical Secretariat were informed.`,
  'slack.not_done': (p) => `The action was not carried out. ${p.reason}`,
  'slack.processing': 'Your request is being processed; you will receive the confirmation shortly.',
  'slack.modal_title': 'Special consultation',
  'slack.loading': 'Loading the consultation…',
  'slack.close': 'Close',
  'slack.who': (p) => `${p.name} (${p.country})`,
  'slack.what_with_reason': (p) => `${p.what}; reason: ${p.reason}`,
  'form.revise.heading': 'Revise the text',
  'form.revise.submit': 'Send to the Troika',
  'form.revise.intro': (p) =>
    `Consultation ${p.reference}, version ${p.version}. The new version will be sent to the Troika and its earlier approvals will no longer apply.`,
  'form.revise.title_hint': 'You may leave the title as it is.',
  'form.extend.heading': 'Extend the deadline',
  'form.extend.submit': 'Extend',
  'form.extend.intro': (p) =>
    `Current deadline of consultation ${p.reference}: ${p.deadline}. Give a number of business days counted from circulation, or an explicit deadline.`,
  'form.extend.days_label': 'Business days from circulation',
  'form.extend.justification_hint': 'Required. It will be sent to all Member Countries.',
  'form.extend.choose': 'Give a number of business days or a deadline.',
  'form.extend.both': 'Give the business days or the deadline, not both.',
  'form.withdraw.heading': 'Withdraw consultation', // a modal title: 24 characters at most
  'form.withdraw.submit': 'Withdraw',
  'form.withdraw.confirm': (p) =>
    `Withdraw consultation ${p.reference} "${p.title}"? All Member Countries and the Technical Secretariat will be informed. This cannot be undone.`,
  'form.withdraw.reason_label': 'Reason (optional)',
  'home.detail.member': (p) => `Deadline: ${p.deadline} · Responses: ${p.answers}`,
  'home.detail.troika': (p) => `Under Troika review · ${p.reacted}/${p.total} decisions`,
  'home.detail.answer': (p) => sentence(`Recorded by ${p.who} on ${p.when}: ${p.what}`),
  'home.no_access': 'Special consultations are addressed to the Member Countries and the Technical Secretariat. Your account has no consultations to show.',
  'home.updated': (p) => `Updated: ${p.when}`,

  // domain helper: bilingual texts, visibility and the resend of a text the Troika did not endorse (issue 8)
  'form.translation.language.es': 'Spanish',
  'form.translation.language.en': 'English',
  'form.title_translation.label': (p) => `Title in ${p.language} (optional)`,
  'form.proposal_translation.label': (p) => `Text of the proposal in ${p.language} (optional)`,
  'form.proposal_translation.hint': (p) =>
    `People who read ${p.language} will receive this text; without it, they receive the original and are told only the original exists.`,
  'form.translation.needs_both': (p) => `Give both the title and the text in ${p.language}, or neither.`,
  'form.visibility.label': "Other countries' answers",
  'form.visibility.at_close': 'Member Countries see them at the close',
  'form.visibility.live': 'Member Countries see them as they come',
  'form.visibility.hint':
    "Each country always sees its own answer; the Technical Secretariat and the Pro Tempore Presidency see every answer as it comes.",
  'form.resend.heading': 'Resend to the Troika',
  'form.resend.intro': (p) =>
    `The Troika did not endorse consultation ${p.reference}. Country that objected: ${p.country}. Reason: ${quotedSentence(p.reason, 'en')} The revised text will be sent to the Troika as a new consultation that replaces consultation ${p.reference}, with the same rules. The Member Countries never received consultation ${p.reference}.`,
  'resend.already_resent': (p) =>
    `Consultation ${p.reference} was already resent to the Troika as consultation ${p.by}; to change the text, revise consultation ${p.by}.`,
  'slack.resent': (p) => `Consultation ${p.reference} was sent to the Troika; it replaces consultation ${p.previous}, which the Troika did not endorse.`,

  // ---- The audit record (src/record): crm consultations show / export, the PDF attached to the digest ----
  'record.title': (p) => `Record of consultation ${p.reference}`,
  'record.section.summary': 'Consultation',
  'record.section.versions': 'Text versions',
  'record.section.troika': 'Troika reactions',
  'record.section.members': 'Member Country positions',
  'record.section.timeline': 'Timeline',
  'record.section.refusals': 'Refused attempts',
  'record.row.member': 'Member Country',
  'record.row.refusal': 'Refused attempt',
  'record.label.version': 'Version',
  'record.label.section': 'Section',
  'record.label.number': 'No.',
  'record.label.when': 'Date and time',
  'record.label.what': 'What',
  'record.label.detail': 'Detail',
  'record.label.who': 'Who',
  'record.label.role': 'Role',
  'record.label.on_behalf_of': 'On behalf of',
  'record.label.platform': 'Platform',
  'record.label.text': 'Text',
  'record.label.hash': 'Hash (SHA-256)',
  'record.label.decision': 'Decision',
  'record.label.seat': 'Seat in the Troika',
  'record.label.answer': 'Answer given',
  'record.label.earlier': 'Earlier positions',
  'record.label.generated': 'Record generated',
  'record.label.time_zone': 'Time zone',
  'record.label.close_reason': 'Why it closed',
  'record.label.supersedes': 'Resends consultation',
  'record.label.from_stage': 'Stage when withdrawn',
  'record.label.previous_deadline': 'Previous deadline',
  'record.version': (p) => `Version ${p.number}`,
  'record.original': (p) => `Original (${p.language})`,
  'record.original_plain': 'Original',
  'record.translation': (p) => `Translation (${p.language})`,
  'record.language.es': 'Spanish',
  'record.language.en': 'English',
  'record.times': (p) => `Dates and times in ISO 8601 with the UTC offset of the Technical Secretariat's seat (${p.zone}).`,
  'record.troika_incomplete': 'Two-country Troika: the incoming presidency had not been designated.',
  'record.no_refusals': 'No refused attempts.',
  'record.no_troika': 'The text was never sent to the Troika.',
  'record.page': (p) => `Page ${p.page} of ${p.total}`,
  'record.role.staff': 'Technical Secretariat staff',
  'record.role.focal_point': 'Focal point',
  'record.role.system': 'System',
  'record.role.unknown': 'No recorded role',
  'record.seat.previous': 'Previous presidency',
  'record.seat.current': 'Pro Tempore Presidency',
  'record.seat.next': 'Incoming presidency',
  'record.implicit': 'implicit approval of the proposing country',
  'record.platform.slack': 'Slack',
  'record.platform.teams': 'Teams',
  'record.platform.cli': 'Command line',
  'record.platform.console': 'Console',
  'record.platform.system': 'System',
  'record.platform.unknown': 'Unknown',
  'record.event.consultation_started': 'Consultation started',
  'record.event.text_revised': 'Text revised',
  'record.event.sent_to_troika': 'Sent to the Troika',
  'record.event.troika_reacted': 'Troika reaction',
  'record.event.consultation_not_endorsed': 'Not endorsed by the Troika',
  'record.event.member_consultation_opened': 'Circulated to the Member Countries',
  'record.event.position_recorded': 'Position recorded',
  'record.event.deadline_extended': 'Deadline extended',
  'record.event.consultation_withdrawn': 'Consultation withdrawn',
  'record.event.consultation_closed': 'Consultation closed',
  'record.close_reason.deadline': 'The deadline passed',
  'record.close_reason.all_answered': 'Every Member Country answered',
  'record.attempt.start': 'Start a consultation',
  'record.attempt.sendToTroika': 'Send the text to the Troika',
  'record.attempt.reactTroika': 'React as a Troika member',
  'record.attempt.revise': 'Revise the text',
  'record.attempt.recordPosition': 'Record a position',
  'record.attempt.extend': 'Extend the deadline',
  'record.attempt.withdraw': 'Withdraw the consultation',
  'record.attempt.close': 'Close the consultation',
  'record.attempt.unknown': 'Another action',
  'record.attached.heading': (p) => `Record of consultation ${p.reference}`,
  'record.attached.body': (p) =>
    `Attached is the full record of consultation ${p.reference} as a PDF, in Spanish and English: every text version with its hash, the Troika's reactions, each Member Country's position, the timeline and the refused attempts.`,
  'record.attached.cli': (p) => `The Technical Secretariat can also get it with ${p.command}.`,
  // email helper: e-mails to focal points and the answer page behind their links (issue 10)
  'email.answer_intro': (p) =>
    `Please answer on the page of the link. The link is personal: it records answers in your name, so please do not forward it. It works until ${p.expires}, and no longer once the consultation has ended.`,
  'email.answer_link': 'Open the answer page',
  'email.footer':
    'Sent by the RCM consultation assistant on behalf of the Technical Secretariat. Please do not reply to this e-mail; for any question, write to the Technical Secretariat.',
  'answer.page_title': (p) => `Consultation ${p.reference}`,
  'answer.legend': 'Your answer',
  'answer.reason_hint.troika': 'Required to request changes or to object; it will be recorded.',
  'answer.reason_hint.member': 'Required to object; it will be recorded in the summary of the consultation.',
  'answer.personal': 'This page is personal: it records answers in your name.',
  'answer.recorded_heading': 'Answer recorded',
  'answer.not_recorded_heading': 'Answer not recorded',
  'answer.already_sent': 'This answer had already been sent with this link; nothing was changed.',
  'answer.back': 'Back to the consultation',
  'answer.invalid_heading': 'Link not valid',
  'answer.invalid':
    'This link is not valid; it may have been copied incompletely. Please open the link of the latest e-mail about the consultation, or write to the Technical Secretariat.',
  'answer.expired_heading': 'Link expired',
  'answer.expired': 'This link has expired. Please open the link of the latest e-mail about the consultation, or write to the Technical Secretariat.',
  'answer.ended_heading': 'Consultation ended',
  'answer.troika_over': (p) => `The Troika's review of consultation ${p.reference} is over; this link no longer records decisions.`,
  'answer.latest_email': 'Please use the link of the latest e-mail about the consultation.',
  'answer.choice_invalid': 'Please choose one of the answers offered.',
  // messages helper: issue 8 parts 2 and 6 (who hears what, results that say why, deadlines, languages)
  'text.only_original': (p) => `This text is only available in ${p.language}, its original language.`,
  'text.translated': (p) => `English translation; the original is in ${p.language}.`,
  'reason.line': (p) => `Reason: ${p.reason}`,
  'justification.line': (p) => `Justification of the period: ${p.justification}`,
  'troika_feedback.heading': (p) => `Consultation ${p.reference}: the Troika requests changes`,
  'troika_feedback.changes': (p) =>
    `${p.who}, for ${p.country}, requests changes to version ${p.version} of the proposal "${p.title}" (${p.reference}).`,
  'troika_feedback.revise_hint': (p) => `To send a revised version to the Troika, use ${p.cmd}. Earlier approvals will no longer apply.`,
  'result.not_endorsed_by': (p) =>
    `The Troika did not endorse the circulation of the proposal "${p.title}" (${p.reference}): ${p.country} objected to it. The consultation ends without being circulated to the Member Countries.`,
  'result.resend_hint': (p) => `To revise the text and present it to the Troika again, use ${p.cmd}: it starts a new consultation linked to this one.`,
  'result.withdrawn_by': (p) => `The proposal "${p.title}" (${p.reference}) was withdrawn by ${p.by}.`,
  'result.objection_by': (p) => `Objection by ${p.country}: ${p.reason}`,
  'withdrawn.by_ppt': (p) => `${p.country}, as the Pro Tempore Presidency`,
  'withdrawn.by_st': 'the Technical Secretariat',
  'digest.version_line': (p) => `Version ${p.version} · ${p.hash}, submitted on ${p.when}`,
  'digest.reaction_line': (p) => `${p.country}: ${p.decision}, by ${p.who}, on ${p.when}.`,
  'digest.reaction_implicit': (p) => `${p.country}: ${p.decision}, as the proposing country.`,
  'digest.reaction_missing': (p) => `${p.country}: no response to this version.`,
  'digest.extension_line': (p) => `Deadline extended on ${p.when} by ${p.who}. New deadline: ${p.deadline}.`,
  'digest.withdrawn_by': (p) => `Withdrawn by ${p.by}.`,
  'digest.not_circulated': 'The text was never circulated to the Member Countries.',
  'slack.withdrawn_troika': (p) => `Consultation ${p.reference} was withdrawn. The Troika and the Technical Secretariat were informed.`,
  'slack.withdrawn_draft': (p) => `Consultation ${p.reference} was withdrawn. The Technical Secretariat was informed.`,
  'form.withdraw.confirm_troika': (p) =>
    `Withdraw consultation ${p.reference} "${p.title}"? The Troika and the Technical Secretariat will be informed. This cannot be undone.`,
  // ---- Teams ----
  'teams.welcome.heading': 'Welcome to the RCM consultations bot',
  'teams.welcome.intro':
    'In this chat you will receive the requests of the special consultations of the Regional Conference on Migration, reminders before each deadline, and the results.',
  'teams.welcome.buttons': "Positions and the Troika's decisions are recorded with the buttons on the cards the bot sends.",
  'teams.welcome.commands': 'You can type these commands in this chat:',
  'teams.forms_not_yet':
    'Consultations cannot be started, revised, extended or withdrawn from Microsoft Teams yet. Please use /crm in Slack or ask the Technical Secretariat.',
};
