import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../server/db/index.ts';
import { holderProof, httpTransport, TransportError, type BlobTransport } from '../../electron/services/sync-transport.ts';
import { and, eq } from 'drizzle-orm';
import { blobHolders, syncRecords } from '../../server/db/schema.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { uuidv7 } from 'uuidv7';
import { ADMIN, BACKENDS, call, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';
import { adminUserId, buildWorld, type Laptop } from './sync-helpers.ts';

useCleanup();

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;

describe.each(BACKENDS)('attachments by content hash ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let base: string;
  let adminToken: string;
  const devices: { token: string }[] = [];
  const clock = new TestClock();
  const transport = (token: string) => httpTransport({ baseUrl: base, token: () => Promise.resolve(token) });
  const blobs = (token: string) => transport(token).blobs as BlobTransport;
  /** Uploads bytes that fit one chunk, as the laptop whose token it is. */
  const uploadWhole = async (token: string, bytes: Buffer) => {
    const t = blobs(token);
    await t.begin(sha(bytes), bytes.length);
    await t.putChunk(sha(bytes), 0, bytes);
    await t.complete(sha(bytes));
  };

  /** Uploads a photo as `mentor` and records it on a new visit to `orgId`: the visit's and the file's ids. */
  const photographedVisit = async (mentor: Laptop, orgId: string, photo: Buffer, fileName: string) => {
    await uploadWhole(mentor.token, photo);
    const visit = uuidv7();
    const file = uuidv7();
    await mentor.pushOk([
      ...mentor.record('visits', visit, { org_id: orgId, visited_on: '2027-03-10', place: '공장', purpose: 'assessment' }),
      ...mentor.record('attachments', file, { sha256: sha(photo), mime: 'image/png', size: photo.length, file_name: fileName }),
      ...mentor.record('visit_photos', uuidv7(), { visit_id: visit, attachment_id: file }),
    ]);
    return { visit, file };
  };

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 2; i++) {
      const u = await createUser(app, adminToken, 'admin');
      devices.push(await enrolDevice(app, adminToken, u.id));
    }
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('takes a blob in chunks, resumable, and gives it back only once it hashes to its name', async () => {
    const t = blobs(devices[0]!.token);
    const bytes = crypto.randomBytes(2 * MiB + 5);
    const h = sha(bytes);
    expect(await t.status(h)).toBeNull();
    let s = await t.begin(h, bytes.length);
    expect(s).toMatchObject({ size: bytes.length, chunkSize: MiB, chunks: 3, received: [], complete: false });
    await t.putChunk(h, 0, bytes.subarray(0, MiB));
    await t.putChunk(h, 2, bytes.subarray(2 * MiB));
    // Not whole yet: nothing to download, and completing says what is missing.
    await expect(t.getChunk(h, 0)).rejects.toMatchObject({ status: 404 });
    await expect(t.complete(h)).rejects.toMatchObject({ status: 409 });
    s = (await t.status(h))!;
    expect(s.received).toEqual([0, 2]);
    await t.putChunk(h, 1, bytes.subarray(MiB, 2 * MiB));
    expect((await t.complete(h)).complete).toBe(true);
    const back = Buffer.concat([await t.getChunk(h, 0), await t.getChunk(h, 1), await t.getChunk(h, 2)]);
    expect(back.equals(bytes)).toBe(true);
    // The other device (and a second announcement) finds it complete: nothing to send.
    expect(await blobs(devices[1]!.token).begin(h, bytes.length)).toMatchObject({ complete: true });
  });

  it('drops chunks that do not hash to the name, and refuses a chunk of the wrong size', async () => {
    const t = blobs(devices[0]!.token);
    const bytes = crypto.randomBytes(1000);
    const h = sha(bytes);
    await t.begin(h, bytes.length);
    await expect(t.putChunk(h, 0, bytes.subarray(0, 999))).rejects.toMatchObject({ status: 400 });
    const bad = Buffer.from(bytes);
    bad[10] = bad[10]! ^ 1;
    await t.putChunk(h, 0, bad);
    await expect(t.complete(h)).rejects.toMatchObject({ status: 422 });
    expect((await t.status(h))?.received).toEqual([]);
    await t.putChunk(h, 0, bytes);
    expect((await t.complete(h)).complete).toBe(true);
    await expect(t.begin(h, 999)).rejects.toBeInstanceOf(TransportError);
  });

  it('only enrolled devices reach attachments', async () => {
    const h = sha(Buffer.from('x'));
    expect((await call(app, 'GET', `/api/blobs/${h}`)).status).toBe(401);
    expect((await call(app, 'GET', `/api/blobs/${h}`, { token: adminToken })).status).toBe(403);
    expect((await call(app, 'GET', '/api/blobs/not-a-hash', { token: devices[0]!.token })).status).toBe(400);
  });

  it('gives a photo’s bytes only to those who may read a record showing it, whoever knows its hash', async () => {
    const world = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
    const { mentorA, mentorB, mentorC, consultant, admin, ids } = world;
    const photo = crypto.randomBytes(1000);
    const h = sha(photo);
    // Mentor A uploads a photo of a visit to company c1 (pair 1's) and records it.
    const { visit, file: attachment } = await photographedVisit(mentorA, ids.c1, photo, 'line.png');
    // Pair 1's other mentor, the uploader and the office get it.
    for (const who of [mentorA, mentorB, admin]) expect((await blobs(who.token).getChunk(h, 0)).equals(photo)).toBe(true);
    // Pair 2's mentor and a supplier consultant, who may have learnt the hash elsewhere, get nothing.
    for (const who of [mentorC, consultant]) {
      await expect(blobs(who.token).getChunk(h, 0)).rejects.toMatchObject({ status: 403 });
      const r = await call<{ messageKey: string }>(app, 'GET', `/api/blobs/${h}/chunks/0`, { token: who.token });
      expect(r.body.messageKey).toBe('errors.sync.blobForbidden');
    }
    // Knowing the hash, pair 2's mentor describes "its own" file with it and shows it in its own company's
    // visit, or names it as a certificate's PDF: refused whole, and the bytes stay out of reach.
    const visitC = uuidv7();
    const confirmationC = uuidv7();
    await mentorC.pushOk([
      ...mentorC.record('visits', visitC, { org_id: ids.c2, visited_on: '2027-03-11', place: '공장', purpose: 'assessment' }),
      ...mentorC.record('level_confirmations', confirmationC, { org_id: ids.c2, assessed_on: '2027-03-11' }),
    ]);
    const copy = uuidv7();
    const stolen = await mentorC.push([
      ...mentorC.record('attachments', copy, { sha256: h, mime: 'image/png', size: photo.length, file_name: 'mine.png' }),
      ...mentorC.record('visit_photos', uuidv7(), { visit_id: visitC, attachment_id: copy }),
      ...mentorC.record('certificates', uuidv7(), { confirmation_id: confirmationC, pdf_sha256: h }),
    ]);
    expect(stolen.body.results.map((x) => (x.status === 'rejected' ? x.messageKey : x.status))).toEqual(Array(8).fill('errors.sync.fileForbidden'));
    await expect(blobs(mentorC.token).getChunk(h, 0)).rejects.toMatchObject({ status: 403 });
    // Pair 1's other mentor, who may see the photo, may describe the same bytes again (the same file added on their laptop).
    await mentorB.pushOk([...mentorB.record('attachments', uuidv7(), { sha256: h, mime: 'image/png', size: photo.length, file_name: 'again.png' })]);

    // Bytes no record names yet may be named by anyone: a service restored from a backup lost the records, and
    // a colleague's laptop sent the photo again before its author's laptop sent the records.
    const again = crypto.randomBytes(800);
    const h2 = sha(again);
    await uploadWhole(mentorB.token, again);
    const resent = uuidv7();
    await mentorA.pushOk([
      ...mentorA.record('attachments', resent, { sha256: h2, mime: 'image/png', size: again.length, file_name: 'resent.png' }),
      ...mentorA.record('visit_photos', uuidv7(), { visit_id: visit, attachment_id: resent }),
    ]);
    expect((await blobs(mentorA.token).getChunk(h2, 0)).equals(again)).toBe(true);
    // Once named, the usual rule holds again.
    const late = await mentorC.push(mentorC.record('attachments', uuidv7(), { sha256: h2, mime: 'image/png', size: again.length, file_name: 'late.png' }));
    expect(late.body.results.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);

    // A hash is no place for a long value: such an op is refused, and nothing else of the batch suffers.
    const r = await mentorA.push([mentorA.op('attachments', attachment, 'sha256', 'f'.repeat(200)), mentorA.op('visits', visit, 'place', '사무실')]);
    expect(r.body.results.map((x) => x.status)).toEqual(['rejected', 'accepted']);
  });

  it('the same file added independently in two pairs: the second proves it holds the bytes, and only then may name them', async () => {
    const world = await buildWorld(app, adminToken, await adminUserId(app, adminToken));
    const { mentorA, mentorC, ids } = world;
    const photo = crypto.randomBytes(1500);
    const h = sha(photo);
    const { file: fileA } = await photographedVisit(mentorA, ids.c1, photo, 'a.png');
    // Pair 2's laptop finds the bytes on the service already, sent by another account.
    expect(await blobs(mentorA.token).status(h)).toMatchObject({ complete: true, held: true });
    expect(await blobs(mentorC.token).status(h)).toMatchObject({ complete: true, held: false });
    // A proof made without the bytes (from the hash alone) is refused with a message, and records nothing.
    await expect(blobs(mentorC.token).prove(h, holderProof(Buffer.from(h)))).rejects.toMatchObject({ status: 422 });
    const wrong = await call<{ messageKey: string }>(app, 'POST', `/api/blobs/${h}/holders`, { token: mentorC.token, body: { proof: holderProof(crypto.randomBytes(1500)) } });
    expect([wrong.status, wrong.body.messageKey]).toEqual([422, 'errors.blob.proofMismatch']);
    const malformed = await call<{ messageKey: string }>(app, 'POST', `/api/blobs/${h}/holders`, { token: mentorC.token, body: { proof: 'x' } });
    expect(malformed.status).toBe(400);
    expect(await database.db.select().from(blobHolders)).toEqual([]);
    const visitC = uuidv7();
    await mentorC.pushOk(mentorC.record('visits', visitC, { org_id: ids.c2, visited_on: '2027-03-11', place: '공장', purpose: 'assessment' }));
    const unproven = await mentorC.push(mentorC.record('attachments', uuidv7(), { sha256: h, mime: 'image/png', size: photo.length, file_name: 'c.png' }));
    expect(unproven.body.results.every((x) => x.status === 'rejected' && x.messageKey === 'errors.sync.fileForbidden')).toBe(true);
    // With the bytes, the proof stands: pair 2's record of its own photo is accepted and its laptops get the bytes.
    expect(await blobs(mentorC.token).prove(h, holderProof(photo))).toMatchObject({ complete: true, held: true });
    expect(await blobs(mentorC.token).status(h)).toMatchObject({ held: true });
    const fileC = uuidv7();
    await mentorC.pushOk([
      ...mentorC.record('attachments', fileC, { sha256: h, mime: 'image/png', size: photo.length, file_name: 'c.png' }),
      ...mentorC.record('visit_photos', uuidv7(), { visit_id: visitC, attachment_id: fileC }),
    ]);
    expect((await blobs(mentorC.token).getChunk(h, 0)).equals(photo)).toBe(true);
    // Pair 1's description stays out of pair 2's reach: it may not be changed by them.
    const edit = await mentorC.push([mentorC.op('attachments', fileA, 'file_name', 'mine.png')]);
    expect(edit.body.results.map((x) => x.status)).toEqual(['rejected']);
  });

  it('a laptop whose file another account sent first proves it holds the bytes while syncing', async () => {
    const a: TestApp = openApp();
    const c: TestApp = openApp();
    const png = crypto.randomBytes(200 * 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    for (const app of [a, c]) {
      const { id: companyId } = await app.ok('companies.create', companyData({ name: '같은사진정밀' }));
      const { id: visitId } = await app.ok('visits.create', { companyId, visitedOn: '2026-11-20', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
      await app.ok('visits.addPhoto', { visitId, fileName: 'same.png', data: png.toString('base64') });
    }
    expect((await a.services.sync.syncOnce(transport(devices[0]!.token))).rejected).toBe(0);
    const before = await database.db.select().from(blobHolders);
    expect((await c.services.sync.syncOnce(transport(devices[1]!.token))).rejected).toBe(0);
    const added = (await database.db.select().from(blobHolders)).filter((x) => !before.some((y) => y.sha256 === x.sha256 && y.accountId === x.accountId));
    expect(added.map((x) => x.sha256)).toEqual([sha(png)]);
    expect(await blobs(devices[1]!.token).status(sha(png))).toMatchObject({ held: true });
    expect(c.services.sync.status()).toMatchObject({ pending: 0, filesToSend: 0 });
  });

  it('a photo whose bytes cannot go waits with its records, and both go the next round', async () => {
    const a: TestApp = openApp();
    const png = crypto.randomBytes(100 * 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    const { id: companyId } = await a.ok('companies.create', companyData({ name: '대기사진정밀' }));
    const { id: visitId } = await a.ok('visits.create', { companyId, visitedOn: '2026-11-21', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
    await a.ok('visits.addPhoto', { visitId, fileName: 'waiting.png', data: png.toString('base64') });
    const photoId = (await a.ok('visits.photos', { visitId })).rows[0]!.id;
    const fileId = (a.sqlite.prepare('SELECT attachment_id AS id FROM visit_photos WHERE id = ?').get(photoId) as { id: string }).id;
    // The network carries records but drops the photo's bytes.
    const working = transport(devices[0]!.token);
    const blobsDown: BlobTransport = { ...(working.blobs as BlobTransport), putChunk: () => Promise.reject(new TransportError('connection reset', true)) };
    await expect(a.services.sync.syncOnce({ ...working, blobs: blobsDown })).rejects.toThrow('connection reset');
    const onService = async (tbl: string, rowId: string) => (await database.db.select().from(syncRecords).where(and(eq(syncRecords.tbl, tbl), eq(syncRecords.rowId, rowId)))).length;
    // The company and the visit went; the photo and its file's description wait for the bytes, refused by nobody.
    expect([await onService('organizations', companyId), await onService('visits', visitId)]).toEqual([1, 1]);
    expect([await onService('visit_photos', photoId), await onService('attachments', fileId)]).toEqual([0, 0]);
    expect(a.services.sync.status()).toMatchObject({ filesToSend: 1, rejected: 0 });
    expect(a.services.sync.status().pending).toBeGreaterThan(0);
    // Next round, all of it.
    expect(await a.services.sync.syncOnce(working)).toMatchObject({ rejected: 0 });
    expect([await onService('visit_photos', photoId), await onService('attachments', fileId)]).toEqual([1, 1]);
    expect(await blobs(devices[0]!.token).status(sha(png))).toMatchObject({ complete: true });
    expect(a.services.sync.status()).toMatchObject({ pending: 0, filesToSend: 0, rejected: 0 });
  });

  it('a photo taken on one laptop arrives on another through the service, records and bytes', async () => {
    const a: TestApp = openApp();
    const b: TestApp = openApp();
    const { id: companyId } = await a.ok('companies.create', companyData({ name: '사진정밀' }));
    const { id: visitId } = await a.ok('visits.create', { companyId, visitedOn: '2026-11-20', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
    const png = crypto.randomBytes(1.5 * MiB);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    await a.ok('visits.addPhoto', { visitId, fileName: 'line.png', data: png.toString('base64') });
    const ra = await a.services.sync.syncOnce(transport(devices[0]!.token));
    expect(ra.rejected).toBe(0);
    await b.services.sync.syncOnce(transport(devices[1]!.token));
    const [p] = (await b.ok('visits.photos', { visitId })).rows;
    expect(Buffer.from((await b.ok('visits.photo', { id: p!.id })).data, 'base64').equals(png)).toBe(true);
    expect(b.services.sync.status()).toMatchObject({ missingFiles: 0, pending: 0 });
  });
});
