/**
 * `crm consultations [--stage STAGE]`: the consultations in the configured database, oldest first.
 * `crm consultations show REFERENCE`: one consultation's state and its event log (the audit record).
 */
import { loadConfig } from '../../config.ts';
import { t } from '../../i18n/index.ts';
import type { ConsultationState, Stage } from '../../domain/types.ts';
import { openDatabase } from '../../store/database.ts';
import { ConsultationStore } from '../../store/consultation-store.ts';
import type { CliIo } from '../io.ts';

const STAGES: readonly Stage[] = ['draft', 'troika_review', 'member_consultation', 'closed', 'withdrawn', 'not_endorsed'];
const USAGE = 'usage: crm consultations [--stage STAGE] | crm consultations show REFERENCE';

export async function run(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let stage: Stage | undefined;
  let show: string | undefined;
  if (args[0] === 'show') {
    if (args.length !== 2 || !args[1]) {
      io.err(`crm consultations show: expected one REFERENCE (e.g. CRM-2026-001); ${USAGE}`);
      return 1;
    }
    show = args[1].toUpperCase();
  } else if (args.length > 0) {
    if (args[0] !== '--stage' || args.length !== 2) {
      io.err(`crm consultations: unexpected argument "${args[0]}"; ${USAGE}`);
      return 1;
    }
    if (!STAGES.includes(args[1] as Stage)) {
      io.err(`crm consultations: --stage: expected one of ${STAGES.join(', ')}, got "${args[1]}"`);
      return 1;
    }
    stage = args[1] as Stage;
  }
  const config = loadConfig(env);
  const db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    const store = new ConsultationStore(db.prisma);
    if (show) return await showOne(store, show, io);
    const rows = await store.listConsultations(stage ? { stage } : {});
    if (rows.length === 0) {
      // A sentence for ST staff: the stage's name, not its code (the code is what --stage takes).
      io.out(stage ? `No consultations at this stage (${t('en', `stage.${stage}`)}).` : 'No consultations yet.');
      return 0;
    }
    io.out(['reference', 'stage', 'outcome', 'deadline', 'title'].join('\t'));
    for (const r of rows) {
      io.out([r.reference, r.stage, r.outcome ?? '-', r.deadline ? r.deadline.toISOString() : '-', r.title].join('\t'));
    }
    return 0;
  } finally {
    await db.close();
  }
}

async function showOne(store: ConsultationStore, reference: string, io: CliIo): Promise<number> {
  const c = await store.loadByReference(reference);
  if (!c) {
    io.err(`crm consultations show: no consultation ${reference}`);
    return 1;
  }
  const s = c.snapshot as ConsultationState;
  const positions = Object.fromEntries(
    s.participants.members.map((m) => [m.code, s.positions[m.code]?.position ?? 'none']),
  );
  io.out(
    JSON.stringify(
      {
        reference: s.reference,
        title: s.title,
        stage: s.stage,
        outcome: s.outcome ?? null,
        rule: s.rule,
        version: { number: s.versions.length, hash: s.currentVersion },
        troika: s.troika?.countries ?? [],
        deadline: s.deadline ?? null,
        positions,
      },
      null,
      2,
    ),
  );
  io.out('events:');
  for (const e of await store.events(c.id)) {
    io.out(`  ${e.seq}\t${e.at.toISOString()}\t${e.type}\t${e.actorPlatform}\t${e.actorPersonId ?? 'system'}`);
  }
  return 0;
}
