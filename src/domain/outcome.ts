/**
 * Outcome rules (domain.md "Outcome") and the small read-only questions the shell asks of a state.
 * Only Member Countries (the consultation's frozen members) count; abstentions never block.
 */
import type { CountryCode } from '../directory/model.ts';
import type { ConsultationState, DecisionRule, Outcome, Position, PositionRecord, TextVersion } from './types.ts';

export type MemberOutcome = 'consensus' | 'no_consensus' | 'incomplete';

/**
 * - explicit: any objection → no_consensus; else any member without an answer → incomplete; else consensus.
 * - silence: any objection → no_consensus; else consensus (no answer counts as no objection).
 */
export function computeOutcome(
  rule: DecisionRule,
  members: readonly CountryCode[],
  positions: Readonly<Record<CountryCode, { position: Position } | undefined>>,
): MemberOutcome {
  let missing = false;
  for (const c of members) {
    const p = Object.hasOwn(positions, c) ? positions[c] : undefined;
    if (p === undefined) missing = true;
    else if (p.position === 'object') return 'no_consensus';
  }
  if (rule === 'explicit' && missing) return 'incomplete';
  return 'consensus';
}

export function memberCodes(state: ConsultationState): CountryCode[] {
  return state.participants.members.map((m) => m.code);
}

export function currentPosition(state: ConsultationState, country: CountryCode): PositionRecord | undefined {
  return Object.hasOwn(state.positions, country) ? state.positions[country] : undefined;
}

/**
 * The final outcome once ended; while the member stage is open, the outcome the current positions would
 * give if it closed now; undefined before the member stage.
 */
export function outcomeOf(state: ConsultationState): Outcome | undefined {
  if (state.outcome !== undefined) return state.outcome;
  if (state.stage === 'withdrawn') return 'withdrawn';
  if (state.stage === 'not_endorsed') return 'not_endorsed';
  if (state.stage !== 'member_consultation' && state.stage !== 'closed') return undefined;
  return computeOutcome(state.rule, memberCodes(state), state.positions);
}

/** Member Countries without a current position, in participants order. */
export function membersAwaiting(state: ConsultationState): CountryCode[] {
  return memberCodes(state).filter((c) => currentPosition(state, c) === undefined);
}

/** Final position per Member Country, `none` when it did not answer (the digest's metadata shape). */
export function positionsSummary(state: ConsultationState): Record<CountryCode, Position | 'none'> {
  const out: Record<CountryCode, Position | 'none'> = {};
  for (const c of memberCodes(state)) out[c] = currentPosition(state, c)?.position ?? 'none';
  return out;
}

/** Troika countries that have not reacted to the current version (empty before the Troika stage). */
export function troikaAwaiting(state: ConsultationState): CountryCode[] {
  if (!state.troika) return [];
  return state.troika.countries.filter((c) => {
    const r = Object.hasOwn(state.troikaReactions, c) ? state.troikaReactions[c] : undefined;
    return r === undefined || r.version !== state.currentVersion;
  });
}

/** True when every Troika country's latest reaction is an approval of the current version. */
export function troikaApprovedCurrent(state: ConsultationState): boolean {
  if (!state.troika || state.troika.countries.length === 0) return false;
  return state.troika.countries.every((c) => {
    const r = Object.hasOwn(state.troikaReactions, c) ? state.troikaReactions[c] : undefined;
    return r !== undefined && r.reaction === 'approve' && r.version === state.currentVersion;
  });
}

/** The consultation's current text version (the one `state.currentVersion` names). */
export function currentTextVersion(state: ConsultationState): TextVersion {
  const v = state.versions.find((x) => x.hash === state.currentVersion) ?? state.versions.at(-1);
  if (!v) throw new Error(`consultation ${state.consultationId} has no text version`);
  return v;
}
