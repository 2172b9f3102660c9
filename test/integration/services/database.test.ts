import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError, type AppErrorData } from '#shared/contract/errors';
import { openDatabase } from '../../../electron/services/database.ts';
import { silentLogger } from '../../../electron/services/logger.ts';
import { MIGRATIONS, REPO, companyData, count, hasMessage, journal, openApp, tempDir, track, useCleanup } from '../fixtures.ts';

useCleanup();

function open(file: string, migrationsFolder = MIGRATIONS) {
  return track(openDatabase({ file, migrationsFolder, logger: silentLogger() }));
}

/** The AppError data thrown by `fn` (fails the test when it does not throw one). */
function appErrorOf(fn: () => unknown): AppErrorData {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).data;
  }
  throw new Error('expected an AppError');
}

function backups(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.bak'));
}

/** A database with one company in it, closed; returns the file and the company's id. */
async function seeded(dir = tempDir()): Promise<{ file: string; dir: string; id: string }> {
  const app = openApp({ dir });
  const { id } = await app.ok('companies.create', companyData({ name: '보존되어야할회사' }));
  app.close();
  return { file: app.file, dir, id };
}

/** A copy of the migrations folder with one more migration (`sql`) at the end of the journal. */
function migrationsWith(name: string, sql: string): string {
  const folder = path.join(tempDir(), 'migrations');
  fs.cpSync(MIGRATIONS, folder, { recursive: true });
  const j = journal(folder);
  const last = j.entries.at(-1)!;
  const idx = j.entries.length;
  const tag = `${String(idx).padStart(4, '0')}_${name}`;
  fs.writeFileSync(path.join(folder, `${tag}.sql`), sql);
  j.entries.push({ ...last, idx, when: last.when + 1000, tag });
  fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify(j, null, 2));
  return folder;
}

/** An extra migration whose first statement works and whose second fails: only all-or-nothing leaves no trace. */
function brokenMigrations(): string {
  return migrationsWith(
    'broken',
    'ALTER TABLE `organizations` ADD `half_done` text;\n--> statement-breakpoint\nCREATE TABLE `broken` (`id` text PRIMARY KEY NOT NULL, THIS IS NOT SQL);\n',
  );
}

