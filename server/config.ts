/** The service's settings from the environment (see `npm run server`). */
import path from 'node:path';
import type { DatabaseConfig } from './db/index.ts';

export interface ServerConfig {
  port: number;
  host: string;
  database: DatabaseConfig;
  adminEmail: string;
  /** From ADMIN_BOOTSTRAP_PASSWORD; undefined → a one-time password is generated and printed. */
  adminPassword: string | undefined;
  trustProxy: boolean;
  logLevel: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): ServerConfig {
  const port = env.PORT === undefined || env.PORT === '' ? 8787 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const url = env.DATABASE_URL?.trim();
  let database: DatabaseConfig;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset for the embedded database)');
    database = { kind: 'postgres', url };
  } else {
    database = { kind: 'pglite', dataDir: path.resolve(cwd, env.SERVER_DATA_DIR?.trim() || '.data/server') };
  }
  const adminPassword = env.ADMIN_BOOTSTRAP_PASSWORD === '' ? undefined : env.ADMIN_BOOTSTRAP_PASSWORD;
  if (adminPassword !== undefined && adminPassword.length < 12) throw new Error('ADMIN_BOOTSTRAP_PASSWORD must have at least 12 characters');
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    database,
    adminEmail: (env.ADMIN_BOOTSTRAP_EMAIL?.trim() || 'admin@dxmentor.local').toLowerCase(),
    adminPassword,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  };
}

/** A database URL with its password masked, for the start-up line. */
export function describeDatabase(db: DatabaseConfig): string {
  if (db.kind === 'pglite') return `embedded PGlite in ${db.dataDir ?? 'memory'}`;
  try {
    const u = new URL(db.url);
    if (u.password) u.password = '***';
    return `PostgreSQL at ${u.toString()}`;
  } catch {
    return 'PostgreSQL';
  }
}
