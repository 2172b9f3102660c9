/**
 * Sync: push a batch of ops, pull the log by server sequence, take a snapshot of the current state, compare
 * digests and fetch the current heads of chosen records (divergence checks), and say which organisations the
 * caller may still hold (scope checks). Only an enrolled device syncs
 * (a device token of an enabled user on a device that is not revoked).
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { digestRequest, MAX_PULL_OPS, pullRequest, pushRequest, recordsRequest, scopeRequest } from '#shared/sync/protocol';
import type { Principal } from '../auth/service.ts';
import { authenticate, authenticateEarly, type ServerContext } from '../context.ts';
import { apiError, invalid } from '../errors.ts';
import { SyncDigest } from '../sync/digest.ts';
import { SyncScope } from '../sync/scope-check.ts';
import { parse } from '../validation.ts';

/**
 * A full batch is MAX_PUSH_OPS ops within MAX_PUSH_BYTES (2 MiB) of JSON; the server takes four times that
 * so a client a little over its own limit (or a single large value) is not refused with 413 for ever.
 */
export const SYNC_BODY_LIMIT = 8 * 1024 * 1024;

const MAX_SNAPSHOT_RECORDS = 500;

/** Query strings are text: digits become numbers before the shared schema sees them. */
const numeric = (v: unknown) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v);

const snapshotQuery = z.strictObject({
  afterTbl: z.string().max(64).default(''),
  afterRow: z.string().max(64).default(''),
  limit: z.preprocess(numeric, z.number().int().min(1).max(MAX_SNAPSHOT_RECORDS).default(MAX_SNAPSHOT_RECORDS)),
  cursor: z.preprocess(numeric, z.number().int().min(0).optional()),
  /** Only this organisation's records (a company newly assigned to the caller's pair). */
  orgId: z.string().min(1).max(64).optional(),
});

/** Rate limits per device: the key is the access token (one device's), or the address without one. */
const perDevice = (request: FastifyRequest): string => {
  const m = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
  return m?.[1] ? `sync:${crypto.createHash('sha256').update(m[1]).digest('base64url')}` : `ip:${request.ip}`;
};

export function syncRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const config = { rateLimit: { max: ctx.rateLimits.sync, timeWindow: ctx.rateLimits.windowMs, keyGenerator: perDevice } };

  const device = async (request: FastifyRequest): Promise<Principal> => {
    const p = await authenticate(ctx, request);
    if (p.deviceId === null) throw apiError(403, 'forbidden', 'errors.auth.deviceRequired');
    return p;
  };

  app.post('/api/sync/push', { config, bodyLimit: SYNC_BODY_LIMIT, preParsing: authenticateEarly(ctx) }, async (request) => {
    // The batch is checked while the caller's token waits its turn at the database (behind the push before this
    // one), when this thread has time, rather than after. An unknown caller is still refused first.
    // So is what the push works out from the ops alone (SyncService.prepare).
    const checked = pushRequest.safeParse(request.body ?? {});
    const prepared = checked.success ? { batch: ctx.sync.prepare(checked.data.ops), chain: checked.data.chain } : checked.error;
    const p = await device(request);
    if (prepared instanceof z.ZodError) throw invalid(prepared);
    const { batch, chain } = prepared;
    const response = await ctx.sync.push(p, batch, request.log, chain);
    const rejected = response.results.filter((r) => r.status === 'rejected').length;
    request.log.info({ deviceId: p.deviceId, userId: p.userId, ops: batch.ops.length, rejected }, 'sync push');
    return response;
  });

  app.get('/api/sync/pull', { config }, async (request) => {
    const p = await device(request);
    const q = (request.query ?? {}) as Record<string, unknown>;
    const { after, limit } = parse(pullRequest.strict(), { ...q, after: numeric(q.after ?? '0'), ...(q.limit === undefined ? {} : { limit: numeric(q.limit) }) });
    return ctx.sync.pull(p, after, limit ?? MAX_PULL_OPS);
  });

  app.get('/api/sync/snapshot', { config }, async (request) => {
    const p = await device(request);
    const q = parse(snapshotQuery, request.query);
    return ctx.sync.snapshot(p, q);
  });

  const digests = new SyncDigest(ctx.database.db, ctx.sync);

  // Bucket digests in, the differing buckets' record digests out (a body: 256 digests do not fit a query string).
  app.post('/api/sync/digest', { config }, async (request) => {
    const p = await device(request);
    const body = parse(digestRequest.strict(), request.body);
    const response = await digests.digest(p, body.buckets, body.skip);
    request.log.info({ deviceId: p.deviceId, userId: p.userId, records: response.records, differing: response.differing.length }, 'sync digest');
    return response;
  });

  app.post('/api/sync/records', { config }, async (request) => {
    const p = await device(request);
    const body = parse(recordsRequest.strict(), request.body);
    return digests.records(p, body.records, request.log);
  });

  const scope = new SyncScope(ctx.database.db, ctx.sync);

  // The organisations the caller may hold: a laptop removes the others (a company taken away from its pair).
  app.get('/api/sync/scope', { config }, async (request) => {
    const p = await device(request);
    parse(scopeRequest, request.query ?? {});
    const orgIds = await scope.orgIds(p);
    request.log.info({ deviceId: p.deviceId, userId: p.userId, orgs: orgIds?.length ?? null }, 'sync scope');
    return { orgIds };
  });
}
