/**
 * The migration that gave the outbox its `replace_key` column (issue 12) fills it for the rows written
 * before: a status sent before the upgrade is still found by the deliver job's indexed lookup, so the ST
 * channel's live status is updated in place after an upgrade, not posted anew.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from '../../../src/store/migrate.ts';
import { OutboxStore } from '../../../src/store/outbox-store.ts';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../../helpers/db.ts';

const MIGRATION = '20261203090000_outbox_replace_key';

describe.each(BACKENDS)('the outbox replace_key migration on %s', (backend) => {
  let db: TestDatabase;
  let before: string;
  beforeAll(async () => {
    before = await mkdtemp(join(tmpdir(), 'crm-migrations-before-'));
    // Every migration before this one: the database as an older version left it.
    const earlier = (src: string) => {
      const stamp = /(\d{14})_[^/\\]*/.exec(src.slice(DEFAULT_MIGRATIONS_DIR.length))?.[1];
      return stamp === undefined || stamp < MIGRATION.slice(0, 14);
    };
    await cp(DEFAULT_MIGRATIONS_DIR, before, { recursive: true, filter: earlier });
    db = await openTestDatabase(backend, import.meta.url, { migrate: false });
  });
  afterAll(async () => {
    await db?.dispose();
    await rm(before, { recursive: true, force: true });
  });

  it('copies payload.replaceKey into the column for rows written before it', async () => {
    await applyMigrations(db.sql, before);
    await db.sql.query(
      `INSERT INTO outbox (id, dedupe_key, platform, recipient, kind, payload, status, sent_at, receipt) VALUES
       ('old-status', 'k1', 'slack', '{}', 'status', '{"replaceKey":"status:c1"}', 'sent', now(), '{"channel":"C0ST","ts":"1.1"}'),
       ('old-card', 'k2', 'slack', '{}', 'card_update', '{"replaceKey":42}', 'sent', now(), NULL),
       ('old-plain', 'k3', 'slack', '{}', 'reminder', '{"title":"x"}', 'pending', now(), NULL)`,
    );
    const r = await applyMigrations(db.sql, DEFAULT_MIGRATIONS_DIR);
    expect(r.applied).toContain(MIGRATION);
    const rows = await db.sql.query<{ id: string; replace_key: string | null }>('SELECT id, replace_key FROM outbox ORDER BY id');
    expect(rows.rows).toEqual([
      { id: 'old-card', replace_key: null },
      { id: 'old-plain', replace_key: null },
      { id: 'old-status', replace_key: 'status:c1' },
    ]);
    expect(await new OutboxStore(db.prisma).lastReceiptFor('status:c1', 'slack')).toEqual({ channel: 'C0ST', ts: '1.1' });
  });
});
