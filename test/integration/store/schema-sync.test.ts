/**
 * schema.prisma and prisma/migrations must describe the same database. Prisma's own check
 * (`prisma migrate diff`) needs the native schema engine we cannot download, so we do it ourselves:
 * Prisma parses schema.prisma into its DMMF (through a tiny generator, fixtures/dmmf-generator.mjs),
 * we derive the tables, columns, types, nullability, defaults, indexes, unique constraints and
 * foreign keys Prisma Migrate would create from it, apply the migrations to a fresh database,
 * introspect the catalog, and compare. Hand-written extras that schema.prisma cannot express (the
 * append-only trigger, the outbox status CHECK) are outside this comparison and tested in
 * migrate.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlSession } from '../../../src/store/sql.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCHEMA = join(ROOT, 'prisma', 'schema.prisma');
const GENERATOR = fileURLToPath(new URL('./fixtures/dmmf-generator.mjs', import.meta.url));
const PRISMA_CLI = join(dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

// ─── The shape both sides are reduced to ─────────────────────────────────────────────────────────

interface Column {
  type: string;
  nullable: boolean;
  default: string | null;
}
interface Index {
  unique: boolean;
  primary: boolean;
  columns: string;
}
interface ForeignKey {
  columns: string;
  references: string;
  onDelete: string;
  onUpdate: string;
}
interface Table {
  columns: Record<string, Column>;
  indexes: Record<string, Index>;
  foreignKeys: Record<string, ForeignKey>;
}
type Shape = Record<string, Table>;

/** Every difference as one line naming its path, e.g. `consultations.columns.extra_note: only in schema.prisma`. */
function differences(fromSchema: unknown, fromDb: unknown, path = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(fromSchema) && isObject(fromDb)) {
    const keys = [...new Set([...Object.keys(fromSchema), ...Object.keys(fromDb)])].sort();
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in fromDb)) return [`${p}: only in schema.prisma`];
      if (!(k in fromSchema)) return [`${p}: only in the migrations`];
      return differences(fromSchema[k], fromDb[k], p);
    });
  }
  return JSON.stringify(fromSchema) === JSON.stringify(fromDb)
    ? []
    : [`${path}: schema.prisma says ${JSON.stringify(fromSchema)}, the migrations make ${JSON.stringify(fromDb)}`];
}

// ─── schema.prisma → Shape, through Prisma's DMMF ────────────────────────────────────────────────

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  hasDefaultValue: boolean;
  default?: unknown;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; dbName?: string | null }[]; indexes: DmmfIndex[] };
}

