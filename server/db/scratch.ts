/**
 * A throw-away PostgreSQL database for a test file or a benchmark run: created fresh on the server `url`
 * points at, migrated, and dropped by `dispose`. (drizzle-kit writes foreign keys schema-qualified, so
 * isolation is per database, not per schema.)
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type ServerDatabase } from './index.ts';

export async function scratchPostgres(url: string, prefix: string, poolSize?: number): Promise<{ database: ServerDatabase; dispose: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: target.toString(), ...(poolSize ? { poolSize } : {}) });
  return {
    database,
    async dispose() {
      await database.close();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
