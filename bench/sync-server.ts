/**
 * The central service as the sync benchmark runs it (bench/sync.ts): a process of its own, as in use (laptops
 * never share a processor with the service), on embedded PGlite in a data folder or on a fresh PostgreSQL
 * database made for the run and dropped when the process is told to stop. Rate limits are raised (a load
 * test from one address would otherwise be refused with 429 by design).
 *
 *   tsx bench/sync-server.ts pglite <data folder> | postgres <server url>
 *
 * Prints one line `{"port":…}` once it listens; SIGTERM closes the server and the database.
 */
import { pathToFileURL } from 'node:url';
import { AccountService } from '../server/accounts.ts';
import { buildServer } from '../server/app.ts';
import { openDatabase } from '../server/db/index.ts';
import { scratchPostgres } from '../server/db/scratch.ts';

export const BENCH_ADMIN = { email: 'bench-admin@dxmentor.local', password: 'bench-admin-password-1' };
const UNLIMITED = { global: 1e9, login: 1e9, enrol: 1e9, deviceToken: 1e9, publicLookup: 1e9, sync: 1e9, blobs: 1e9 };

async function main(): Promise<void> {
  const [kind, where] = process.argv.slice(2);
  if ((kind !== 'pglite' && kind !== 'postgres') || !where) throw new Error('usage: sync-server.ts pglite <data folder> | postgres <url>');
  const { database, dispose } =
    kind === 'pglite'
      ? await openDatabase({ kind: 'pglite', dataDir: where }).then((database) => ({ database, dispose: () => database.close() }))
      : await scratchPostgres(where, 'dxm_bench');
  await new AccountService(database.db, () => new Date()).ensureBootstrapAdmin(BENCH_ADMIN.email, BENCH_ADMIN.password);
  const app = await buildServer({ database: { kind: 'open', database }, logger: process.env.BENCH_LOG ? { level: 'error' } : false, rateLimits: UNLIMITED, accessTokenTtlSeconds: 4 * 3600 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  process.stdout.write(`${JSON.stringify({ port: addr.port })}\n`);
  process.once('SIGTERM', () => {
    void app
      .close()
      .then(dispose)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`${String(error)}\n`);
          process.exit(1);
        },
      );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
