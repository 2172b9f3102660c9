/**
 * `npm run server`: starts the central service. Environment: PORT (8787), HOST (127.0.0.1), DATABASE_URL
 * (postgres://… for a PostgreSQL server; unset = embedded PGlite in SERVER_DATA_DIR, default .data/server),
 * ADMIN_BOOTSTRAP_EMAIL / ADMIN_BOOTSTRAP_PASSWORD (the first administrator of an empty server; without a
 * password one is generated and printed once), TRUST_PROXY, LOG_LEVEL.
 */
import { mkdirSync } from 'node:fs';
import { buildServer } from './app.ts';
import { AccountService } from './accounts.ts';
import { configFromEnv, describeDatabase } from './config.ts';
import { openDatabase } from './db/index.ts';

// Start-up messages for the person running the service go to stdout; everything else is pino JSON logs.
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  if (config.database.kind === 'pglite' && config.database.dataDir) mkdirSync(config.database.dataDir, { recursive: true });
  const database = await openDatabase(config.database);
  const admin = await new AccountService(database.db, () => new Date()).ensureBootstrapAdmin(config.adminEmail, config.adminPassword);
  if (admin.created) {
    say(`Created the first administrator: ${config.adminEmail}`);
    if (admin.generatedPassword) say(`One-time password (shown only now, store it safely): ${admin.generatedPassword}`);
  }
  const app = await buildServer({
    database: { kind: 'open', database },
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    trustProxy: config.trustProxy,
  });
  app.addHook('onClose', async () => database.close());
  const address = await app.listen({ port: config.port, host: config.host });
  say(`DX Mentor central service ${describeDatabase(config.database)}`);
  say(`Listening on ${address}  (health: ${address}/health, verification page: ${address}/verify)`);

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`The server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
