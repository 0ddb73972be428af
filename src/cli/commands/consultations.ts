/**
 * `crm consultations [--stage STAGE]`: the consultations in the configured database, oldest first.
 * `crm consultations show REFERENCE [--json] [--lang es|en]`: the audit record — every event (what, country,
 *   position, reason, text version and full hash, who, when with the ST's UTC offset) and every refused
 *   attempt (who, what, why); in the ST's language unless `--lang`; `--json`: one JSON object.
 * `crm consultations export REFERENCE --format pdf|csv|png|svg [--out FILE]`: the bilingual outcome record as
 *   a PDF or a CSV file, or the status picture (the Member-Country matrix and the timeline, src/pictures) as
 *   a PNG or an SVG in the ST's language and zone, to FILE or to standard output.
 *
 * Read-only: the live directory is the database's latest import (the configured file when nothing was
 * imported yet); nothing is written.
 */
import { writeFile } from 'node:fs/promises';
import { readDirectoryFile } from '../../app/context.ts';
import { REFERENCE_PATTERN } from '../../commands/catalogue.ts';
import { loadConfig } from '../../config.ts';
import type { Directory, Locale } from '../../directory/model.ts';
import type { ConsultationState, Stage } from '../../domain/types.ts';
import { consultationPictureSvg, svgToPng } from '../../pictures/index.ts';
import { t } from '../../i18n/index.ts';
import { renderCsv } from '../../record/csv.ts';
import { loadRecord } from '../../record/load.ts';
import { renderPdf } from '../../record/pdf.ts';
import { renderText } from '../../record/text.ts';
import { openDatabase, type Database } from '../../store/database.ts';
import { ConsultationStore } from '../../store/consultation-store.ts';
import { DirectoryStore } from '../../store/directory-store.ts';
import { shown, type CliIo } from '../io.ts';

const STAGES: readonly Stage[] = ['draft', 'troika_review', 'member_consultation', 'closed', 'withdrawn', 'not_endorsed'];
const FORMATS = ['pdf', 'csv', 'png', 'svg'] as const;
type Format = (typeof FORMATS)[number];
const USAGE =
  'usage: crm consultations [--stage STAGE] | crm consultations show REFERENCE [--json] [--lang es|en] | crm consultations export REFERENCE --format pdf|csv|png|svg [--out FILE]';

type Parsed =
  | { kind: 'list'; stage?: Stage }
  | { kind: 'show'; reference: string; json: boolean; lang?: Locale }
  | { kind: 'export'; reference: string; format: Format; out?: string }
  | { kind: 'error'; message: string };

/** The arguments, checked: one clear line naming what is wrong. */
export function parseArgs(args: readonly string[]): Parsed {
  const [sub, ...rest] = args;
  if (sub === 'show' || sub === 'export') {
    const name = `crm consultations ${sub}`;
    const reference = rest[0];
    if (!reference || reference.startsWith('--')) return { kind: 'error', message: `${name}: expected a REFERENCE (e.g. CRM-2026-001); ${USAGE}` };
    const ref = reference.trim().toUpperCase();
    if (!REFERENCE_PATTERN.test(ref)) return { kind: 'error', message: `${name}: ${shown(reference)} is not a consultation reference (e.g. CRM-2026-001)` };
    const flags = new Map<string, string | true>();
    for (let i = 1; i < rest.length; i++) {
      const flag = rest[i]!;
      const takesValue = sub === 'show' ? flag === '--lang' : flag === '--format' || flag === '--out';
      const known = sub === 'show' ? ['--json', '--lang'] : ['--format', '--out'];
      if (!known.includes(flag)) return { kind: 'error', message: `${name}: unexpected argument ${shown(flag)}; ${USAGE}` };
      if (flags.has(flag)) return { kind: 'error', message: `${name}: ${flag} given twice` };
      if (takesValue) {
        const value = rest[i + 1];
        if (value === undefined || value.startsWith('--')) return { kind: 'error', message: `${name}: ${flag}: expected a value` };
        flags.set(flag, value);
        i++;
      } else flags.set(flag, true);
    }
    if (sub === 'show') {
      const lang = flags.get('--lang');
      if (lang !== undefined && lang !== 'es' && lang !== 'en') return { kind: 'error', message: `${name}: --lang: expected es or en, got ${shown(String(lang))}` };
      return { kind: 'show', reference: ref, json: flags.has('--json'), ...(lang ? { lang } : {}) };
    }
    const format = flags.get('--format');
    if (format === undefined) return { kind: 'error', message: `${name}: --format: required, pdf, csv, png or svg` };
    if (!FORMATS.includes(format as Format)) return { kind: 'error', message: `${name}: --format: expected pdf, csv, png or svg, got ${shown(String(format))}` };
    const out = flags.get('--out');
    return { kind: 'export', reference: ref, format: format as Format, ...(typeof out === 'string' ? { out } : {}) };
  }
  if (args.length === 0) return { kind: 'list' };
  if (args[0] !== '--stage' || args.length !== 2) return { kind: 'error', message: `crm consultations: unexpected argument ${shown(String(args[0]))}; ${USAGE}` };
  if (!STAGES.includes(args[1] as Stage)) return { kind: 'error', message: `crm consultations: --stage: expected one of ${STAGES.join(', ')}, got ${shown(String(args[1]))}` };
  return { kind: 'list', stage: args[1] as Stage };
}

