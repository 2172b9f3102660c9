/**
 * Opens the local SQLite database: WAL, foreign keys, an integrity check, and pending migrations applied
 * in one transaction after a backup copy of the file. Failures become translated AppErrors and never
 * touch the stored data: a corrupt file is left where it is for the user to restore from a backup.
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '#shared/contract/errors';
import * as schema from '#db/schema';
import type { Logger } from './logger.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenOptions {
  file: string;
  migrationsFolder: string;
  logger: Logger;
  /** Path of a better-sqlite3 binary built for this runtime (Electron), when it is not the default. */
  nativeBinding?: string;
  /** How many migration backups to keep next to the database file. */
  keepBackups?: number;
}

export interface OpenedDatabase {
  db: Db;
  sqlite: Database.Database;
  file: string;
  schemaVersion: number;
  backupFile: string | null;
  /** Full page-level check (seconds on a large file): 'ok' or SQLite's description of the damage. */
  checkIntegrity(): string;
  close(): void;
}

interface JournalEntry {
  tag: string;
  when: number;
}

function readJournal(folder: string): JournalEntry[] {
  const raw = fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8');
  return (JSON.parse(raw) as { entries: JournalEntry[] }).entries;
}

function sqliteCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err).code) : undefined;
}

function dbError(messageKey: string, err: unknown, file: string): AppError {
  return new AppError({
    code: 'db_unavailable',
    messageKey,
    params: { file, detail: err instanceof Error ? err.message : String(err) },
  });
}

function appliedMigrations(sqlite: Database.Database): number {
  const exists = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'")
    .get();
  if (!exists) return 0;
  return (sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
}

function backup(file: string, version: number, keep: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${file}.v${version}.${stamp}.bak`;
  fs.copyFileSync(file, target);
  const dir = path.dirname(file);
  const base = path.basename(file);
  const olds = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(`${base}.v`) && f.endsWith('.bak'))
    .sort();
  for (const old of olds.slice(0, Math.max(0, olds.length - keep))) fs.rmSync(path.join(dir, old));
  return target;
}

/** Pages (4 KiB) the WAL may grow to before a commit copies it into the database file. */
const WAL_CHECKPOINT_PAGES = 10_000;

export function openDatabase(opts: OpenOptions): OpenedDatabase {
  const { file, migrationsFolder, logger } = opts;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const existed = fs.existsSync(file) && fs.statSync(file).size > 0;

  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { timeout: 3000, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  } catch (err) {
    logger.error({ err, file }, 'database open failed');
    throw dbError('errors.db.open', err, file);
  }

  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    // A sync page or push answer dirties a few thousand pages. With SQLite's default (a checkpoint once the WAL
    // passes 1,000 pages) nearly every such commit was followed by a checkpoint: the same index pages copied
    // into the database again and again, three syncs to disk each time. A checkpoint every ~40 MB copies each
    // page once for several commits; the WAL file is cut back to 64 MB after one.
    sqlite.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    // Reading the schema touches the header and the schema pages: a file that is not a database, or whose
    // schema is damaged, fails here. A full check is O(size), so it runs after start-up (checkIntegrity).
    if (existed) sqlite.pragma('schema_version', { simple: true });
  } catch (err) {
    sqlite.close();
    const code = sqliteCode(err);
    logger.error({ err, file, code }, 'database unusable');
    if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) throw dbError('errors.db.locked', err, file);
    throw dbError('errors.db.corrupt', err, file);
  }

  const journal = readJournal(migrationsFolder);
  const before = appliedMigrations(sqlite);
  let backupFile: string | null = null;
  if (before < journal.length) {
    try {
      if (existed) {
        // The backup copies the main file only: everything in the WAL must be in it first.
        const [cp] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (cp && cp.busy !== 0) throw Object.assign(new Error('checkpoint blocked by another connection'), { code: 'SQLITE_BUSY' });
        backupFile = backup(file, before, opts.keepBackups ?? 3);
      }
      // drizzle applies all pending migrations inside one BEGIN … COMMIT; a failure rolls back.
      migrate(drizzle(sqlite), { migrationsFolder });
      logger.info({ from: before, to: journal.length, backupFile }, 'database migrated');
    } catch (err) {
      sqlite.close();
      logger.error({ err, file }, 'migration failed');
      const code = sqliteCode(err);
      if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) throw dbError('errors.db.locked', err, file);
      throw dbError('errors.db.migration', err, file);
    }
  } else if (before > journal.length) {
    sqlite.close();
    throw new AppError({
      code: 'db_unavailable',
      messageKey: 'errors.db.tooNew',
      params: { file, detail: `${before} > ${journal.length}` },
    });
  }

  const db: Db = drizzle(sqlite, { schema });
  return {
    db,
    sqlite,
    file,
    schemaVersion: journal.length,
    backupFile,
    checkIntegrity: () => String(sqlite.pragma('quick_check', { simple: true })),
    close: () => sqlite.close(),
  };
}
