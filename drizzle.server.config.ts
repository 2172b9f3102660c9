import { defineConfig } from 'drizzle-kit';

/** The central service's schema (PostgreSQL / PGlite); the desktop app's SQLite schema is drizzle.config.ts. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './server/db/migrations',
  migrations: { prefix: 'index' },
});
