import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { and, count, eq, inArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hlcToString } from '#shared/sync/hlc';
import { MAX_PUSH_BYTES, MAX_PUSH_OPS, type ChangeOp, type PushResponse } from '#shared/sync/protocol';
import { SYNC_BODY_LIMIT } from '../../server/routes/sync.ts';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncFields, syncOps } from '../../server/db/schema.ts';
import { ADMIN, BACKENDS, call, login, startServer, TestClock } from './helpers.ts';
import { adminUserId, buildWorld, laptopFor, type World } from './sync-helpers.ts';

describe.each(BACKENDS)('sync limits, clocks and concurrency ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let adminToken: string;
  let w: World;
  const clock = new TestClock();
  const logLines: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock, { logger: { level: 'warn', stream: logStream } });
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    w = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('takes a full batch far over the general 64 KiB body limit; refuses a body over the sync limit with 413', async () => {
    const visit = uuidv7();
    // A full batch as the laptop cuts it: MAX_PUSH_OPS ops, close to MAX_PUSH_BYTES of JSON.
    const text = '가'.repeat(Math.floor(MAX_PUSH_BYTES / MAX_PUSH_OPS) - 250);
    const ops = [w.mentorA.op('visits', visit, 'org_id', w.ids.c1), ...Array.from({ length: MAX_PUSH_OPS - 1 }, (_, i) => w.mentorA.op('visits', visit, `note_${i}`, text))];
    expect(Buffer.byteLength(JSON.stringify({ ops }))).toBeGreaterThan(MAX_PUSH_BYTES);
    const r = await w.mentorA.push(ops);
    expect(r.status).toBe(200);
    expect(r.body.results.filter((x) => x.status === 'accepted')).toHaveLength(MAX_PUSH_OPS);
    const huge = Array.from({ length: Math.ceil(SYNC_BODY_LIMIT / 900_000) }, (_, i) => w.mentorA.op('visits', visit, `big_${i}`, 'x'.repeat(900_000)));
    const tooBig = await w.mentorA.push(huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual({ code: 'payload_too_large', messageKey: 'errors.payloadTooLarge' });
  });

  it('refuses a push without a valid device token, its body read or not, and stores none of it', async () => {
    const visit = uuidv7();
    const ops = [w.mentorA.op('visits', visit, 'org_id', w.ids.c1), w.mentorA.op('visits', visit, 'summary', '토큰 없음')];
    const unknown = await call(app, 'POST', '/api/sync/push', { token: 'x'.repeat(43), body: { ops } });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ code: 'unauthenticated', messageKey: 'errors.auth.invalidToken' });
    expect((await call(app, 'POST', '/api/sync/push', { body: { ops } })).body).toMatchObject({ code: 'unauthenticated' });
    // The batch is checked while the token is looked up, but an unknown caller hears only that, whatever it sent.
    const unknownInvalid = await call(app, 'POST', '/api/sync/push', { token: 'x'.repeat(43), body: { ops: [{ ...ops[0], opId: 'not-an-id' }] } });
    expect(unknownInvalid.status).toBe(401);
    expect(unknownInvalid.body).toEqual({ code: 'unauthenticated', messageKey: 'errors.auth.invalidToken' });
    // A login without a device may not sync.
    const noDevice = await call(app, 'POST', '/api/sync/push', { token: adminToken, body: { ops } });
    expect(noDevice.status).toBe(403);
    expect(noDevice.body).toMatchObject({ messageKey: 'errors.auth.deviceRequired' });
    expect((await call(app, 'POST', '/api/sync/push', { token: adminToken, body: { ops: [] } })).body).toMatchObject({ messageKey: 'errors.auth.deviceRequired' });
    // The token is looked up while the body arrives; a body that then fails is refused for what it is.
    const broken = await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${'x'.repeat(43)}`, 'content-type': 'application/json' }, payload: '{"ops": [' });
    expect(broken.statusCode).toBe(400);
    const stored = await database.db.select({ n: count() }).from(syncOps).where(inArray(syncOps.opId, ops.map((o) => o.opId)));
    expect(stored[0]?.n).toBe(0);
    // The same ops from the device are taken.
    expect((await w.mentorA.push(ops)).body.results.every((r) => r.status === 'accepted')).toBe(true);
  });

  it('stores a device’s chained batches only in order: one that arrives before the batch it follows is refused whole, then taken', async () => {
    const visit = uuidv7();
    const first = w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '첫 묶음' });
    const second = [w.mentorA.op('visits', visit, 'summary', '둘째 묶음'), w.mentorA.op('visits', visit, 'notes', '메모')];
    const [a, b] = [uuidv7(), uuidv7()];
    const pushChained = (laptop: typeof w.mentorA, ops: ChangeOp[], chain: { batch: string; after: string | null }) =>
      call<PushResponse>(app, 'POST', '/api/sync/push', { token: laptop.token, body: { ops, chain } });
    const stored = async (ops: ChangeOp[]) => (await database.db.select({ n: count() }).from(syncOps).where(inArray(syncOps.opId, ops.map((o) => o.opId))))[0]?.n;

    // The second batch overtook the first on the network: refused whole, nothing of it stored.
    const early = await pushChained(w.mentorA, second, { batch: b, after: a });
    expect(early.status).toBe(409);
    expect(early.body).toEqual({ code: 'out_of_order', messageKey: 'errors.sync.outOfOrder' });
    expect(await stored(second)).toBe(0);
    // The first arrives and is stored; the second, sent again, follows it.
    const one = await pushChained(w.mentorA, first, { batch: a, after: null });
    expect(one.body.results.every((r) => r.status === 'accepted')).toBe(true);
    const two = await pushChained(w.mentorA, second, { batch: b, after: a });
    expect(two.status).toBe(200);
    const seqs = (r: typeof one) => r.body.results.map((x) => (x.status === 'accepted' ? x.seq : NaN));
    expect(Math.min(...seqs(two))).toBeGreaterThan(Math.max(...seqs(one)));
    const [summary] = await database.db.select().from(syncFields).where(and(eq(syncFields.rowId, visit), eq(syncFields.field, 'summary')));
    expect(summary?.value).toBe(JSON.stringify('둘째 묶음'));
    // The chain only moves forward: the stored batch, chained again behind its predecessor, is refused. A laptop
    // whose answer was lost sends the ops again in its next round, which starts a new chain: stored once.
    const again = await pushChained(w.mentorA, second, { batch: b, after: a });
    expect(again.status).toBe(409);
    expect((await w.mentorA.push(second)).body.results.every((r) => r.status === 'accepted' && r.duplicate)).toBe(true);
    // Each device has its own chain: another device cannot follow this one's batch.
    const other = await pushChained(w.mentorB, [w.mentorB.op('visits', visit, 'notes', '다른 노트북')], { batch: uuidv7(), after: b });
    expect(other.status).toBe(409);
    // A chain that is not two UUIDs is invalid input, not an order question.
    expect((await call(app, 'POST', '/api/sync/push', { token: w.mentorA.token, body: { ops: second, chain: { batch: 'x', after: null } } })).status).toBe(400);
  });

  it('accepts ops whose clocks are days off the server’s, and logs the skew', async () => {
    logLines.length = 0;
    const visit = uuidv7();
    const ahead = { ...w.mentorB.op('visits', visit, 'org_id', w.ids.c1), hlc: hlcToString({ millis: clock.time + 3 * 86_400_000, counter: 0, node: w.mentorB.deviceId }) };
    const behind = { ...w.mentorB.op('visits', visit, 'summary', '과거'), hlc: hlcToString({ millis: clock.time - 2 * 86_400_000, counter: 0, node: w.mentorB.deviceId }) };
    const r = await w.mentorB.push([ahead, behind]);
    expect(r.body.results.map((x) => x.status)).toEqual(['accepted', 'accepted']);
    const warn = logLines.find((l) => l.msg === 'sync: op clocks far from server time');
    expect(warn).toMatchObject({ level: 40, skewMs: 3 * 86_400_000, ops: 2, deviceId: w.mentorB.deviceId });
    // Within five minutes: nothing logged.
    logLines.length = 0;
    await w.mentorB.pushOk([{ ...w.mentorB.op('visits', visit, 'summary', '지금'), hlc: hlcToString({ millis: clock.time + 4 * 60_000, counter: 0, node: w.mentorB.deviceId }) }]);
    expect(logLines.some((l) => l.msg === 'sync: op clocks far from server time')).toBe(false);
    // A clock not after the op's own base is a client bug: still accepted, and logged.
    const head = w.mentorB.seen.get(`visits/${visit}/summary`) ?? '';
    await w.mentorB.pushOk([{ ...w.mentorB.op('visits', visit, 'notes', 'x'), base: '2099-01-01T00:00:00.000Z-0000-zz' }]);
    expect(head).not.toBe('');
    expect(logLines.find((l) => l.msg === 'sync: op clocks not after their base')).toMatchObject({ level: 40, ops: 1 });
  });

  it('concurrent pushes of the same ops from two laptops store them once and answer both', async () => {
    const visit = uuidv7();
    const ops = w.mentorA.record('visits', visit, { org_id: w.ids.c1, a: 1, b: 2, c: 3 });
    const before = (await database.db.select({ n: count() }).from(syncOps))[0]?.n ?? 0;
    const [x, y] = await Promise.all([w.mentorA.push(ops), w.mentorB.push(ops)]);
    expect(x.status).toBe(200);
    expect(y.status).toBe(200);
    const seqs = (r: typeof x) => r.body.results.map((z) => (z.status === 'accepted' ? z.seq : -1));
    expect(seqs(x)).toEqual(seqs(y));
    expect([...x.body.results, ...y.body.results].filter((z) => z.status === 'accepted' && z.duplicate)).toHaveLength(4);
    expect((await database.db.select({ n: count() }).from(syncOps))[0]?.n).toBe(before + 4);
  });

  it('many laptops pushing at once: every op stored, sequences unique, and a reader never skips one', async () => {
    const laptops = [w.mentorA, w.mentorB, w.admin, await laptopFor(app, adminToken, w.users.mentorA), await laptopFor(app, adminToken, w.users.mentorB)];
    const reader = await laptopFor(app, adminToken, (await call<{ userId: string }>(app, 'GET', '/api/me', { token: adminToken })).body.userId);
    await reader.pullAll();
    const sent: ChangeOp[] = [];
    const answers: number[][] = [];
    const pushes = laptops.flatMap((l) =>
      Array.from({ length: 4 }, async () => {
        const ops = l.record('visits', uuidv7(), { org_id: w.ids.c1, summary: 's' });
        sent.push(...ops);
        answers.push((await l.pushOk(ops)).map((r) => (r.status === 'accepted' ? r.seq : -1)));
      }),
    );
    // Pull while pushing: whatever a page's cursor passed must never be missing later.
    const seen = new Set<string>();
    const reading = (async () => {
      for (let i = 0; i < 10; i++) for (const o of (await reader.pullAll()).ops) seen.add(o.opId);
    })();
    await Promise.all([...pushes, reading]);
    for (const o of (await reader.pullAll()).ops) seen.add(o.opId);
    for (const o of sent) expect(seen.has(o.opId)).toBe(true);
    // Each batch's numbers follow one another in batch order, and no number was given twice.
    for (const seqs of answers) expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    const all = answers.flat();
    expect(new Set(all).size).toBe(sent.length);
    const stored = await database.db.select({ seq: syncOps.seq, opId: syncOps.opId }).from(syncOps).where(inArray(syncOps.opId, sent.map((o) => o.opId)));
    expect(stored.map((r) => Number(r.seq)).sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
    const heads = await database.db.select({ n: count() }).from(syncFields);
    expect(heads[0]?.n).toBeGreaterThan(0);
  });

  it('rate-limits sync per device, not per address', async () => {
    const strict = await startServer(database, clock, { rateLimits: { sync: 3 } });
    try {
      const token = await login(strict, ADMIN.email, ADMIN.password);
      const uid = await adminUserId(strict, token);
      const one = await laptopFor(strict, token, uid);
      const two = await laptopFor(strict, token, uid);
      for (let i = 0; i < 3; i++) expect((await one.pull(0, 1)).status).toBe(200);
      const limited = await one.pull(0, 1);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'rate_limited', messageKey: 'errors.rateLimited' });
      expect((await two.pull(0, 1)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