async function dmmfOf(schemaText: string): Promise<Dmmf> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-dmmf-'));
  try {
    const out = join(dir, 'dmmf.json');
    const generator = `generator dmmf {\n  provider = ${JSON.stringify(`node ${GENERATOR}`)}\n  output   = ${JSON.stringify(out)}\n}`;
    const replaced = schemaText.replace(/^generator\s+\w+\s*\{[^}]*\}/gm, '');
    if (replaced === schemaText) throw new Error('no generator block found in schema.prisma');
    await writeFile(join(dir, 'schema.prisma'), `${generator}\n${replaced}`);
    await promisify(execFile)(process.execPath, [PRISMA_CLI, 'generate', '--schema', join(dir, 'schema.prisma')], {
      cwd: dir,
      // Same offline workaround as scripts/prisma-generate.mjs: the engine file only has to exist.
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
    return JSON.parse(await readFile(out, 'utf8')) as Dmmf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What Prisma Migrate creates for a scalar field on PostgreSQL, in format_type() spelling. */
function columnType(f: DmmfField, enums: Map<string, string>): string {
  if (f.isList) throw new Error(`${f.name}: list columns are not supported by this test yet`);
  if (f.kind === 'enum') return `"${enums.get(f.type) ?? f.type}"`;
  const [native, args = []] = f.nativeType ?? [undefined, []];
  const p = args.join(',');
  const withArgs = (base: string) => (p ? `${base}(${p})` : base);
  switch (f.type) {
    case 'String':
      if (!native || native === 'Text') return 'text';
      if (native === 'VarChar') return withArgs('character varying');
      if (native === 'Char') return withArgs('character');
      if (native === 'Uuid') return 'uuid';
      break;
    case 'Int':
      if (!native || native === 'Integer') return 'integer';
      if (native === 'SmallInt') return 'smallint';
      break;
    case 'BigInt':
      return 'bigint';
    case 'Boolean':
      return 'boolean';
    case 'Float':
      return native === 'Real' ? 'real' : 'double precision';
    case 'Decimal':
      return `numeric(${p || '65,30'})`;
    case 'Bytes':
      return 'bytea';
    case 'Json':
      return native === 'Json' ? 'json' : 'jsonb';
    case 'DateTime':
      if (!native) return 'timestamp(3) without time zone';
      if (native === 'Timestamp') return `timestamp(${p || '3'}) without time zone`;
      if (native === 'Timestamptz') return `timestamp(${p || '3'}) with time zone`;
      if (native === 'Date') return 'date';
      break;
  }
  throw new Error(`${f.name}: type ${f.type} ${native ?? ''} is not mapped by this test yet; extend columnType()`);
}

/** The DEFAULT Prisma Migrate writes, as pg_get_expr() prints it back; null when the client fills it. */
function columnDefault(f: DmmfField, table: string, column: string, type: string): string | null {
  if (!f.hasDefaultValue) return null;
  const d = f.default;
  if (typeof d === 'object' && d !== null && 'name' in d) {
    const fn = d as { name: string; args: unknown[] };
    if (fn.name === 'now') return 'CURRENT_TIMESTAMP';
    if (fn.name === 'autoincrement') return `nextval('${table}_${column}_seq'::regclass)`;
    if (['uuid', 'cuid', 'nanoid', 'ulid'].includes(fn.name)) return null; // generated by Prisma Client
    if (fn.name === 'dbgenerated') return String(fn.args[0]);
    throw new Error(`${f.name}: default ${fn.name}() is not mapped by this test yet`);
  }
  if (typeof d === 'string') return `'${d.replaceAll("'", "''")}'::${type === 'text' ? 'text' : type}`;
  if (typeof d === 'number' || typeof d === 'boolean') return String(d);
  throw new Error(`${f.name}: default ${JSON.stringify(d)} is not mapped by this test yet`);
}

function shapeFromDmmf(dmmf: Dmmf): Shape {
  const { models, enums, indexes } = dmmf.datamodel;
  const enumNames = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: string, field: string) => {
    const f = models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
    if (!f) throw new Error(`${model}.${field} not found`);
    return f.dbName ?? f.name;
  };
  const shape: Shape = {};
  for (const m of models) {
    const table = tableOf.get(m.name)!;
    const t: Table = { columns: {}, indexes: {}, foreignKeys: {} };
    for (const f of m.fields) {
      if (f.kind === 'object') {
        if (!f.relationFromFields?.length) continue;
        const cols = f.relationFromFields.map((x) => columnOf(m.name, x));
        const optional = f.relationFromFields.some((x) => !m.fields.find((y) => y.name === x)!.isRequired);
        t.foreignKeys[`${table}_${cols.join('_')}_fkey`] = {
          columns: cols.join(','),
          references: `${tableOf.get(f.type)}(${f.relationToFields!.map((x) => columnOf(f.type, x)).join(',')})`,
          onDelete: f.relationOnDelete ?? (optional ? 'SetNull' : 'Restrict'),
          onUpdate: f.relationOnUpdate ?? 'Cascade',
        };
        continue;
      }
      const column = f.dbName ?? f.name;
      const type = columnType(f, enumNames);
      t.columns[column] = { type, nullable: !f.isRequired, default: columnDefault(f, table, column, type) };
    }
    shape[table] = t;
  }
  for (const ix of indexes) {
    const table = tableOf.get(ix.model)!;
    const cols = ix.fields.map((f) => columnOf(ix.model, f.name));
    if (ix.type === 'fulltext') throw new Error('fulltext indexes are not mapped by this test yet');
    const suffix = ix.type === 'id' ? 'pkey' : ix.type === 'unique' ? 'key' : 'idx';
    const name = ix.dbName ?? (ix.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`);
    shape[table]!.indexes[name] = { unique: ix.type !== 'normal', primary: ix.type === 'id', columns: cols.join(',') };
  }
  return shape;
}

// ─── migrations → Shape, through the catalog ─────────────────────────────────────────────────────

const ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

async function shapeFromDatabase(sql: SqlSession): Promise<Shape> {
  const shape: Shape = {};
  const table = (name: string) => (shape[name] ??= { columns: {}, indexes: {}, foreignKeys: {} });
  const ours = `n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`;

  const tables = await sql.query<{ t: string }>(
    `SELECT t.relname AS t FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace WHERE t.relkind = 'r' AND ${ours}`,
  );
  for (const r of tables.rows) table(r.t);

  const columns = await sql.query<{ t: string; c: string; type: string; nullable: boolean; def: string | null }>(
    `SELECT t.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS def
     FROM pg_attribute a
     JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE t.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND ${ours}`,
  );
  for (const r of columns.rows) table(r.t).columns[r.c] = { type: r.type, nullable: r.nullable, default: r.def };

  const indexes = await sql.query<{ t: string; name: string; uniq: boolean; pk: boolean; cols: string }>(
    `SELECT t.relname AS t, i.relname AS name, ix.indisunique AS uniq, ix.indisprimary AS pk,
            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord)
               FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS cols
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE ${ours}`,
  );
  for (const r of indexes.rows) table(r.t).indexes[r.name] = { unique: r.uniq, primary: r.pk, columns: r.cols };

  const fks = await sql.query<{ t: string; name: string; cols: string; ref: string; refcols: string; del: string; upd: string }>(
    `SELECT t.relname AS t, c.conname AS name, rt.relname AS ref, c.confdeltype::text AS del, c.confupdtype::text AS upd,
            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS refcols
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_class rt ON rt.oid = c.confrelid
     WHERE c.contype = 'f' AND ${ours}`,
  );
  for (const r of fks.rows) {
    table(r.t).foreignKeys[r.name] = {
      columns: r.cols,
      references: `${r.ref}(${r.refcols})`,
      onDelete: ACTIONS[r.del] ?? r.del,
      onUpdate: ACTIONS[r.upd] ?? r.upd,
    };
  }
  return shape;
}

// ─── The tests ───────────────────────────────────────────────────────────────────────────────────

let schemaText: string;
let fromSchema: Shape;

beforeAll(async () => {
  schemaText = await readFile(SCHEMA, 'utf8');
  fromSchema = shapeFromDmmf(await dmmfOf(schemaText));
});

it('reads a plausible shape from schema.prisma', () => {
  expect(Object.keys(fromSchema).sort()).toEqual(
    [
      'app_secrets', 'command_log', 'consultation_events', 'consultations', 'countries', 'delivery_pacing', 'directory_imports', 'focal_points',
      'holiday_overrides', 'inbox', 'organizations', 'outbox', 'people', 'presidency_terms', 'reference_counters', 'reminders_sent', 'staff',
      'meetings', 'meeting_invitations', 'duty_completions', 'duty_reminders_sent', 'observer_applications', 'meeting_reference_counters',
      'teams_conversations', 'teams_users', 'teams_sends',
    ].sort(),
  );
  expect(fromSchema['consultation_events']!.columns['id']).toEqual({
    type: 'bigint',
    nullable: false,
    default: "nextval('consultation_events_id_seq'::regclass)",
  });
  expect(fromSchema['outbox']!.indexes['outbox_status_next_attempt_at_idx']).toEqual({ unique: false, primary: false, columns: 'status,next_attempt_at' });
});

it('notices a column, a type and an index that only schema.prisma has', async () => {
  const mutated = schemaText
    .replace(/(model Consultation \{[^}]*?\n  title +String\n)/, '$1  extraNote String? @map("extra_note")\n')
    .replace(/(model Consultation \{[^}]*?\n  version +)Int\n/, '$1BigInt\n')
    .replace(/(model Consultation \{[^}]*?)@@index\(\[stage\]\)/, '$1@@index([stage, title])');
  expect(mutated).not.toBe(schemaText);
  const diff = differences(shapeFromDmmf(await dmmfOf(mutated)), fromSchema);
  expect(diff).toEqual([
    'consultations.columns.extra_note: only in schema.prisma',
    'consultations.columns.version.type: schema.prisma says "bigint", the migrations make "integer"',
    'consultations.indexes.consultations_stage_idx: only in the migrations',
    'consultations.indexes.consultations_stage_title_idx: only in schema.prisma',
  ]);
});

describe.each(BACKENDS)('schema.prisma and prisma/migrations on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend, import.meta.url);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('describe the same tables, columns, types, nullability, defaults, indexes, uniques and foreign keys', async () => {
    const fromMigrations = await shapeFromDatabase(db.sql);
    expect(differences(fromSchema, fromMigrations)).toEqual([]);
  });

  it('notices a column, a default and an index that only the migrations have', async () => {
    await db.sql.exec(`
      ALTER TABLE "outbox" ADD COLUMN "sneaky" TEXT;
      ALTER TABLE "outbox" ALTER COLUMN "attempts" SET DEFAULT 1;
      DROP INDEX "people_teams_id_key";
      ALTER TABLE "staff" DROP CONSTRAINT "staff_person_id_fkey";`);
    expect(differences(fromSchema, await shapeFromDatabase(db.sql))).toEqual([
      'outbox.columns.attempts.default: schema.prisma says "0", the migrations make "1"',
      'outbox.columns.sneaky: only in the migrations',
      'people.indexes.people_teams_id_key: only in schema.prisma',
      'staff.foreignKeys.staff_person_id_fkey: only in schema.prisma',
    ]);
  });
});
