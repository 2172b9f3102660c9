/**
 * Attachment metadata (a file's name, type, size and hash) is read through the records that show the file:
 * a visit photo, an evidence photo, a project photo. Only those who may read such a record get the file's
 * description, on every endpoint (pull, snapshot, divergence tree, records); it comes with the record that
 * shows it, whatever order the two reached the service in; and a record may not show a file its author
 * may not read (that would make another pair's file readable through it).
 */
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_BUCKETS, recordKey } from '#shared/sync/digest';
import type { DigestResponse, PushResponse, RecordsResponse, ServerOp } from '#shared/sync/protocol';
import type { ServerDatabase } from '../../server/db/index.ts';
import { ADMIN, BACKENDS, call, login, startServer, TestClock } from './helpers.ts';
import { adminUserId, buildWorld, type Laptop, type World } from './sync-helpers.ts';

const outcome = (r: PushResponse) => r.results.map((x) => (x.status === 'accepted' ? 'ok' : `${x.reason}:${x.messageKey}`));
const NO_BUCKETS: null[] = Array.from({ length: DIGEST_BUCKETS }, () => null);
const FILE_FIELDS = ['file_name', 'mime', 'sha256', 'size'];

describe.each(BACKENDS)('who reads a file’s description ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let w: World;
  /** Pair 1's visit to c1 and a photo of it (f1, described in one push, shown by p1 in a later one). */
  const ids = { visit: uuidv7(), f1: uuidv7(), p1: uuidv7() };

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    const adminToken = await login(app, ADMIN.email, ADMIN.password);
    w = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const describeFile = (l: Laptop, id: string, name: string) => l.record('attachments', id, { sha256: 'a'.repeat(64), mime: 'image/png', size: 1234, file_name: name });
  /** Everything pull gives the laptop from the start of the log. */
  const pullAll = async (l: Laptop): Promise<ServerOp[]> => {
    l.cursor = 0;
    return (await l.pullAll(50)).ops;
  };
  const fieldsOf = (ops: readonly ServerOp[], rowId: string) => [...new Set(ops.filter((o) => o.tbl === 'attachments' && o.rowId === rowId).map((o) => o.field))].sort();
  const snapshotAll = async (l: Laptop, orgId?: string): Promise<ServerOp[]> => {
    const ops: ServerOp[] = [];
    let after = { tbl: '', rowId: '' };
    let cursor: number | undefined;
    for (;;) {
      const q = orgId ? `orgId=${orgId}` : `afterTbl=${encodeURIComponent(after.tbl)}&afterRow=${encodeURIComponent(after.rowId)}&limit=5${cursor === undefined ? '' : `&cursor=${cursor}`}`;
      const r = await call<{ ops: ServerOp[]; cursor: number; next: { tbl: string; rowId: string } | null }>(app, 'GET', `/api/sync/snapshot?${q}`, { token: l.token });
      expect(r.status, r.text).toBe(200);
      ops.push(...r.body.ops);
      if (orgId || !r.body.next) return ops;
      cursor = r.body.cursor;
      after = r.body.next;
    }
  };
  const treeKeys = async (l: Laptop): Promise<Set<string>> => {
    const r = await call<DigestResponse>(app, 'POST', '/api/sync/digest', { token: l.token, body: { buckets: NO_BUCKETS, skip: [] } });
    expect(r.status, r.text).toBe(200);
    return new Set(r.body.differing.flatMap((b) => b.records).map((x) => recordKey(x.tbl, x.rowId)));
  };

  it('pull: nobody but the office reads a description no record shows; it comes with the record that shows it, to that record’s readers only', async () => {
    await w.mentorA.pushOk([...w.mentorA.record('visits', ids.visit, { org_id: w.ids.c1, visited_on: '2027-03-10', place: '공장', purpose: 'assessment' }), ...describeFile(w.mentorA, ids.f1, '라인.png')]);
    // Described, shown by nothing yet: pair 1's other mentor, pair 2 and the consultant get nothing of it.
    for (const l of [w.mentorB, w.mentorC, w.consultant]) expect(fieldsOf(await pullAll(l), ids.f1)).toEqual([]);
    expect(fieldsOf(await pullAll(w.admin), ids.f1)).toEqual(FILE_FIELDS);
    const cursorB = w.mentorB.cursor;

    await w.mentorA.pushOk(w.mentorA.record('visit_photos', ids.p1, { visit_id: ids.visit, attachment_id: ids.f1 }));
    // Mentor B's laptop had passed the description in the log: it arrives with the photo, ahead of it.
    w.mentorB.cursor = cursorB;
    const next = (await w.mentorB.pullAll(50)).ops;
    expect(fieldsOf(next, ids.f1)).toEqual(FILE_FIELDS);
    const firstPhotoOp = next.findIndex((o) => o.rowId === ids.p1);
    expect(firstPhotoOp).toBeGreaterThan(-1);
    expect(next.findIndex((o) => o.rowId === ids.f1)).toBeLessThan(firstPhotoOp);
    // From the start of the log too, once each field (the description's own ops are readable now).
    expect(fieldsOf(await pullAll(w.mentorB), ids.f1)).toEqual(FILE_FIELDS);
    for (const l of [w.mentorC, w.consultant]) {
      const ops = await pullAll(l);
      expect(ops.some((o) => o.rowId === ids.f1 || o.rowId === ids.p1)).toBe(false);
    }
  });

  it('snapshot, divergence tree and records: the same rule', async () => {
    // A first sync's snapshot, and the snapshot of one company (whose photos' descriptions have no company).
    expect(fieldsOf(await snapshotAll(w.mentorB), ids.f1)).toEqual(FILE_FIELDS);
    expect(fieldsOf(await snapshotAll(w.mentorB, w.ids.c1), ids.f1)).toEqual(FILE_FIELDS);
    expect(fieldsOf(await snapshotAll(w.mentorC), ids.f1)).toEqual([]);
    expect(fieldsOf(await snapshotAll(w.consultant), ids.f1)).toEqual([]);

    expect((await treeKeys(w.mentorB)).has(recordKey('attachments', ids.f1))).toBe(true);
    expect((await treeKeys(w.admin)).has(recordKey('attachments', ids.f1))).toBe(true);
    for (const l of [w.mentorC, w.consultant]) expect((await treeKeys(l)).has(recordKey('attachments', ids.f1))).toBe(false);

    const records = (l: Laptop, refs: { tbl: string; rowId: string }[]) => call<RecordsResponse>(app, 'POST', '/api/sync/records', { token: l.token, body: { records: refs } });
    const denied = await records(w.mentorC, [{ tbl: 'attachments', rowId: ids.f1 }]);
    expect(denied.body).toMatchObject({ ops: [], absent: [{ tbl: 'attachments', rowId: ids.f1 }] });
    // Asking for the photo brings what it shows.
    const photo = await records(w.mentorB, [{ tbl: 'visit_photos', rowId: ids.p1 }]);
    expect(fieldsOf(photo.body.ops, ids.f1)).toEqual(FILE_FIELDS);
    expect(photo.body.absent).toEqual([]);
  });

  it('push: a description is changed only by those who read it; a record shows only a file its author may read', async () => {
    const visitC = uuidv7();
    await w.mentorC.pushOk(w.mentorC.record('visits', visitC, { org_id: w.ids.c2, visited_on: '2027-03-11', place: '공장', purpose: 'assessment' }));
    // Pair 2's mentor knows the id of pair 1's photo: it may neither rename it nor show it in its own visit.
    const r = await w.mentorC.push([w.mentorC.op('attachments', ids.f1, 'file_name', '가져감.png'), ...w.mentorC.record('visit_photos', uuidv7(), { visit_id: visitC, attachment_id: ids.f1 })]);
    expect(r.status).toBe(200);
    // The photo is refused whole: a photo without its file would be half a record.
    expect(outcome(r.body)).toEqual(['forbidden:errors.sync.forbidden', 'forbidden:errors.sync.fileForbidden', 'forbidden:errors.sync.fileForbidden']);
    expect(fieldsOf(await pullAll(w.mentorC), ids.f1)).toEqual([]);
    // Pair 1's other mentor reads it through the photo, so may rename it.
    await w.mentorB.pushOk([w.mentorB.op('attachments', ids.f1, 'file_name', '조립라인.png')]);
    const renamed = (await pullAll(w.mentorA)).filter((o) => o.rowId === ids.f1 && o.field === 'file_name').map((o) => o.value);
    expect(renamed).toContain('"조립라인.png"');

    // Anyone adding a file describes it; its author may show it in a later push, before anything else shows it,
    // and change the description; nobody else may until a record they read shows it.
    const f2 = uuidv7();
    await w.mentorC.pushOk(describeFile(w.mentorC, f2, '대성.png'));
    await w.mentorC.pushOk([w.mentorC.op('attachments', f2, 'file_name', '대성-라인.png')]);
    expect(outcome((await w.mentorA.push([w.mentorA.op('attachments', f2, 'file_name', '남의것.png')])).body)).toEqual(['forbidden:errors.sync.forbidden']);
    await w.mentorC.pushOk(w.mentorC.record('visit_photos', uuidv7(), { visit_id: visitC, attachment_id: f2 }));
    expect(fieldsOf(await pullAll(w.mentorC), f2)).toEqual(FILE_FIELDS);
    for (const l of [w.mentorA, w.mentorB]) expect(fieldsOf(await pullAll(l), f2)).toEqual([]);
    // The office sees both.
    const all = await pullAll(w.admin);
    expect(fieldsOf(all, f2)).toEqual(FILE_FIELDS);
    expect(fieldsOf(all, ids.f1)).toEqual(FILE_FIELDS);
  });

  it('a deleted record still shows its file; a company moved to another pair takes its files’ descriptions along', async () => {
    await w.mentorA.pushOk([w.mentorA.op('visit_photos', ids.p1, 'deleted_at', '2027-03-12T00:00:00.000Z')]);
    expect(fieldsOf(await pullAll(w.mentorB), ids.f1)).toEqual(FILE_FIELDS);
    // The office moves c1 to pair 2: pair 2 reads the description now (the company's snapshot brings it), pair 1 no longer.
    await w.admin.pushOk([w.admin.op('pair_assignments', w.ids.a1, 'pair_id', w.ids.p2)]);
    expect(fieldsOf(await snapshotAll(w.mentorC, w.ids.c1), ids.f1)).toEqual(FILE_FIELDS);
    expect(fieldsOf(await pullAll(w.mentorC), ids.f1)).toEqual(FILE_FIELDS);
    expect(fieldsOf(await pullAll(w.mentorB), ids.f1)).toEqual([]);
  });
});
