/**
 * Steps shared by the flow tests: the PPT (PA, December 2026) starts and sends to the Troika, the Troika
 * (MX, SV) approves, the member stage opens. People are identified from their Slack ids in the example
 * directory, exactly as the Slack adapter does.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ConsultationState } from '../../../src/domain/types.ts';
import type { CountryCode } from '../../../src/directory/model.ts';
import { reactTroika, startConsultation, type StartInput } from '../../../src/flows/consultation-flows.ts';
import type { FlowResult } from '../../../src/flows/execute.ts';
import { slackActor, type TestEngine } from '../../helpers/engine.ts';

export const MEMBERS: readonly CountryCode[] = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'];
export const OBSERVERS: readonly CountryCode[] = ['AR', 'CO', 'EC', 'JM', 'PE'];

/** Slack ids of the example directory. */
export const SLACK = {
  /** Itzel Castillo, PA: the PPT in office in December 2026. */
  ppt: 'U0PA0000001',
  ppt2: 'U0PA0000002',
  /** Fernanda Ríos and Miguel Ángel Torres, MX: previous PPT. */
  mx: 'U0MX0000001',
  mx2: 'U0MX0000002',
  /** Rodrigo Alvarado, SV: incoming PPT. */
  sv: 'U0SV0000001',
  /** Ana Rojas Vargas and Daniel Brenes, ST staff. */
  staff: 'U0ST0000001',
  staff2: 'U0ST0000002',
  stChannel: 'C0ST0000001',
} as const;

/** The first focal point's Slack id of a Member Country in the example directory. */
export const fp1 = (country: CountryCode): string => `U0${country}0000001`;

export const newKey = (label: string): string => `${label}:${randomUUID()}`;

export function expectOk(r: FlowResult): asserts r is Extract<FlowResult, { ok: true }> {
  if (!r.ok) expect.fail(`expected the command to apply, got the refusal ${r.code} ${JSON.stringify(r.detail ?? {})}`);
}

export function expectRefused(r: FlowResult, code: string): void {
  expect(r.ok, `expected the refusal ${code}`).toBe(false);
  if (!r.ok) expect(r.code).toBe(code);
}

/** Keys used by a scenario, in order, to compare with the command log. */
export class Keys {
  readonly all: string[] = [];
  next(label: string): string {
    const k = newKey(label);
    this.all.push(k);
    return k;
  }
}

export interface Started {
  id: string;
  state: ConsultationState;
}

/** The PPT (PA) starts a consultation and sends it to the Troika (two commands: key and key:send). */
export async function startByPpt(engine: TestEngine, keys: Keys, over: Partial<StartInput> = {}): Promise<Started> {
  const key = keys.next('start');
  keys.all.push(`${key}:send`);
  const r = await startConsultation(engine.deps, {
    key,
    actor: slackActor(engine, SLACK.ppt),
    title: 'Posición concertada sobre movilidad laboral',
    text: 'La CRM expresa su apoyo a la iniciativa regional de movilidad laboral ordenada.',
    deadline: { kind: 'business_days', days: 5 },
    ...over,
  });
  expectOk(r);
  return { id: r.state.consultationId, state: r.state };
}

/** Both non-author Troika countries approve the current version; the member stage opens. */
export async function approveByTroika(engine: TestEngine, keys: Keys, s: Started): Promise<ConsultationState> {
  let state = s.state;
  for (const who of [SLACK.mx, SLACK.sv]) {
    const r = await reactTroika(engine.deps, {
      key: keys.next(`troika:${who}`),
      actor: slackActor(engine, who),
      consultationId: s.id,
      version: state.currentVersion,
      reaction: 'approve',
    });
    expectOk(r);
    state = r.state;
  }
  expect(state.stage).toBe('member_consultation');
  return state;
}

export async function openMemberStage(engine: TestEngine, keys: Keys, over: Partial<StartInput> = {}): Promise<Started> {
  const s = await startByPpt(engine, keys, over);
  const state = await approveByTroika(engine, keys, s);
  return { id: s.id, state };
}
