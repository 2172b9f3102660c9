/**
 * The central service's HTTP app. `buildServer` opens (and migrates) the database, wires the services and
 * routes and returns a Fastify instance that is ready: tests call `inject` on it or `listen({ port: 0 })`;
 * `server/main.ts` reads the environment and listens. Closing the app closes a database it opened.
 */
import { readFileSync } from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { AccountService } from './accounts.ts';
import { AuthService } from './auth/service.ts';
import { CertificateService } from './certificates.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits, type ServerContext } from './context.ts';
import { openDatabase, type DatabaseConfig, type ServerDatabase } from './db/index.ts';
import { ApiError, apiError, type ApiErrorBody } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { authRoutes } from './routes/auth.ts';
import { certificateRoutes } from './routes/certificates.ts';
import { syncRoutes } from './routes/sync.ts';
import { blobRoutes } from './routes/blobs.ts';
import { BlobService } from './blobs.ts';
import { TombstonePurger } from './sync/purge.ts';
import { SyncService } from './sync/service.ts';

export interface ServerOptions {
  /** A database to open (and close with the app), or an open one the caller keeps ownership of. */
  database: DatabaseConfig | { kind: 'open'; database: ServerDatabase };
  /** Fastify's (pino) logger options; false for none. */
  logger?: FastifyServerOptions['logger'];
  /** The clock for token and code expiry and certificate status (tests move it). */
  now?: () => Date;
  /** Access-token lifetime, seconds (default 15 min). */
  accessTokenTtlSeconds?: number;
  /** Enrolment-code lifetime, seconds (default 24 h). */
  enrolmentCodeTtlSeconds?: number;
  /** Largest accepted request body, bytes (default 64 KiB). */
  bodyLimit?: number;
  rateLimits?: Partial<RateLimits>;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (rate limits key on it). */
  trustProxy?: boolean;
  /** How often deleted records every device has passed are purged, ms (default hourly; 0: only when asked). */
  purgeIntervalMs?: number;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A device behind the purge and not seen for this long is reported (hourly) for an administrator to revoke. */
const STALE_DEVICE_MS = 7 * 24 * 3600 * 1000;
const internal: ApiErrorBody = { code: 'internal', messageKey: 'errors.internal' };

/** Maps any error to the API's body; only our own errors and Fastify's 4xx keep their meaning. */
function toResponse(error: FastifyError | ApiError): { status: number; body: ApiErrorBody } {
  if (error instanceof ApiError) return { status: error.statusCode, body: error.body };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { code: 'payload_too_large', messageKey: 'errors.payloadTooLarge' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { code: 'unsupported_media_type', messageKey: 'errors.unsupportedMediaType' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: { code: 'validation', messageKey: 'errors.validation', fields: { _: { key: 'validation.json' } } } };
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { status: 400, body: { code: 'validation', messageKey: 'errors.validation', fields: { _: { key: 'validation.json' } } } };
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: { code: 'validation', messageKey: 'errors.badRequest' } };
  }
  return { status: 500, body: internal };
}

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const ownsDatabase = options.database.kind !== 'open';
  const database = options.database.kind === 'open' ? options.database.database : await openDatabase(options.database);
  const now = options.now ?? (() => new Date());
  const rateLimits: RateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const ctx: ServerContext = {
    database,
    accounts: new AccountService(database.db, now),
    auth: new AuthService(database.db, { now, accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 15 * 60, enrolmentCodeTtlSeconds: options.enrolmentCodeTtlSeconds ?? 24 * 3600 }),
    certificates: new CertificateService(database.db, now),
    sync: new SyncService(database.db, now, { serialised: database.kind === 'pglite' }),
    purger: new TombstonePurger(database.db, now),
    rateLimits,
    now,
    version: VERSION,
    startedAt: Date.now(),
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Error bodies are ours alone: never Fastify's default (which carries the error message).
    return503OnClosing: true,
  });
  const purgeEvery = options.purgeIntervalMs ?? 3_600_000;
  if (purgeEvery > 0) {
    let purging: Promise<unknown> | null = null;
    const timer = setInterval(() => {
      if (purging) return;
      purging = ctx.purger
        .purge()
        .then((r) => {
          if (r.records + r.files + r.blobs > 0) {
            app.log.info({ horizon: r.horizon, records: r.records, files: r.files, blobs: r.blobs, blobBytes: r.blobBytes }, 'sync: purged deleted records every device had passed, and files no record shows');
          }
          // A laptop lost or put away without being revoked holds every purge back: say which, once it has been away a week.
          const away = r.waitingFor.filter((d) => now().getTime() - Date.parse(d.lastSeenAt ?? d.enrolledAt) > STALE_DEVICE_MS);
          if (away.length > 0) app.log.warn({ waiting: r.waiting, devices: away }, 'sync: deleted records wait for devices not seen for a week (revoke the ones that are gone)');
        })
        .catch((err: unknown) => app.log.error({ err }, 'sync: tombstone purge failed'))
        .finally(() => (purging = null));
    }, purgeEvery);
    timer.unref();
    // Closing waits for a purge in progress: it must not meet a closed database.
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await purging;
    });
  }
  // After the purge hook: onClose hooks run in the order they were added.
  if (ownsDatabase) app.addHook('onClose', async () => database.close());
  // JSON only: a text/plain body is refused with 415 rather than handed to the handlers as a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const { status, body } = toResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status }, 'request refused');
    return reply.status(status).send(body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  await app.register(rateLimit, {
    global: true,
    max: rateLimits.global,
    timeWindow: rateLimits.windowMs,
    errorResponseBuilder: (_request, context) => apiError(429, 'rate_limited', 'errors.rateLimited', { params: { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) } }),
  });

  // Unknown URLs count against the limit too, so probing for endpoints is throttled like anything else.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, (_request, reply) => reply.status(404).send({ code: 'not_found', messageKey: 'errors.notFound' } satisfies ApiErrorBody));

  app.get('/health', async (_request, reply) => {
    const base = { version: ctx.version, uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000), database: database.kind };
    try {
      await Promise.race([database.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), 2000).unref())]);
      return { status: 'ok', db: 'up', ...base };
    } catch (error) {
      reply.log.error({ err: error }, 'health check: database unreachable');
      return reply.status(503).send({ status: 'unavailable', db: 'down', ...base });
    }
  });

  authRoutes(app, ctx);
  adminRoutes(app, ctx);
  certificateRoutes(app, ctx);
  syncRoutes(app, ctx);
  blobRoutes(app, ctx, new BlobService(database.db, now));

  await app.ready();
  return app;
}

export { AccountService } from './accounts.ts';
export { openDatabase, type ServerDatabase } from './db/index.ts';
