/** The store's public surface: open the database, then build the repositories on its Prisma client. */
export { openDatabase, type Database, type DatabaseConfig, type OpenDatabaseOptions, type PrismaClient } from './database.ts';
export {
  applyMigrations,
  DEFAULT_MIGRATIONS_DIR,
  MigrationError,
  type MigrationErrorCode,
  type MigrationResult,
} from './migrate.ts';
export type { SqlExecutor, SqlResult, SqlSession } from './sql.ts';
export {
  ConcurrencyConflict,
  ConsultationStore,
  DuplicateCommand,
  formatReference,
  type AppendInput,
  type AppendResult,
  type CommandRecord,
  type ConsultationSummary,
  type NewEvent,
  type NewOutboxMessage,
  type StoredCommand,
  type StoredConsultation,
  type StoredEvent,
} from './consultation-store.ts';
export { InboxStore, type InboxItem, type NewInboxItem, type Received } from './inbox-store.ts';
export { OutboxStore, type OutboxCounts, type OutboxItem, type OutboxStatus } from './outbox-store.ts';
export { DirectoryStore, type DirectoryImportRecord, type DirectoryImportSource } from './directory-store.ts';
