/**
 * Embedded PGlite on its own thread (server/db/threaded-pglite.ts): the service keeps answering while the
 * database works, and the database behaves as it did in the service's thread — transactions commit or roll
 * back whole, PostgreSQL's error codes arrive, a query waits for an open transaction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, isUniqueViolation, type ServerDatabase } from '../../server/db/index.ts';
import { startServer, TestClock } from './helpers.ts';

describe('embedded PGlite on a thread of its own', () => {
  let database: ServerDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  const open = async () => {
    database = await openDatabase({ kind: 'pglite' });
    await database.db.execute(sql`create table scratch (id int primary key, note text not null)`);
    return database;
  };
  const rowsOf = async <T,>(db: ServerDatabase, query: SQL) => {
    const result: unknown = await db.db.execute(query);
    return (result as { rows: T[] }).rows;
  };
  const notes = async (db: ServerDatabase) => (await rowsOf<{ note: string }>(db, sql`select note from scratch order by id`)).map((r) => r.note);

  it('answers a request while the database is busy with a long query', async () => {
    const db = await open();
    const app = await startServer(db, new TestClock());
    try {
      let queryDone = false;
      // Seconds of work inside PGlite; in the service's own thread it would hold every request until it ended.
      const long = db.db.execute(sql`select count(*) from generate_series(1, 5000000)`).then(() => {
        queryDone = true;
      });
      const page = await app.inject({ method: 'GET', url: '/verify' });
      expect(page.statusCode).toBe(200);
      expect(queryDone).toBe(false);
      await long;
      expect(queryDone).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('commits a transaction whole, and rolls back everything of one that throws', async () => {
    const db = await open();
    await db.db.transaction(async (tx) => {
      await tx.execute(sql`insert into scratch values (1, 'first')`);
      await tx.execute(sql`insert into scratch values (2, 'second')`);
    });
    await expect(
      db.db.transaction(async (tx) => {
        await tx.execute(sql`insert into scratch values (3, 'lost')`);
        throw new Error('the visit form was invalid');
      }),
    ).rejects.toThrow('the visit form was invalid');
    expect(await notes(db)).toEqual(['first', 'second']);
  });

  it('ends a transaction that threw before its first query, and goes on serving', async () => {
    const db = await open();
    await expect(
      db.db.transaction(() => {
        throw new Error('nothing to store');
      }),
    ).rejects.toThrow('nothing to store');
    await db.db.execute(sql`insert into scratch values (1, 'after')`);
    expect(await notes(db)).toEqual(['after']);
  });

  it("passes PostgreSQL's error code on (a unique violation is recognised) and leaves nothing of the failed transaction", async () => {
    const db = await open();
    await db.db.execute(sql`insert into scratch values (1, 'kept')`);
    const failure = await db.db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into scratch values (2, 'lost')`);
        await tx.execute(sql`insert into scratch values (1, 'duplicate')`);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isUniqueViolation(failure)).toBe(true);
    expect(await notes(db)).toEqual(['kept']);
  });

  it('runs a query that arrives during an open transaction after it, seeing what it committed', async () => {
    const db = await open();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.db.transaction(async (tx) => {
      await tx.execute(sql`insert into scratch values (1, 'inside')`);
      await held;
      await tx.execute(sql`insert into scratch values (2, 'inside too')`);
    });
    // Let the transaction begin before the query outside it is sent.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outside = notes(db);
    release();
    await transaction;
    expect(await outside).toEqual(['inside', 'inside too']);
  });

  it('keeps what it committed across a restart after filling new WAL segments, which it does not write full of zeros first', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dxm-pglite-wal-'));
    try {
      let db = await openDatabase({ kind: 'pglite', dataDir });
      database = db;
      const setting = async () => (await rowsOf<{ setting: string }>(db, sql`select setting from pg_settings where name = 'wal_init_zero'`))[0]?.setting;
      expect(await setting()).toBe('off');
      const segment = async () => (await rowsOf<{ name: string }>(db, sql`select pg_walfile_name(pg_current_wal_lsn()) as name`))[0]?.name;
      const before = await segment();
      await db.db.execute(sql`create table photos (id int primary key, bytes text not null)`);
      // About 40 MB of rows: more than two 16 MB segments of WAL.
      for (let from = 1; from <= 40_000; from += 10_000) {
        await db.db.execute(sql`insert into photos select i, repeat(md5(i::text), 32) from generate_series(${from}::int, ${from + 9_999}::int) as i`);
      }
      const after = await segment();
      expect(Number.parseInt((after ?? '').slice(-8), 16) - Number.parseInt((before ?? '').slice(-8), 16)).toBeGreaterThanOrEqual(2);
      await db.close();
      database = db = await openDatabase({ kind: 'pglite', dataDir });
      const rows = await rowsOf<{ n: number; size: number }>(db, sql`select count(*)::int as n, sum(length(bytes))::int as size from photos`);
      expect(rows[0]).toEqual({ n: 40_000, size: 40_000 * 1024 });
    } finally {
      await database?.close();
      database = undefined;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses queries once closed, with a message that says so', async () => {
    const db = await open();
    await db.close();
    database = undefined;
    const failure = await db.db.execute(sql`select 1`).then(
      () => null,
      (error: unknown) => error,
    );
    expect((failure as Error | null)?.cause).toMatchObject({ message: 'the database is closed' });
  });
});