describe('opening', () => {
  it('creates a new database with WAL, foreign keys and every migration, without a backup', () => {
    const dir = tempDir();
    const db = open(path.join(dir, 'sub', 'dx.db'));
    expect(db.schemaVersion).toBe(journal().entries.length);
    expect(db.backupFile).toBeNull();
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(count(db.sqlite, '__drizzle_migrations')).toBe(journal().entries.length);
    expect(db.checkIntegrity()).toBe('ok');
    expect(backups(path.join(dir, 'sub'))).toEqual([]);
  });

  it('reopens an up-to-date database without migrating or backing up, keeping its data', async () => {
    const { file, dir, id } = await seeded();
    const db = open(file);
    expect(db.backupFile).toBeNull();
    expect(backups(dir)).toEqual([]);
    expect(db.sqlite.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(id)).toBe('보존되어야할회사');
  });

  it('enforces foreign keys', () => {
    const db = open(path.join(tempDir(), 'dx.db'));
    expect(() =>
      db.sqlite
        .prepare("INSERT INTO financials (id, created_at, updated_at, origin_device, org_id, fiscal_year) VALUES ('f', 'x', 'x', 'd', 'no-such-org', 2023)")
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe('a corrupted file', () => {
  it('is reported as errors.db.corrupt and left byte-for-byte unchanged', () => {
    const dir = tempDir();
    const file = path.join(dir, 'dx.db');
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 251;
    fs.writeFileSync(file, garbage);

    const e = appErrorOf(() => openDatabase({ file, migrationsFolder: MIGRATIONS, logger: silentLogger() }));
    expect(e).toMatchObject({ code: 'db_unavailable', messageKey: 'errors.db.corrupt', params: { file } });
    expect(hasMessage(e.messageKey)).toBe(true);
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
    expect(backups(dir)).toEqual([]);
  });

  it('the same through createAppServices (what the app does at start-up)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'dx.db');
    const garbage = Buffer.from('PK\u0003\u0004 this is a zip file, not a database '.repeat(200));
    fs.writeFileSync(file, garbage);
    let err: unknown;
    try {
      openApp({ dir });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).data.messageKey).toBe('errors.db.corrupt');
    expect(fs.readFileSync(file).equals(garbage)).toBe(true);
  });

  it('a real database whose header was overwritten is also corrupt, and left unchanged', async () => {
    const { file } = await seeded();
    // fold the WAL in so the main file is the whole database
    const raw = new Database(file);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const bytes = fs.readFileSync(file);
    bytes.write('NOT SQLITE AT ALL', 0, 'latin1');
    fs.writeFileSync(file, bytes);

    const e = appErrorOf(() => openDatabase({ file, migrationsFolder: MIGRATIONS, logger: silentLogger() }));
    expect(e.messageKey).toBe('errors.db.corrupt');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });
});

describe('a pending migration', () => {
  it('is applied after a backup of the previous version; data is kept', async () => {
    const { file, dir, id } = await seeded();
    const applied = journal().entries.length;
    const folder = migrationsWith('extra', 'ALTER TABLE `organizations` ADD `extra` text;\n');
    const db = open(file, folder);
    expect(db.schemaVersion).toBe(applied + 1);
    expect(db.backupFile).toBe(path.join(dir, backups(dir)[0]!));
    expect(count(db.sqlite, '__drizzle_migrations')).toBe(applied + 1);
    expect(db.sqlite.prepare('SELECT name, extra FROM organizations WHERE id = ?').get(id)).toEqual({ name: '보존되어야할회사', extra: null });
    const bak = track(new Database(db.backupFile!, { readonly: true }));
    expect(count(bak, '__drizzle_migrations')).toBe(applied);
    expect(bak.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(id)).toBe('보존되어야할회사');
  });

  it('backs up data that a crash left only in the WAL file', async () => {
    const dir = tempDir();
    const app = openApp({ dir });
    const { id } = await app.ok('companies.create', companyData({ name: '충돌직전저장' }));
    // a crash: copy the files while the app still has them open (the last commit is only in -wal)
    expect(fs.statSync(`${app.file}-wal`).size).toBeGreaterThan(0);
    const crashed = path.join(tempDir(), 'dx.db');
    fs.copyFileSync(app.file, crashed);
    fs.copyFileSync(`${app.file}-wal`, `${crashed}-wal`);
    const mainOnly = path.join(tempDir(), 'main-only.db');
    fs.copyFileSync(app.file, mainOnly);
    app.close();
    // (the main file alone does not have it: a plain file copy would have lost it)
    const plain = track(new Database(mainOnly, { readonly: true }));
    let inMainFile: unknown;
    try {
      inMainFile = plain.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(id);
    } catch {
      inMainFile = undefined; // not even the tables are in the main file yet
    }
    expect(inMainFile).toBeUndefined();

    const db = open(crashed, migrationsWith('extra', 'ALTER TABLE `organizations` ADD `extra` text;\n'));
    const bak = track(new Database(db.backupFile!, { readonly: true }));
    expect(bak.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(id)).toBe('충돌직전저장');
  });
});

describe('a failed migration', () => {
  it('is reported as errors.db.migration; the data is unchanged and a backup was made first', async () => {
    const { file, dir, id } = await seeded();
    const applied = journal().entries.length;
    const folder = brokenMigrations();

    const e = appErrorOf(() => openDatabase({ file, migrationsFolder: folder, logger: silentLogger() }));
    expect(e).toMatchObject({ code: 'db_unavailable', messageKey: 'errors.db.migration', params: { file } });
    expect(hasMessage(e.messageKey)).toBe(true);

    // a backup of the pre-upgrade file sits next to it and holds the data
    const baks = backups(dir);
    expect(baks).toHaveLength(1);
    expect(baks[0]).toMatch(new RegExp(`^dx\\.db\\.v${applied}\\..+\\.bak$`));
    const bak = track(new Database(path.join(dir, baks[0]!), { readonly: true }));
    expect(bak.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(id)).toBe('보존되어야할회사');

    // the database itself was rolled back completely: no half-applied statement, same migrations, same data
    const db = open(file);
    expect(db.backupFile).toBeNull();
    expect(count(db.sqlite, '__drizzle_migrations')).toBe(applied);
    const columns = (db.sqlite.prepare("PRAGMA table_info('organizations')").all() as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('half_done');
    expect(db.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'broken'").get()).toBeUndefined();
    expect(db.sqlite.prepare('SELECT name FROM organizations WHERE id = ?').pluck().get(id)).toBe('보존되어야할회사');
    expect(db.checkIntegrity()).toBe('ok');
  });

  it('keeps at most three backups when the upgrade is retried', async () => {
    const { file, dir } = await seeded();
    const folder = brokenMigrations();
    for (let i = 0; i < 5; i++) {
      appErrorOf(() => openDatabase({ file, migrationsFolder: folder, logger: silentLogger() }));
      // backups are named by time; make each attempt's name distinct
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(backups(dir)).toHaveLength(3);
  });

  it('a database from a newer app version is refused (errors.db.tooNew), not downgraded', async () => {
    const { file } = await seeded();
    const folder = path.join(tempDir(), 'old-migrations');
    fs.cpSync(MIGRATIONS, folder, { recursive: true });
    const j = journal(folder);
    j.entries = j.entries.slice(0, 1);
    fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify(j));
    const before = fs.readFileSync(file);
    const e = appErrorOf(() => openDatabase({ file, migrationsFolder: folder, logger: silentLogger() }));
    expect(e.messageKey).toBe('errors.db.tooNew');
    expect(hasMessage(e.messageKey)).toBe(true);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('a database locked by another program', () => {
  it('still opens and reads; a write waits, then reports errors.db.busy, and nothing is lost', async () => {
    const { file, dir, id } = await seeded();
    const other = track(new Database(file));
    other.exec('BEGIN EXCLUSIVE');
    other.prepare("INSERT INTO meta (key, value) VALUES ('other-program', 'uncommitted')").run();

    const app = openApp({ dir });
    // reading works (WAL readers are not blocked by a writer)
    expect((await app.ok('companies.get', { id })).name).toBe('보존되어야할회사');

    const started = Date.now();
    const r = await app.call('companies.create', companyData({ name: '잠긴동안' }));
    expect(r).toEqual({ ok: false, error: { code: 'db_unavailable', messageKey: 'errors.db.busy' } });
    expect(hasMessage('errors.db.busy')).toBe(true);
    // it waited for the lock (busy timeout) before giving up
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect((await app.ok('companies.list', {})).total).toBe(1);

    // once the other program is done, the same save succeeds and both writes are kept
    other.exec('COMMIT');
    await app.ok('companies.create', companyData({ name: '잠긴동안' }));
    expect((await app.ok('companies.list', {})).rows.map((r) => r.name).sort()).toEqual(['보존되어야할회사', '잠긴동안']);
    expect(app.sqlite.prepare("SELECT value FROM meta WHERE key = 'other-program'").pluck().get()).toBe('uncommitted');
  });

  it('a save waits while another program (a sync worker, a second window) briefly holds the write lock', async () => {
    const { file, dir } = await seeded();
    const app = openApp({ dir });
    // The other program runs in its own thread: this thread blocks inside SQLite's busy wait meanwhile.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const Database = require(require.resolve('better-sqlite3', { paths: [workerData.repo] }));
       const db = new Database(workerData.file);
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO meta (key, value) VALUES ('worker', 'done')").run();
       parentPort.postMessage('locked');
       setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, 400);`,
      { eval: true, workerData: { file, repo: REPO } },
    );
    const messages: string[] = [];
    const released = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: string) => {
        messages.push(m);
        if (m === 'released') resolve();
      });
      worker.on('error', reject);
    });
    await new Promise<void>((resolve) => worker.once('message', () => resolve()));
    try {
      const started = Date.now();
      // a company save reads (number uniqueness) before it writes
      const r = await app.call('companies.create', companyData({ name: '기다린회사' }));
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      await released;
      expect(messages).toEqual(['locked', 'released']);
      expect((await app.ok('companies.list', { query: '기다린회사' })).total).toBe(1);
      expect(app.sqlite.prepare("SELECT value FROM meta WHERE key = 'worker'").pluck().get()).toBe('done');
    } finally {
      await worker.terminate();
    }
  });

  it('a file in rollback-journal mode held exclusively cannot be opened: errors.db.locked, file unchanged', async () => {
    const { file, dir, id } = await seeded();
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = fs.readFileSync(file);

    const other = track(new Database(file));
    other.exec('BEGIN EXCLUSIVE');
    const e = appErrorOf(() => openDatabase({ file, migrationsFolder: MIGRATIONS, logger: silentLogger() }));
    expect(e).toMatchObject({ code: 'db_unavailable', messageKey: 'errors.db.locked', params: { file } });
    expect(hasMessage(e.messageKey)).toBe(true);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(backups(dir)).toEqual([]);

    other.exec('ROLLBACK');
    other.close();
    const app = openApp({ dir });
    expect((await app.ok('companies.get', { id })).name).toBe('보존되어야할회사');
  });
});
