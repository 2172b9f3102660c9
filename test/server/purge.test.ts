/**
 * Tombstone purge (issue 6: "tombstones are purged only after every device has passed them"): real laptops
 * (the app's services on SQLite files) sync with the real service over HTTP; a deleted record goes from the
 * service and from every laptop only once every device that is not revoked has applied the log past its
 * delete, never while a record that depends on it is alive, and an op that still arrives for it is refused.
 */
import type { FastifyInstance } from 'fastify';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PURGE_FIELD } from '#shared/sync/protocol';
import type { ServerDatabase } from '../../server/db/index.ts';
import type { PurgeResult } from '../../server/sync/purge.ts';
import { blobs, syncFields, syncOps, syncPurges, syncRecords } from '../../server/db/schema.ts';
import { silentLogger } from '../../electron/services/logger.ts';
import { DivergenceCheck } from '../../electron/services/sync-divergence.ts';
import { httpTransport, TransportError, type BlobTransport, type SyncTransport } from '../../electron/services/sync-transport.ts';
import { SyncRunner } from '../../electron/services/sync-runner.ts';
import { companyData, mentorData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { ADMIN, BACKENDS, call, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';
import { laptopFor } from './sync-helpers.ts';

useCleanup();

describe.each(BACKENDS)('purging deleted records every device has passed ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let baseUrl: string;
  let adminToken: string;
  let userId: string;

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    adminToken = await login(app, ADMIN.email, ADMIN.password);
    userId = (await createUser(app, adminToken, 'admin')).id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const laptop = async (): Promise<{ app: TestApp; t: SyncTransport; deviceId: string }> => {
    const { token, deviceId } = await enrolDevice(app, adminToken, userId);
    return { app: openApp(), t: httpTransport({ baseUrl, token: () => Promise.resolve(token) }), deviceId };
  };
  const purge = async () => {
    const r = await call<PurgeResult>(app, 'POST', '/api/admin/sync/purge', { token: adminToken });
    expect(r.status).toBe(200);
    return r.body;
  };
  const rowsOf = (l: TestApp, rowId: string) => ({
    log: (l.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE row_id = ?').get(rowId) as { n: number }).n,
    clocks: (l.sqlite.prepare('SELECT count(*) AS n FROM field_clocks WHERE row_id = ?').get(rowId) as { n: number }).n,
  });

  it('goes from the service and both laptops once both have passed the delete; a parent waits for its children', async () => {
    const [l1, l2] = [await laptop(), await laptop()];
    const raw = await laptopFor(app, adminToken, userId);
    const sync = async (...ls: { app: TestApp; t: SyncTransport }[]) => {
      for (const l of ls) await l.app.services.sync.syncOnce(l.t);
    };
    // Every device applies the log to its end (its position is what it asks after: twice proves the first applied).
    const everyonePasses = async () => {
      await sync(l1, l2, l1, l2);
      await raw.pullAll();
      await raw.pullAll();
    };
    const input = companyData({ name: '정리정밀', contacts: [{ name: '김담당', role: '', phone: '', email: '' }] });
    const { id: companyId } = await l1.app.ok('companies.create', input);
    const contactId = (await l1.app.ok('companies.get', { id: companyId })).contacts[0]!.id;
    const { id: archivedId } = await l1.app.ok('companies.create', companyData({ name: '휴업정밀' }));
    await sync(l1, l2);

    // A contact deleted and a company archived on one laptop; the other has not applied that yet: nothing goes.
    await l1.app.ok('companies.update', { ...input, id: companyId, contacts: [] });
    await l1.app.ok('companies.archive', { id: archivedId });
    await sync(l1);
    // The administrator is told what waits and for which devices: the other laptop, and one that never pulled.
    const held = await purge();
    expect(held).toMatchObject({ records: 0, waiting: 1 });
    expect(held.waitingFor.map((d) => d.deviceId)).toEqual(expect.arrayContaining([l2.deviceId, raw.deviceId]));
    expect(held.waitingFor.find((d) => d.deviceId === raw.deviceId)).toMatchObject({ appliedSeq: null, name: '노트북', userId });
    await everyonePasses();
    expect(await purge()).toMatchObject({ records: 1, waiting: 0, waitingFor: [] });
    expect(await database.db.select().from(syncFields).where(eq(syncFields.rowId, contactId))).toEqual([]);
    expect((await database.db.select().from(syncOps).where(eq(syncOps.rowId, contactId))).map((o) => o.field)).toEqual([PURGE_FIELD]);
    expect((await database.db.select().from(syncRecords).where(eq(syncRecords.rowId, contactId)))[0]?.purgedSeq).toBeGreaterThan(0);
    // An archived company is not deleted: people restore it, so it is never purged.
    expect((await database.db.select().from(syncRecords).where(eq(syncRecords.rowId, archivedId)))[0]?.purgedSeq).toBeNull();

    await sync(l1, l2);
    for (const l of [l1, l2]) {
      expect(l.app.sqlite.prepare('SELECT count(*) AS n FROM contacts WHERE id = ?').get(contactId)).toEqual({ n: 0 });
      expect(rowsOf(l.app, contactId)).toEqual({ log: 0, clocks: 0 });
      expect((await l.app.ok('companies.get', { id: companyId })).name).toBe('정리정밀');
      expect(l.app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
      // Laptop and service agree record for record.
      const check = new DivergenceCheck(l.app.sqlite, l.app.services.sync, l.app.services.settings.deviceId(), silentLogger());
      expect(await check.run(l.t)).toMatchObject({ recordsDiffering: 0, notRun: null });
    }
    await l2.app.ok('companies.restore', { id: archivedId });
    await sync(l2, l1);
    expect((await l1.app.ok('companies.get', { id: archivedId })).name).toBe('휴업정밀');

    // A visit deleted while its attendee is alive waits; once the attendee goes too, both go (child first).
    const visit = '018f0000-0000-7000-8000-00000000a001';
    const attendee = '018f0000-0000-7000-8000-00000000a002';
    await raw.pushOk([...raw.record('visits', visit, { org_id: companyId, visited_on: '2027-03-05' }), ...raw.record('visit_attendees', attendee, { visit_id: visit, name: '김대표' })]);
    await everyonePasses();
    await raw.pushOk([raw.op('visits', visit, 'deleted_at', '2027-03-06T01:00:00.000Z')]);
    await everyonePasses();
    expect(await purge()).toMatchObject({ records: 0 });
    await raw.pushOk([raw.op('visit_attendees', attendee, 'deleted_at', '2027-03-06T01:00:00.000Z')]);
    await everyonePasses();
    expect(await purge()).toMatchObject({ records: 2 });
    for (const l of [l1, l2]) {
      expect(l.app.sqlite.prepare('SELECT count(*) AS n FROM visits WHERE id = ?').get(visit)).toEqual({ n: 0 });
      expect(l.app.sqlite.prepare('SELECT count(*) AS n FROM visit_attendees WHERE id = ?').get(attendee)).toEqual({ n: 0 });
    }

    // An op that still arrives for a purged record is refused, never bringing it back.
    const r = await raw.push([raw.op('visits', visit, 'summary', '되살림')]);
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', reason: 'purged', messageKey: 'errors.sync.purged' });
    expect(await database.db.select().from(syncFields).where(eq(syncFields.rowId, visit))).toEqual([]);
    // A device that has never pulled holds every later purge back; the purge names it, and revoking it lets the delete go.
    const idle = await laptopFor(app, adminToken, userId);
    const gone = '018f0000-0000-7000-8000-00000000a003';
    await raw.pushOk(raw.record('visits', gone, { org_id: companyId, visited_on: '2027-03-07' }));
    await raw.pushOk([raw.op('visits', gone, 'deleted_at', '2027-03-08T01:00:00.000Z')]);
    await everyonePasses();
    const waiting = await purge();
    expect(waiting).toMatchObject({ horizon: 0, records: 0, waiting: 1 });
    expect(waiting.waitingFor.map((d) => d.deviceId)).toEqual([idle.deviceId]);
    expect((await call(app, 'POST', `/api/devices/${idle.deviceId}/revoke`, { token: adminToken })).status).toBe(200);
    expect(await purge()).toMatchObject({ records: 1, waiting: 0, waitingFor: [] });
  });

  it('warns, from the hourly purge, about devices a delete waits for that have not been seen for a week', async () => {
    const lines: { level: number; msg: string; devices?: { deviceId: string; appliedSeq: number | null }[] }[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as (typeof lines)[number]);
        done();
      },
    });
    const own = await backend.open();
    const clock = new TestClock();
    const server = await startServer(own.database, clock, { purgeIntervalMs: 20, logger: { level: 'warn', stream } });
    try {
      const token = await login(server, ADMIN.email, ADMIN.password);
      const user = (await createUser(server, token, 'admin')).id;
      const active = await laptopFor(server, token, user);
      const idle = await laptopFor(server, token, user);
      const org = '018f0000-0000-7000-8000-00000000b001';
      const visit = '018f0000-0000-7000-8000-00000000b002';
      await active.pushOk([...active.record('organizations', org, { kind: 'company', name: '대기정밀', region: '41' }), ...active.record('visits', visit, { org_id: org, visited_on: '2027-03-05' })]);
      await active.pushOk([active.op('visits', visit, 'deleted_at', '2027-03-06T01:00:00.000Z')]);
      await active.pullAll();
      await active.pullAll();
      const runs = async () => (await own.database.db.select().from(syncPurges)).length;
      // Enrolled today: a few purges pass without a word.
      const before = await runs();
      await vi.waitFor(async () => expect(await runs()).toBeGreaterThan(before + 2));
      expect(lines.filter((l) => l.level === 40)).toEqual([]);
      // Eight days on, the idle laptop is named (the active one passed the delete).
      clock.advance(8 * 86_400_000);
      await vi.waitFor(() => expect(lines.filter((l) => l.level === 40)).not.toEqual([]));
      const warning = lines.find((l) => l.level === 40);
      expect(warning?.msg).toContain('revoke');
      expect(warning?.devices?.map((d) => [d.deviceId, d.appliedSeq])).toEqual([[idle.deviceId, null]]);
    } finally {
      await server.close();
      await own.dispose();
    }
  });

  it('lets a file go once no record shows it, and its bytes a week after no record names them; a laptop back from a long absence sends them again', async () => {
    const own = await backend.open();
    const clock = new TestClock();
    // Tokens that outlive the weeks this test moves the clock on.
    const server = await startServer(own.database, clock, { purgeIntervalMs: 0, accessTokenTtlSeconds: 60 * 86_400 });
    const url = await server.listen({ port: 0, host: '127.0.0.1' });
    const laptops: { app: TestApp; t: SyncTransport }[] = [];
    try {
      const token = await login(server, ADMIN.email, ADMIN.password);
      const user = (await createUser(server, token, 'admin')).id;
      const transport = (t: string) => httpTransport({ baseUrl: url, token: () => Promise.resolve(t) });
      for (let i = 0; i < 2; i++) laptops.push({ app: openApp(), t: transport((await enrolDevice(server, token, user)).token) });
      const [l1, l2] = laptops as [(typeof laptops)[number], (typeof laptops)[number]];
      const raw = await laptopFor(server, token, user);
      const purgeNow = async () => (await call<PurgeResult>(server, 'POST', '/api/admin/sync/purge', { token })).body;
      const everyonePasses = async () => {
        for (const l of [l1, l2, l1, l2]) await l.app.services.sync.syncOnce(l.t);
        await raw.pullAll();
        await raw.pullAll();
      };
      const png = (n: number) => {
        const b = crypto.randomBytes(n);
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
        return b;
      };
      const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
      const onService = async (h: string) => (await own.database.db.select().from(blobs).where(eq(blobs.sha256, h))).length;
      const fileOf = (l: TestApp, evidenceId: string) => (l.sqlite.prepare('SELECT attachment_id AS id FROM answer_evidence WHERE id = ?').get(evidenceId) as { id: string }).id;
      const described = (l: TestApp, fileId: string) => (l.sqlite.prepare('SELECT count(*) AS n FROM attachments WHERE id = ?').get(fileId) as { n: number }).n;

      const { id: companyId } = await l1.app.ok('companies.create', companyData({ name: '증빙정밀' }));
      const { id: assessmentId } = await l1.app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
      const [a, b] = [png(3000), png(4000)];
      const { id: gone } = await l1.app.ok('evidence.add', { assessmentId, itemId: 'ceo_vision', fileName: 'a.png', data: a.toString('base64') });
      const { id: kept } = await l1.app.ok('evidence.add', { assessmentId, itemId: 'ceo_vision', fileName: 'b.png', data: b.toString('base64') });
      const [goneFile, keptFile] = [fileOf(l1.app, gone), fileOf(l1.app, kept)];
      await everyonePasses();
      expect(l2.app.services.sync.status()).toMatchObject({ missingFiles: 0 });

      // One photo removed; every device passes that: the photo goes, then its file's description, nothing else.
      await l1.app.ok('evidence.remove', { id: gone });
      await everyonePasses();
      expect(await purgeNow()).toMatchObject({ records: 1, files: 1, blobs: 0 });
      expect((await own.database.db.select().from(syncRecords).where(eq(syncRecords.rowId, goneFile)))[0]?.purgedSeq).toBeGreaterThan(0);
      expect((await own.database.db.select().from(syncRecords).where(eq(syncRecords.rowId, keptFile)))[0]?.purgedSeq).toBeNull();
      await everyonePasses();
      for (const l of [l1, l2]) {
        expect([described(l.app, goneFile), described(l.app, keptFile)]).toEqual([0, 1]);
        expect([sha(a), sha(b)].map((h) => fs.existsSync(path.join(path.dirname(l.app.file), 'attachments', h)))).toEqual([false, true]);
        expect((await l.app.ok('evidence.list', { assessmentId })).rows.map((r) => r.id)).toEqual([kept]);
        const check = new DivergenceCheck(l.app.sqlite, l.app.services.sync, l.app.services.settings.deviceId(), silentLogger());
        expect(await check.run(l.t)).toMatchObject({ recordsDiffering: 0, notRun: null });
      }
      // A record that still points at the purged file is refused, with a reason a person understands.
      const late = await raw.push(raw.record('answer_evidence', uuidv7(), { assessment_id: assessmentId, item_id: 'ceo_vision', attachment_id: goneFile }));
      expect(late.body.results[0]).toMatchObject({ status: 'rejected', reason: 'purged', messageKey: 'errors.sync.filePurged' });

      // The bytes stay a week (bytes come before the records naming them), then go; the named ones stay.
      expect(await onService(sha(a))).toBe(1);
      clock.advance(8 * 86_400_000);
      expect(await purgeNow()).toMatchObject({ blobs: 1, blobBytes: a.length });
      expect([await onService(sha(a)), await onService(sha(b))]).toEqual([0, 1]);

      // Bytes a laptop asked about before naming them are kept a week from that question.
      const c = png(5000);
      const blobsOf = (l: { t: SyncTransport }) => l.t.blobs as BlobTransport;
      await blobsOf(l1).begin(sha(c), c.length);
      await blobsOf(l1).putChunk(sha(c), 0, c);
      await blobsOf(l1).complete(sha(c));
      clock.advance(6 * 86_400_000);
      expect(await blobsOf(l1).status(sha(c))).toMatchObject({ complete: true, held: true });
      clock.advance(2 * 86_400_000);
      expect(await purgeNow()).toMatchObject({ blobs: 0 });

      // A laptop whose bytes went before its records (the network failed after the upload) and that stayed away
      // for weeks: the service deleted the unnamed bytes, and the laptop sends them again before the records.
      const { id: late2 } = await l1.app.ok('evidence.add', { assessmentId, itemId: 'ceo_vision', fileName: 'c.png', data: c.toString('base64') });
      await expect(l1.app.services.sync.syncOnce({ ...l1.t, push: () => Promise.reject(new TransportError('connection reset', true)) })).rejects.toThrow('connection reset');
      clock.advance(10 * 86_400_000);
      expect(await purgeNow()).toMatchObject({ blobs: 1, blobBytes: c.length });
      expect(await l1.app.services.sync.syncOnce(l1.t)).toMatchObject({ rejected: 0 });
      expect(await blobsOf(l1).status(sha(c))).toMatchObject({ complete: true });
      await l2.app.services.sync.syncOnce(l2.t);
      expect(l2.app.services.sync.status()).toMatchObject({ missingFiles: 0 });
      const image = await l2.app.ok('evidence.image', { id: late2 });
      expect(Buffer.from(image.data, 'base64').equals(c)).toBe(true);
    } finally {
      for (const l of laptops) l.app.close();
      await server.close();
      await own.dispose();
    }
  });

  it('a mentor’s laptop lets a purged photo’s file go before its divergence check compares: nothing is sent again, nothing refused', async () => {
    const own = await backend.open();
    const server = await startServer(own.database, new TestClock(), { purgeIntervalMs: 0 });
    const url = await server.listen({ port: 0, host: '127.0.0.1' });
    try {
      const token = await login(server, ADMIN.email, ADMIN.password);
      const device = async (role: 'admin' | 'mentor', mentorId?: string) => {
        const user = await createUser(server, token, role, { region: '41', ...(mentorId ? { mentorId } : {}) });
        const { token: t } = await enrolDevice(server, token, user.id);
        const a = openApp();
        const transport = httpTransport({ baseUrl: url, token: () => Promise.resolve(t) });
        const divergence = new DivergenceCheck(a.sqlite, a.services.sync, a.services.settings.deviceId(), silentLogger());
        // The scope check's usual interval (ten minutes): after the first round it is not due again in this test.
        return { app: a, runner: new SyncRunner(a.services.sync, a.services.settings, null, silentLogger(), { transport, scope: a.services.syncScope, divergence }) };
      };
      const office = await device('admin');
      const kim = await office.app.ok('mentors.create', mentorData({ name: '송공정', expertise: 'process' }));
      const lee = await office.app.ok('mentors.create', mentorData({ name: '문인공', expertise: 'ai', affiliationType: 'kaist_institute' }));
      const pair = await office.app.ok('pairs.create', { processMentorId: kim.id, aiMentorId: lee.id });
      const { id: x } = await office.app.ok('companies.create', companyData({ name: '정리사진' }));
      await office.app.ok('pairs.assign', { companyId: x, pairId: pair.id });
      await office.runner.runOnce();
      const mentor = await device('mentor', kim.id);
      await mentor.runner.runOnce();

      const png = crypto.randomBytes(2000);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
      const { id: assessmentId } = await mentor.app.ok('assessments.create', { companyId: x, visitId: null, instrumentId: 'company-dx' });
      const { id: evidenceId } = await mentor.app.ok('evidence.add', { assessmentId, itemId: 'ceo_vision', fileName: 'board.png', data: png.toString('base64') });
      const fileId = (mentor.app.sqlite.prepare('SELECT attachment_id AS id FROM answer_evidence WHERE id = ?').get(evidenceId) as { id: string }).id;
      expect(await mentor.runner.runOnce()).toMatchObject({ rejected: 0 });
      await mentor.app.ok('evidence.remove', { id: evidenceId });
      for (const d of [mentor, office, mentor, office]) await d.runner.runOnce();
      expect(await call<PurgeResult>(server, 'POST', '/api/admin/sync/purge', { token })).toMatchObject({ body: { records: 1, files: 1 } });

      // The next round brings the photo's purge, not the file's (no record of this mentor shows the file now, so
      // its marker is not theirs to read); the divergence check is asked for, the scope check is not due.
      const summary = await mentor.runner.checkDivergence();
      expect(summary).toMatchObject({ recordsDiffering: 0, opsResent: 0, notRun: null });
      expect(mentor.app.sqlite.prepare('SELECT count(*) AS n FROM attachments WHERE id = ?').get(fileId)).toEqual({ n: 0 });
      expect(fs.existsSync(path.join(path.dirname(mentor.app.file), 'attachments', crypto.createHash('sha256').update(png).digest('hex')))).toBe(false);
      await mentor.runner.runOnce();
      expect(mentor.app.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    } finally {
      await server.close();
      await own.dispose();
    }
  });

  it('is for administrators only', async () => {
    const mentor = await createUser(app, adminToken, 'mentor');
    const token = (await enrolDevice(app, adminToken, mentor.id)).token;
    expect((await call(app, 'POST', '/api/admin/sync/purge', { token })).status).toBe(403);
    expect((await call(app, 'POST', '/api/admin/sync/purge')).status).toBe(401);
  });
});
