/**
 * The sync model (test/integration/sync/model.ts) against the real central service over HTTP: laptops with
 * real databases, the service on PGlite (and PostgreSQL when TEST_DATABASE_URL is set), a lossy network.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncConflicts, syncFields, syncOps } from '../../server/db/schema.ts';
import { httpTransport } from '../../electron/services/sync-transport.ts';
import { useCleanup } from '../integration/fixtures.ts';
import { action, run, type ModelServer } from '../integration/sync/model.ts';
import { ADMIN, BACKENDS, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';

useCleanup();

describe.each(BACKENDS)('replicas converge through the central service ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  const tokens: string[] = [];
  let model: ModelServer;

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const adminToken = await login(app, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 5; i++) tokens.push((await enrolDevice(app, adminToken, (await createUser(app, adminToken, 'admin')).id)).token);
    model = {
      transport: (i) => httpTransport({ baseUrl: base, token: () => Promise.resolve(tokens[i] as string) }),
      async state() {
        const log = (await database.db.select().from(syncOps).orderBy(asc(syncOps.seq))).map((o) => ({
          opId: o.opId, tbl: o.tbl, rowId: o.rowId, field: o.field, value: o.value, hlc: o.hlc, deviceId: o.deviceId, userId: o.userId, base: o.base, seq: Number(o.seq),
        }));
        const heads = new Map((await database.db.select().from(syncFields)).map((h) => [`${h.tbl}\u0000${h.rowId}\u0000${h.field}`, { value: h.value, opId: h.opId }]));
        const conflicts = (await database.db.select().from(syncConflicts)).map((c) => ({ tbl: c.tbl, rowId: c.rowId, field: c.field, kept: { value: c.keptValue }, other: { value: c.otherValue } }));
        return { log, heads, conflicts };
      },
    };
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('random edits and syncs over a lossy network end with every laptop equal to the service (fast-check)', async () => {
    const seed = Number(process.env.DX_SYNC_SEED ?? Date.now() % 2_147_483_647);
    process.stdout.write(`sync convergence (${backend.name}) seed: ${seed}\n`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.array(action, { minLength: 5, maxLength: 20 }), async (n, actions) => {
        await run(model, n, actions);
      }),
      { seed, numRuns: 12 },
    );
  }, 300_000);

  it('regression: a photo added offline to an assessment a colleague has signed is refused and leaves its laptop; both hold what was signed', async () => {
    const { log } = await run(model, 2, [
      { kind: 'sign', replica: 0 },
      { kind: 'sync', replica: 0, push: undefined, pull: undefined },
      { kind: 'photo', replica: 1, item: 'ceo_vision', image: 0 },
      { kind: 'answer', replica: 1, item: 'org_staff', value: 5 },
      { kind: 'sync', replica: 1, push: undefined, pull: undefined },
    ]);
    expect(log.some((o) => o.tbl === 'assessments' && o.field === 'finalized_at' && o.value !== null)).toBe(true);
  }, 60_000);
});
