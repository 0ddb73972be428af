/**
 * The operator CLI and the demo, run as child processes exactly as a user runs them, on the embedded
 * defaults (a fresh CRM_DATA_DIR per test file).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.ts';
import { ROOT, runBin } from '../helpers/run-bin.ts';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-e2e-'));
  env = { CRM_DATA_DIR: join(dir, 'data') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crm CLI and npm run demo on the embedded database', () => {
  it('crm migrate applies the migrations once, then finds nothing to do', async () => {
    const first = await runBin('crm', ['migrate'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 20\d+_init/);
    const again = await runBin('crm', ['migrate'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 applied, \d+ already applied/);
  });

  it('crm consultations on an empty database says so', async () => {
    const r = await runBin('crm', ['consultations'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No consultations yet.');
  });

  it('the demo plays a consultation mixing Slack and Teams (signed requests, fake Slack API, fake Bot Connector with real JWTs) and closes it live at its deadline', { timeout: 300_000 }, async () => {
    const first = await runBin('demo', ['--deadline-seconds', '15'], env, 280_000);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const out = first.stdout;
    // Bilingual narration; what people saw in Slack, each in their language; refusals; the live close; the digest.
    expect(out).toContain('Special consultation through Slack and Microsoft Teams');
    expect(out).toMatch(/signed HTTP request to http:\/\/127\.0\.0\.1:\d+\/slack\/events/);
    expect(out).toMatch(/a request to http:\/\/127\.0\.0\.1:\d+\/api\/messages with a JWT the bot really validates/);
    // Each person's platform: who is on Teams, the one with both ids on their reach, each click and card.
    expect(out).toContain('Luis Mora Solís has both and asked the bot to write to them on Teams (reach: teams)');
    expect(out).toContain('🖱 Luis Mora Solís (Costa Rica) · Teams: [ Apoyar ]');
    expect(out).toContain('🖱 Claire Tremblay (Canada) · Slack: [ Support ]');
    expect(out).toContain('Ana Lucía Pérez (GT) · Teams');
    expect(out).not.toContain('Luis Mora Solís (CR) · Slack');
    expect(out).toContain('canal de la ST en Teams / ST channel in Teams');
    expect(out).toContain('The Teams digest carries the entity crm_consultation_closed with the same values as the Slack message metadata.');
    expect(out).not.toContain(':white_check_mark:');
    expect(out).toContain('┌ Solicitud de revisión de la Troika');
    expect(out).toContain('your position is requested');
    expect(out).toContain('se solicita su posición');
    expect(out).toContain('(solo para sí) / sees (only to them)');
    expect(out).toContain('Waiting for the deadline');
    expect(out).toContain('Outcome: Consensus.'); // the word people read, not the code
    const ref = /Reference: (CRM-\d{4}-\d{3})/.exec(out)?.[1];
    expect(ref).toBeDefined();
    const metadata = /metadata crm_consultation_closed: (\{.*\})$/m.exec(out)?.[1];
    expect(JSON.parse(metadata ?? '{}')).toEqual({
      reference: ref,
      outcome: 'consensus',
      positions: { BZ: 'abstain', CA: 'support', CR: 'support', DO: 'none', GT: 'support', HN: 'support', MX: 'support', NI: 'none', PA: 'support', SV: 'support', US: 'abstain' },
    });
    const entity = /entity crm_consultation_closed: (\{.*\})$/m.exec(out)?.[1];
    expect(JSON.parse(entity ?? '{}')).toEqual(JSON.parse(metadata ?? ''));
    expect(out).toContain('┌ Outcome of consultation');
    expect(out).toContain('┌ Resultado de la consulta');

    const list = await runBin('crm', ['consultations'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${ref}\tclosed\tconsensus`);

    const show = await runBin('crm', ['consultations', 'show', ref!], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Registro de la consulta ${ref}`);
    expect(show.stdout).toContain('Intentos rechazados');
    const json = await runBin('crm', ['consultations', 'show', ref!, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ reference: ref, outcome: 'consensus', deadline: expect.stringMatching(/-06:00$/) });
    expect(JSON.parse(json.stdout).refusals.length).toBeGreaterThan(0);
  });

  it('demo --engine plays the engine-level transcript (refusals by code), and shows the earlier consultation', { timeout: 240_000 }, async () => {
    const r = await runBin('demo', ['--engine'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Earlier consultations in this database: 1.');
    expect(out).toContain('presenta una propuesta por escrito a la Troika');
    expect(out).toContain('presents a written proposal to the Troika');
    expect(out).toContain('[not_troika_member]');
    expect(out).toContain('[stale_version]');
    expect(out).toContain('[not_focal_point_of_country]');
    expect(out).toContain('Outcome: consensus');
    expect(out).toMatch(/metadata crm_consultation_closed: \{"outcome":"consensus","positions":\{"BZ":"abstain"/);
    expect(out).toMatch(/This consultation's \d+ messages went to this transcript, not to Slack/);

    // Nothing is left for a later `npm start` (with Slack) to send: none of its messages is pending.
    const pending = await runBin('crm', ['outbox', '--status', 'pending'], env);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toMatch(/^pending 0\t/);
    expect(pending.stdout).toContain('No pending messages.');
    const db = await openDatabase({ dataDir: env.CRM_DATA_DIR! }, { migrate: false });
    try {
      const ref = /Reference assigned: (CRM-\d{4}-\d{3})/.exec(out)?.[1];
      const consultation = await db.prisma.consultation.findFirstOrThrow({ where: { reference: ref! } });
      const rows = await db.prisma.outboxMessage.findMany({ where: { consultationId: consultation.id } });
      expect(rows.length).toBeGreaterThan(40);
      for (const row of rows) {
        expect(row.status).toBe('sent');
        expect(row.receipt).toEqual({ deliveredTo: 'transcript', by: 'npm run demo -- --engine' });
      }
      expect(await db.prisma.outboxMessage.count({ where: { status: 'pending' } })).toBe(0);
    } finally {
      await db.close();
    }
    const bad = await runBin('demo', ['--nope'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown argument "--nope"');
  });

  it('crm directory import: a bad file imports nothing; a changed file is imported; the same file twice is a no-op', async () => {
    const example = await readFile(join(ROOT, 'config/directory.example.yaml'), 'utf8');
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, example.replace('slack: U0CR0000001', 'slack: not-a-slack-id'));
    const refused = await runBin('crm', ['directory', 'import', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/countries\[\d+\]\.focalPoints\[0\]\.slack: /);
    expect(refused.stderr).toContain('nothing imported');

    const changed = join(dir, 'changed.yaml');
    await writeFile(changed, example.replace('name: Luis Mora Solís', 'name: Luis Mora S.'));
    const ok = await runBin('crm', ['directory', 'import', changed], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('imported');
    const again = await runBin('crm', ['directory', 'import', changed], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to do');
  });

  it('crm directory show-troika without FILE reads the live directory (the database\'s latest import), not CRM_DIRECTORY', async () => {
    const example = await readFile(join(ROOT, 'config/directory.example.yaml'), 'utf8');
    const roster = join(dir, 'roster.yaml');
    const edited = example.replace('{ country: PA, from: 2026-11-20, to: 2027-11-18 }', '{ country: GT, from: 2026-11-20, to: 2027-11-18 }');
    expect(edited).not.toBe(example);
    await writeFile(roster, edited);
    const imported = await runBin('crm', ['directory', 'import', roster], env);
    expect(imported.code).toBe(0);

    // CRM_DIRECTORY names the example (PA in office on 2026-12-01); the live directory says GT.
    const live = await runBin('crm', ['directory', 'show-troika', '--date', '2026-12-01'], { ...env, CRM_DIRECTORY: 'config/directory.example.yaml' });
    expect(live.stderr).toBe('');
    expect(live.code).toBe(0);
    const j = JSON.parse(live.stdout) as { ppt: { country: string }; troika: { countries: string[] }; directory: { database: { importedFrom: string } } };
    expect(j.ppt.country).toBe('GT');
    expect(j.troika.countries).toEqual(['MX', 'GT', 'SV']);
    expect(j.directory.database.importedFrom).toBe(roster);

    const file = await runBin('crm', ['directory', 'show-troika', '--date', '2026-12-01', 'config/directory.example.yaml'], env);
    expect(file.code).toBe(0);
    expect(JSON.parse(file.stdout)).toMatchObject({ ppt: { country: 'PA' }, directory: { file: 'config/directory.example.yaml' } });
  });

  it('npx crm reads .env in the current directory; the environment wins; a malformed .env is one line and exit 1', async () => {
    const cwd = join(dir, 'project');
    await mkdir(cwd, { recursive: true });
    const fromFile = join(dir, 'data-from-dotenv');
    await writeFile(
      join(cwd, '.env'),
      `# copied from .env.example\nPORT=\nCRM_DATA_DIR=${fromFile}\nCRM_DIRECTORY=${join(ROOT, 'config/directory.example.yaml')}\nLOG_LEVEL=warn\n`,
    );
    const r = await runBin('crm', ['directory', 'show-troika', '--date', '2026-12-01'], {}, 120_000, { cwd, dotenv: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ppt: { country: 'PA' }, directory: { database: { importedFrom: join(ROOT, 'config/directory.example.yaml') } } });
    expect(existsSync(join(fromFile, 'PG_VERSION'))).toBe(true);

    // A variable set in the environment is never overridden by .env.
    const fromEnv = join(dir, 'data-from-env');
    const kept = await runBin('crm', ['migrate'], { CRM_DATA_DIR: fromEnv }, 120_000, { cwd, dotenv: true });
    expect(kept.code).toBe(0);
    expect(existsSync(join(fromEnv, 'PG_VERSION'))).toBe(true);

    await writeFile(join(cwd, '.env'), `CRM_DATA_DIR=${fromFile}\nSLACK_BOT_TOKEN xoxb-not-a-real-token\n`);
    const bad = await runBin('crm', ['consultations'], {}, 120_000, { cwd, dotenv: true });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(`crm: ${join(cwd, '.env')} line 2: expected NAME=value or a # comment\n`);
  });

  it('bad arguments get one clear line and exit 1', async () => {
    const r = await runBin('crm', ['consultations', '--stage', 'open'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--stage: expected one of draft, troika_review, member_consultation');
    const u = await runBin('crm', ['nope'], env);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain('unknown command "nope"');
  });
});
