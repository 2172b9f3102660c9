/**
 * Embedded PGlite on its own thread (server/db/threaded-pglite.ts): the service keeps answering while the
 * database works, and the database behaves as it did in the service's thread — transactions commit or roll
 * back whole, PostgreSQL's error codes arrive, a query waits for an open transaction.
 */
import { sql } from 'drizzle-orm';
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
  const notes = async (db: ServerDatabase) => {
    const result: unknown = await db.db.execute(sql`select note from scratch order by id`);
    return (result as { rows: { note: string }[] }).rows.map((r) => r.note);
  };

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