export async function run(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed.kind === 'error') {
    io.err(parsed.message);
    return 1;
  }
  if (parsed.kind === 'export' && (parsed.format === 'pdf' || parsed.format === 'png') && !parsed.out && io.isTTY) {
    io.err(`crm consultations export: not writing a ${parsed.format.toUpperCase()} to the terminal; give --out FILE or redirect the output`);
    return 1;
  }
  const config = loadConfig(env);
  const db = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  try {
    const store = new ConsultationStore(db.prisma);
    if (parsed.kind === 'list') return await list(store, parsed.stage, io);
    const directory = await liveDirectory(db, config.directoryPath);
    const record = await loadRecord(store, { reference: parsed.reference }, directory, new Date());
    if (!record) {
      io.err(`crm consultations ${parsed.kind}: no consultation ${parsed.reference}`);
      return 1;
    }
    if (parsed.kind === 'show') {
      io.out(parsed.json ? JSON.stringify(record, null, 2) : renderText(record, parsed.lang ?? directory.secretariat.locale));
      return 0;
    }
    const bytes =
      parsed.format === 'pdf'
        ? await renderPdf(record)
        : parsed.format === 'csv'
          ? Buffer.from(renderCsv(record), 'utf8')
          : await picture(db, store, parsed.reference, directory, parsed.format);
    if (parsed.out) {
      await writeFile(parsed.out, bytes);
      io.out(`${record.reference}: record written to ${parsed.out} (${parsed.format}, ${bytes.length} bytes)`);
    } else if (io.write) {
      await io.write(bytes);
    } else {
      io.err('crm consultations export: this output cannot take a file; give --out FILE');
      return 1;
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** The status picture of a consultation (as the digest's PNG shows it), in the ST's language and zone. */
async function picture(db: Database, store: ConsultationStore, reference: string, directory: Directory, format: 'png' | 'svg'): Promise<Uint8Array> {
  const stored = await store.loadByReference(reference);
  if (!stored) throw new Error(`no consultation ${reference}`); // loadRecord found it just before
  const reminders = await db.prisma.reminderSent.findMany({ where: { consultationId: stored.id }, select: { sentAt: true, country: true } });
  const svg = consultationPictureSvg(stored.snapshot as ConsultationState, directory, {
    locale: directory.secretariat.locale,
    timezone: directory.secretariat.timezone,
    reminders: reminders.map((r) => ({ at: r.sentAt.toISOString(), country: r.country })),
  });
  return format === 'png' ? svgToPng(svg) : Buffer.from(svg, 'utf8');
}

async function list(store: ConsultationStore, stage: Stage | undefined, io: CliIo): Promise<number> {
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
}

/** The database's latest directory import, else the configured file (read, not imported). */
async function liveDirectory(db: Database, path: string): Promise<Directory> {
  const latest = await new DirectoryStore(db.prisma).latest();
  if (latest) return latest.data as Directory;
  return (await readDirectoryFile(path)).directory;
}
