/**
 * One consultation played through the real flows on an engine, for the audit-record tests (CLI, Slack
 * attachment): the PPT (PA) starts and sends; a Costa Rica focal point tries to react as the Troika and a
 * Jamaica observer tries to answer (both refused and recorded); MX and SV approve; every Member Country
 * answers (Costa Rica objects, then supports; Belize abstains); it closes early with consensus.
 */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../../src/app/context.ts';
import type { ConsultationState, Position } from '../../src/domain/types.ts';
import { reactTroika, recordPosition, startConsultation } from '../../src/flows/consultation-flows.ts';
import type { FlowResult } from '../../src/flows/execute.ts';
import { slackActor } from './engine.ts';

const MEMBERS = ['BZ', 'CA', 'CR', 'SV', 'US', 'GT', 'HN', 'MX', 'NI', 'PA', 'DO'] as const;
const key = (label: string) => `${label}:${randomUUID()}`;

function ok(r: FlowResult): ConsultationState {
  if (!r.ok) throw new Error(`expected the command to apply, got ${r.code}`);
  return r.state;
}

export interface PlayedStory {
  id: string;
  reference: string;
  state: ConsultationState;
}

export async function playRecordStory(engine: Engine, opts: { title?: string } = {}): Promise<PlayedStory> {
  const deps = engine.deps;
  let state = ok(
    await startConsultation(deps, {
      key: key('start'),
      actor: slackActor(engine, 'U0PA0000001'),
      title: opts.title ?? 'Protección consular de personas migrantes en tránsito',
      text: 'La CRM propone una acción concertada de protección consular; «urgente».',
      locale: 'es',
      translation: { locale: 'en', title: 'Consular protection of migrants in transit', text: 'The RCM proposes a concerted consular protection action.' },
      deadline: { kind: 'business_days', days: 5 },
    }),
  );
  const id = state.consultationId;
  const v1 = state.currentVersion;

  const refusedTroika = await reactTroika(deps, { key: key('cr-troika'), actor: slackActor(engine, 'U0CR0000001'), consultationId: id, version: v1, reaction: 'approve' });
  if (refusedTroika.ok) throw new Error('Costa Rica is not in the Troika: expected a refusal');

  for (const who of ['U0MX0000001', 'U0SV0000001']) {
    state = ok(await reactTroika(deps, { key: key('troika'), actor: slackActor(engine, who), consultationId: id, version: v1, reaction: 'approve' }));
  }
  const observer = await recordPosition(deps, { key: key('jm'), actor: slackActor(engine, 'U0JM0000001'), consultationId: id, position: 'support', version: v1 });
  if (observer.ok) throw new Error('an observer cannot answer: expected a refusal');

  const answer = async (country: string, position: Position, reason?: string) => {
    state = ok(
      await recordPosition(deps, {
        key: key(`pos-${country}`),
        actor: slackActor(engine, `U0${country}0000001`),
        consultationId: id,
        position,
        version: v1,
        ...(reason ? { reason } : {}),
      }),
    );
  };
  await answer('CR', 'object', 'Falta la consulta interna, "urgente".');
  await answer('CR', 'support');
  await answer('BZ', 'abstain');
  for (const c of MEMBERS) if (c !== 'CR' && c !== 'BZ') await answer(c, 'support');
  if (state.stage !== 'closed') throw new Error(`expected the early close, got ${state.stage}`);
  return { id, reference: state.reference, state };
}
