/**
 * Opens the service's database: a real PostgreSQL server (node-postgres pool) when a `postgres://` URL is
 * given, otherwise embedded PGlite (a data folder, or in memory when no folder is given). Both run the same
 * drizzle migrations from `server/db/migrations` before anything else touches them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.ts';
import { ThreadedPGlite } from './threaded-pglite.ts';

export type Schema = typeof schema;
/** The drizzle API both drivers share; services are written against this only. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** `dataDir` undefined: in memory (tests). */
  | { kind: 'pglite'; dataDir?: string };

export interface ServerDatabase {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** Round-trips a trivial query; throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export async function openDatabase(config: DatabaseConfig): Promise<ServerDatabase> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10 });
    // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    try {
      const db = drizzleNodePg(pool, { schema });
      await migrateNodePg(db, { migrationsFolder: MIGRATIONS_FOLDER });
      return {
        kind: 'postgres',
        db: db as unknown as Db,
        ping: async () => {
          await db.execute(sql`select 1`);
        },
        close: () => pool.end(),
      };
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }
  // On a thread of its own: PGlite's work would otherwise hold the service's event loop (threaded-pglite.ts).
  const client = await ThreadedPGlite.open(config.dataDir);
  try {
    const db = drizzlePglite(client as unknown as PGlite, { schema });
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      kind: 'pglite',
      db: db as unknown as Db,
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => client.close(),
    };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/** PostgreSQL's unique-violation code, as raised by both drivers (drizzle wraps it in `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
