import type { FastifyInstance } from 'fastify';
import { count, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PULL_OPS, MAX_PUSH_OPS, pullResponse, pushResponse, type ChangeOp, type ServerOp } from '#shared/sync/protocol';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncConflicts, syncFields, syncOps, syncRecords } from '../../server/db/schema.ts';
import { ADMIN, BACKENDS, login, startServer, TestClock } from './helpers.ts';
import { PULL_WINDOW_PAGES } from '../../server/sync/service.ts';
import { adminUserId, buildWorld, laptopFor, type World } from './sync-helpers.ts';

describe.each(BACKENDS)('sync push and pull ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let adminToken: string;
  let w: World;
  const clock = new TestClock();

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    w = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const counts = async () => ({
    ops: (await database.db.select({ n: count() }).from(syncOps))[0]?.n,
    fields: (await database.db.select({ n: count() }).from(syncFields))[0]?.n,
    records: (await database.db.select({ n: count() }).from(syncRecords))[0]?.n,
    conflicts: (await database.db.select({ n: count() }).from(syncConflicts))[0]?.n,
  });
  const head = async (tbl: string, rowId: string, field: string) =>
    (await database.db.select().from(syncFields).where(eq(syncFields.tbl, tbl))).find((h) => h.rowId === rowId && h.field === field);

  it('push stores each op with a new server sequence; the other mentor of the pair pulls them as sent', async () => {
    const visit = uuidv7();
    const ops = w.mentorA.record('visits', visit, { org_id: w.ids.c1, visited_on: '2027-03-05', summary: '라인 점검' });
    const r = await w.mentorA.push(ops);
    expect(r.status).toBe(200);
    expect(pushResponse.parse(r.body)).toEqual(r.body);
    const seqs = r.body.results.map((x) => (x.status === 'accepted' ? x.seq : -1));
    expect(r.body.results.every((x) => x.status === 'accepted' && !x.duplicate)).toBe(true);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);

    const pulled = await w.mentorB.pullAll();
    expect(pullResponse.parse(pulled)).toBeTruthy();
    const mine = pulled.ops.filter((o) => o.rowId === visit);
    // As sent, less what the author had seen (the service's own business).
    expect(mine).toEqual(ops.map(({ seenSeq: _seen, ...o }, i) => ({ ...o, seq: seqs[i] })));
    expect(await head('visits', visit, 'summary')).toMatchObject({ value: '"라인 점검"', opId: ops[2]?.opId, seq: seqs[2] });
    const [rec] = await database.db.select().from(syncRecords).where(eq(syncRecords.rowId, visit));
    expect(rec).toMatchObject({ tbl: 'visits', orgId: w.ids.c1, createdByAccount: w.users.mentorA, createdSeq: seqs[0] });
  });

  it('a batch pushed twice is stored once: the same sequences come back marked duplicate', async () => {
    const visit = uuidv7();
    const ops = w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '재전송' });
    const first = await w.mentorA.push(ops);
    const before = await counts();
    const again = await w.mentorA.push(ops);
    expect(again.status).toBe(200);
    expect(again.body.results).toEqual(first.body.results.map((x) => ({ ...x, duplicate: true })));
    expect(await counts()).toEqual(before);
    // Another device re-sending (a relay) is recognised by the op id too; a repeat inside one batch as well.
    const edit = w.mentorA.op('visits', visit, 'summary', '수정');
    const twice = await w.mentorB.push([edit, edit]);
    expect(twice.body.results[0]).toMatchObject({ status: 'accepted', duplicate: false });
    expect(twice.body.results[1]).toEqual({ ...twice.body.results[0], duplicate: true });
    expect((await counts()).ops).toBe((before.ops ?? 0) + 1);
  });

  it('answers per op: refused ops carry a reason and are not stored, the others in the batch are', async () => {
    const before = await counts();
    const good = uuidv7();
    const ops: ChangeOp[] = [
      ...w.mentorA.record('visits', good, { org_id: w.ids.c1, summary: '좋음' }),
      w.mentorA.op('visits', uuidv7(), 'org_id', w.ids.c2),
      w.mentorA.op('no_such_table', uuidv7(), 'x', 1),
      w.mentorA.op('visits', uuidv7(), 'summary', '소속 없음'),
      w.mentorA.op('assessment_answers', uuidv7(), 'assessment_id', uuidv7()),
      w.mentorA.op('organizations', w.ids.c1, 'kind', 'supplier'),
      w.mentorA.op('pair_assignments', uuidv7(), 'org_id', w.ids.c1),
    ];
    const r = await w.mentorA.push(ops);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => (x.status === 'accepted' ? 'ok' : `${x.reason}:${x.messageKey}`))).toEqual([
      'ok',
      'ok',
      'forbidden:errors.sync.forbidden',
      'unknownTable:errors.sync.unknownTable',
      'invalid:errors.sync.unknownParent',
      'invalid:errors.sync.unknownParent',
      'forbiddenField:errors.sync.forbiddenField',
      'forbidden:errors.sync.forbidden',
    ]);
    expect(r.body.results.map((x) => x.opId)).toEqual(ops.map((o) => o.opId));
    const after = await counts();
    expect(after.ops).toBe((before.ops ?? 0) + 2);
    expect(after.records).toBe((before.records ?? 0) + 1);
    const stored = new Set((await database.db.select({ id: syncOps.opId }).from(syncOps)).map((x) => x.id));
    for (const o of ops.slice(2)) expect(stored.has(o.opId)).toBe(false);
  });

  it('concurrent edits of one field: a conflict with both values that both mentors of the pair pull; no one else', async () => {
    const visit = uuidv7();
    await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '처음' }));
    await w.mentorB.pullAll();
    // Both edit offline from the same base; B's clock is later, so B's value is kept.
    w.mentorA.millis += 60_000;
    w.mentorB.millis += 120_000;
    const a = w.mentorA.op('visits', visit, 'summary', 'A의 요약');
    const b = w.mentorB.op('visits', visit, 'summary', 'B의 요약');
    expect(a.base).toBe(b.base);
    await w.mentorB.pushOk([b]);
    const before = (await counts()).conflicts ?? 0;
    const [ra] = await w.mentorA.pushOk([a]);
    expect((await counts()).conflicts).toBe(before + 1);
    expect(await head('visits', visit, 'summary')).toMatchObject({ value: '"B의 요약"', opId: b.opId });

    const expected = {
      tbl: 'visits',
      rowId: visit,
      field: 'summary',
      kept: { opId: b.opId, value: '"B의 요약"', hlc: b.hlc, deviceId: b.deviceId, userId: b.userId },
      other: { opId: a.opId, value: '"A의 요약"', hlc: a.hlc, deviceId: a.deviceId, userId: a.userId },
      seq: ra?.status === 'accepted' ? ra.seq : -1,
      resolvedSeq: null,
    };
    for (const m of [w.mentorA, w.mentorB]) {
      const p = await m.pullAll();
      const mine = p.conflicts.filter((c) => c.rowId === visit);
      expect(mine.map(({ id: _id, ...rest }) => rest)).toEqual([expected]);
      expect(mine[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await w.mentorC.pullAll()).conflicts.some((c) => c.rowId === visit)).toBe(false);
    expect((await w.admin.pullAll()).conflicts.some((c) => c.rowId === visit)).toBe(true);
  });

  it('a delete racing an edit of the same record is a conflict, whichever arrives first; restoring brings the edit back', async () => {
    const visits = [uuidv7(), uuidv7()];
    for (const v of visits) await w.mentorA.pushOk(w.mentorA.record('visits', v, { org_id: w.ids.c1, summary: '방문' }));
    await w.mentorB.pullAll();
    await w.mentorA.pullAll();
    // visits[0]: A deletes offline and pushes first, then B's edit (made without seeing the delete) arrives.
    const del0 = w.mentorA.op('visits', visits[0]!, 'deleted_at', '2027-03-05T01:00:00.000Z');
    const edit0 = w.mentorB.op('visits', visits[0]!, 'summary', 'B가 보완한 요약');
    // visits[1]: the other order.
    const edit1 = w.mentorB.op('visits', visits[1]!, 'summary', 'B의 두 번째 요약');
    const del1 = w.mentorA.op('visits', visits[1]!, 'deleted_at', '2027-03-05T01:01:00.000Z');
    const before = (await counts()).conflicts ?? 0;
    await w.mentorA.pushOk([del0]);
    await w.mentorB.pushOk([edit0, edit1]);
    await w.mentorA.pushOk([del1]);
    expect((await counts()).conflicts).toBe(before + 2);

    for (const m of [w.mentorA, w.mentorB]) {
      const races = (await m.pullAll()).conflicts.filter((c) => visits.includes(c.rowId) && c.resolvedSeq === null);
      expect(races.map((c) => ({ rowId: c.rowId, field: c.field, kept: c.kept.opId, keptValue: c.kept.value, other: c.other.opId, otherValue: c.other.value }))).toEqual([
        { rowId: visits[0], field: 'deleted_at', kept: del0.opId, keptValue: del0.value, other: edit0.opId, otherValue: null },
        { rowId: visits[1], field: 'deleted_at', kept: del1.opId, keptValue: del1.value, other: edit1.opId, otherValue: null },
      ]);
    }
    // The edits were merged into their own fields either way; the delete holds until someone decides.
    expect(await head('visits', visits[0]!, 'summary')).toMatchObject({ value: '"B가 보완한 요약"' });
    expect(await head('visits', visits[0]!, 'deleted_at')).toMatchObject({ value: del0.value });
    // B takes "restore": a new op that has seen the delete settles the conflict and brings the record back.
    const restore = w.mentorB.op('visits', visits[0]!, 'deleted_at', null);
    expect(restore.base).toBe(del0.hlc);
    const [rr] = await w.mentorB.pushOk([restore]);
    expect(await head('visits', visits[0]!, 'deleted_at')).toMatchObject({ value: null });
    const settled = (await w.mentorA.pullAll()).conflicts.find((c) => c.rowId === visits[0] && c.field === 'deleted_at');
    expect(settled?.resolvedSeq).toBe(rr?.status === 'accepted' ? rr.seq : -1);
  });

  it('a delete made after seeing the edits, or an edit made after seeing the delete, is no conflict', async () => {
    const visit = uuidv7();
    await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '방문' }));
    await w.mentorB.pullAll();
    await w.mentorB.pushOk([w.mentorB.op('visits', visit, 'summary', '고침')]);
    await w.mentorA.pullAll();
    const before = (await counts()).conflicts;
    await w.mentorA.pushOk([w.mentorA.op('visits', visit, 'deleted_at', '2027-03-06T01:00:00.000Z')]);
    await w.mentorB.pullAll();
    await w.mentorB.pushOk([w.mentorB.op('visits', visit, 'summary', '삭제된 뒤 고침')]);
    // Its own edits never race its own delete.
    await w.mentorA.pullAll();
    await w.mentorA.pushOk([w.mentorA.op('visits', visit, 'summary', 'A의 마지막 고침')]);
    expect((await counts()).conflicts).toBe(before);
  });

  it('a sequential edit (made after pulling the other) replaces the value without a conflict', async () => {
    const visit = uuidv7();
    await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '하나' }));
    await w.mentorB.pullAll();
    const before = (await counts()).conflicts;
    await w.mentorB.pushOk([w.mentorB.op('visits', visit, 'summary', '둘')]);
    await w.mentorA.pullAll();
    await w.mentorA.pushOk([w.mentorA.op('visits', visit, 'summary', '셋')]);
    expect((await counts()).conflicts).toBe(before);
    expect(await head('visits', visit, 'summary')).toMatchObject({ value: '"셋"' });
  });

  it('an edit made with the kept value in view resolves the open conflict; pull reports it resolved', async () => {
    const visit = uuidv7();
    await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '원본' }));
    await w.mentorB.pullAll();
    const a = w.mentorA.op('visits', visit, 'summary', 'A안');
    w.mentorB.millis += 1000;
    const b = w.mentorB.op('visits', visit, 'summary', 'B안');
    await w.mentorA.pushOk([a]);
    await w.mentorB.pushOk([b]);
    const seen = await w.mentorA.pullAll();
    const conflict = seen.conflicts.find((c) => c.rowId === visit);
    expect(conflict).toMatchObject({ kept: { opId: b.opId }, other: { opId: a.opId }, resolvedSeq: null });
    // A takes a merged text; A's laptop has seen B's value (the head), so its base is the head's clock.
    w.mentorA.millis += 5000;
    const resolve = w.mentorA.op('visits', visit, 'summary', 'A안 + B안');
    expect(resolve.base).toBe(b.hlc);
    const [rr] = await w.mentorA.pushOk([resolve]);
    const resolvedSeq = rr?.status === 'accepted' ? rr.seq : -1;
    const [row] = await database.db.select().from(syncConflicts).where(eq(syncConflicts.id, conflict?.id ?? ''));
    expect(row?.resolvedSeq).toBe(resolvedSeq);
    const again = await w.mentorB.pullAll();
    expect(again.conflicts.filter((c) => c.rowId === visit).at(-1)).toMatchObject({ id: conflict?.id, resolvedSeq });
    expect(again.ops.find((o) => o.opId === resolve.opId)).toBeTruthy();
    expect(await head('visits', visit, 'summary')).toMatchObject({ value: '"A안 + B안"' });
  });

  it('pages by sequence: limit, cursor and more; a stretch of nothing readable is passed over, not sent', async () => {
    const fresh = await laptopFor(app, adminToken, w.users.mentorC);
    const start = (await fresh.pull(0, 1000)).body;
    // Drain to the end first.
    let cursor = start.cursor;
    for (let more = start.more; more; ) {
      const p = (await fresh.pull(cursor)).body;
      cursor = p.cursor;
      more = p.more;
    }
    // Five ops on pair 1's company: pair 2's mentor C sees none of them; one page moves past all of them.
    const visit = uuidv7();
    const results = await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1, a: 1, b: 2, c: 3, d: 4 }));
    const seqs = results.map((x) => (x.status === 'accepted' ? x.seq : -1));
    const c1 = (await fresh.pull(cursor, 2)).body;
    expect(c1).toEqual({ ops: [], conflicts: [], cursor: seqs[4], more: false });
    const c2 = (await fresh.pull(c1.cursor, 2)).body;
    expect(c2).toEqual({ ops: [], conflicts: [], cursor: seqs[4], more: false, head: seqs[4] });
    // Mentor B (same pair) gets them two per page.
    const b1 = (await w.mentorB.pull(cursor, 2)).body;
    expect(b1.ops.map((o) => o.seq)).toEqual(seqs.slice(0, 2));
    expect(b1).toMatchObject({ cursor: seqs[1], more: true });
    const b2 = (await w.mentorB.pull(b1.cursor, 2)).body;
    expect(b2.ops.map((o) => o.seq)).toEqual(seqs.slice(2, 4));
    const b3 = (await w.mentorB.pull(b2.cursor, 2)).body;
    expect(b3.ops.map((o) => o.seq)).toEqual([seqs[4]]);
    expect(b3).toMatchObject({ cursor: seqs[4], more: false });
    // The administrator reads everything, a page of `limit` at a time.
    const a1 = (await w.admin.pull(cursor, 2)).body;
    expect(a1.ops.map((o) => o.seq)).toEqual(seqs.slice(0, 2));
    expect(a1).toMatchObject({ cursor: seqs[1], more: true });
    // Past the window (PULL_WINDOW_PAGES pages of `limit`), a mentor's page ends where the window does and says more.
    const many = await w.mentorA.pushOk(Array.from({ length: PULL_WINDOW_PAGES + 1 }, (_, i) => w.mentorA.op('visits', visit, `x${i}`, i)));
    const manySeqs = many.map((x) => (x.status === 'accepted' ? x.seq : -1));
    const c3 = (await fresh.pull(seqs[4] ?? 0, 1)).body;
    expect(c3).toEqual({ ops: [], conflicts: [], cursor: manySeqs[PULL_WINDOW_PAGES - 1], more: true });
    const c4 = (await fresh.pull(c3.cursor, 1)).body;
    expect(c4).toEqual({ ops: [], conflicts: [], cursor: manySeqs[PULL_WINDOW_PAGES], more: false });
  });

  it('rejects a malformed pull query and batch with field errors', async () => {
    const bad = await w.mentorA.pull(-1);
    expect(bad.status).toBe(400);
    const tooMany = await w.mentorA.pull(0, MAX_PULL_OPS + 1);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'validation', fields: { limit: { key: 'validation.tooLarge' } } });
    const op = w.mentorA.op('visits', uuidv7(), 'org_id', w.ids.c1);
    const r = await w.mentorA.push([{ ...op, hlc: 'yesterday', tbl: 'Visits; drop' }]);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'validation', messageKey: 'errors.validation', fields: { 'ops.0.hlc': { key: 'validation.hlc' }, 'ops.0.tbl': { key: 'validation.identifier' } } });
    const empty = await w.mentorA.push([]);
    expect(empty.status).toBe(400);
    const many = Array.from({ length: MAX_PUSH_OPS + 1 }, () => w.mentorA.op('visits', uuidv7(), 'org_id', w.ids.c1));
    expect((await w.mentorA.push(many)).status).toBe(400);
  });

  it('the same ops in shuffled batches from different laptops end on identical field heads', async () => {
    // The records exist first (their creating ops); then concurrent edits by three laptops arrive in three orders.
    const runs: Record<string, string | null>[] = [];
    for (let run = 0; run < 3; run++) {
      const rows = [uuidv7(), uuidv7()];
      await w.admin.pushOk(rows.flatMap((r) => w.admin.record('visits', r, { org_id: w.ids.c1 })));
      const edits: ChangeOp[] = [];
      const spec = [
        [w.mentorA, 0, 'summary', 'a1', 10],
        [w.mentorB, 0, 'summary', 'b1', 10],
        [w.admin, 0, 'summary', 'x1', 5],
        [w.mentorA, 1, 'notes', 'a2', 7],
        [w.mentorB, 1, 'notes', 'b2', 9],
        [w.mentorB, 0, 'notes', null, 3],
        [w.mentorA, 1, 'summary', 'a3', 3],
        [w.admin, 1, 'summary', 'x3', 3],
      ] as const;
      for (const [l, r, f, v, ms] of spec) {
        const saved = { millis: l.millis, counter: l.counter };
        l.millis = Date.parse('2027-04-01T00:00:00Z') + ms;
        l.counter = 0;
        edits.push(l.op('visits', rows[r] as string, f, v, null));
        Object.assign(l, saved);
      }
      const order = [...edits.keys()];
      // A different deterministic shuffle per run.
      order.sort((x, y) => ((x * (run + 3) + 7) % 11) - ((y * (run + 3) + 7) % 11));
      const shuffled = order.map((i) => edits[i] as ChangeOp);
      const senders = [w.mentorA, w.mentorB, w.admin];
      for (let i = 0; i < shuffled.length; i += 3) await (senders[(i / 3 + run) % 3] as typeof w.admin).pushOk(shuffled.slice(i, i + 3));
      const state: Record<string, string | null> = {};
      for (const [r, row] of rows.entries()) {
        for (const h of (await database.db.select().from(syncFields).where(eq(syncFields.rowId, row))).filter((x) => x.field !== 'org_id')) {
          state[`${r}.${h.field}`] = `${h.value}@${h.hlc}`;
        }
      }
      runs.push(state);
    }
    expect(Object.keys(runs[0] ?? {}).length).toBe(4);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it('snapshot: the current heads of the readable records, with their open conflicts and the cursor to pull from', async () => {
    type Snap = { ops: ServerOp[]; conflicts: { rowId: string }[]; cursor: number; next: { tbl: string; rowId: string } | null };
    const snapshotAll = async (token: string, limit: number) => {
      const pages: Snap[] = [];
      let after = { tbl: '', rowId: '' };
      let cursor: number | undefined;
      for (;;) {
        const q = `afterTbl=${encodeURIComponent(after.tbl)}&afterRow=${encodeURIComponent(after.rowId)}&limit=${limit}${cursor === undefined ? '' : `&cursor=${cursor}`}`;
        const r = await app.inject({ method: 'GET', url: `/api/sync/snapshot?${q}`, headers: { authorization: `Bearer ${token}` } });
        expect(r.statusCode).toBe(200);
        const page = r.json<Snap>();
        pages.push(page);
        cursor = page.cursor;
        if (!page.next) return pages;
        after = page.next;
      }
    };
    const visit = uuidv7();
    await w.mentorA.pushOk(w.mentorA.record('visits', visit, { org_id: w.ids.c1, summary: '처음' }));
    await w.mentorA.pushOk([w.mentorA.op('visits', visit, 'summary', '나중')]);
    const pages = await snapshotAll(w.mentorB.token, 3);
    expect(pages.length).toBeGreaterThan(2);
    expect(new Set(pages.map((p) => p.cursor)).size).toBe(1);
    const ops = pages.flatMap((p) => p.ops);
    const summary = ops.filter((o) => o.rowId === visit && o.field === 'summary');
    expect(summary.map((o) => o.value)).toEqual(['"나중"']);
    // Pair 2's company and region 26's supplier are not in pair 1's snapshot; pair 1's company and the registry are.
    const rows = new Set(ops.map((o) => o.rowId));
    expect(rows.has(w.ids.c2)).toBe(false);
    expect(rows.has(w.ids.s2)).toBe(false);
    expect(rows.has(w.ids.c1)).toBe(true);
    expect(rows.has(w.ids.s1)).toBe(true);
    expect(rows.has(w.ids.m3)).toBe(true);
    // The snapshot's conflicts are the open ones of its records.
    expect(pages.flatMap((p) => p.conflicts).every((c) => rows.has(c.rowId))).toBe(true);
    const all = await database.db.select({ seq: syncOps.seq }).from(syncOps);
    expect(pages[0]?.cursor).toBe(Math.max(...all.map((x) => x.seq)));
  });
});
