/**
 * A central service restored from an older backup (a PGlite data folder copied back): the laptops notice
 * that its log ends before their cursor and send again what it lost; nothing is lost or doubled.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/app.ts';
import { AccountService } from '../../server/accounts.ts';
import { openDatabase, type ServerDatabase } from '../../server/db/index.ts';
import { syncOps } from '../../server/db/schema.ts';
import { httpTransport } from '../../electron/services/sync-transport.ts';
import { companyData, openApp, tempDir, useCleanup } from '../integration/fixtures.ts';
import { ADMIN, createUser, enrolDevice, login, TestClock } from './helpers.ts';

useCleanup();

describe('a service restored from an older backup (PGlite data folder)', () => {
  const open: { app: FastifyInstance; db: ServerDatabase }[] = [];
  afterAll(async () => {
    for (const o of open) {
      await o.app.close().catch(() => undefined);
      await o.db.close().catch(() => undefined);
    }
  });

  it('gets back from the laptops what it lost', async () => {
    const dir = path.join(tempDir(), 'data');
    const clock = new TestClock();
    const start = async () => {
      const db = await openDatabase({ kind: 'pglite', dataDir: dir });
      await new AccountService(db.db, clock.now).ensureBootstrapAdmin(ADMIN.email, ADMIN.password);
      const app = await buildServer({ database: { kind: 'open', database: db }, now: clock.now, logger: false });
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const o = { app, db, url };
      open.push(o);
      return o;
    };
    const stop = async (o: { app: FastifyInstance; db: ServerDatabase }) => {
      await o.app.close();
      await o.db.close();
    };

    let s = await start();
    const adminToken = await login(s.app, ADMIN.email, ADMIN.password);
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) tokens.push((await enrolDevice(s.app, adminToken, (await createUser(s.app, adminToken, 'admin')).id)).token);
    const a = openApp();
    const b = openApp();
    const { id: companyId } = await a.ok('companies.create', companyData({ name: '백업정밀' }));
    const { id: assessmentId } = await a.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    const t = (i: number) => httpTransport({ baseUrl: s.url, token: () => Promise.resolve(tokens[i] as string) });
    await a.services.sync.syncOnce(t(0));
    await b.services.sync.syncOnce(t(1));

    // Last night's backup.
    await stop(s);
    const backup = `${dir}.backup`;
    fs.cpSync(dir, backup, { recursive: true });
    s = await start();

    // A day's work reaches the service ...
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    await b.ok('assessments.saveAnswer', { assessmentId, itemId: 'org_dedicated', value: 'yes' });
    await a.services.sync.syncOnce(t(0));
    await b.services.sync.syncOnce(t(1));
    const before = (await s.db.db.select({ opId: syncOps.opId }).from(syncOps)).length;

    // ... and then the service is restored from the backup.
    await stop(s);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(backup, dir, { recursive: true });
    s = await start();
    expect((await s.db.db.select({ opId: syncOps.opId }).from(syncOps)).length).toBeLessThan(before);

    await a.services.sync.syncOnce(t(0));
    await b.services.sync.syncOnce(t(1));
    await a.services.sync.syncOnce(t(0));
    const ops = await s.db.db.select({ opId: syncOps.opId }).from(syncOps);
    expect(ops.length).toBe(before);
    expect(new Set(ops.map((o) => o.opId)).size).toBe(before);
    for (const app of [a, b]) {
      const v = await app.ok('assessments.get', { id: assessmentId });
      expect([v.answers.ceo_vision?.value, v.answers.org_dedicated?.value]).toEqual([4, 'yes']);
      expect(app.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    }
  }, 120_000);
});
