/**
 * Crash points with real files and SIGKILL: a laptop process is killed at random moments while it edits and
 * syncs against the real service (mid-push, between the server's commit and its answer, mid-page apply).
 * After each restart nothing is lost or doubled, the local rows match their log, and the laptop converges.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncFields, syncOps } from '../../server/db/schema.ts';
import { httpTransport } from '../../electron/services/sync-transport.ts';
import { companyData, openApp, REPO, tempDir, useCleanup } from '../integration/fixtures.ts';
import { ADMIN, BACKENDS, createUser, enrolDevice, login, startServer, TestClock } from './helpers.ts';

useCleanup();

function runUntilKilled(args: string[], env: Record<string, string>, killAfterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/server/crash-child.ts'), ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('READY')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe.each(BACKENDS.slice(0, 1))('a laptop killed mid-sync ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  let base: string;
  let tokens: string[];

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, new TestClock());
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const adminToken = await login(app, ADMIN.email, ADMIN.password);
    tokens = [];
    for (let i = 0; i < 2; i++) tokens.push((await enrolDevice(app, adminToken, (await createUser(app, adminToken, 'admin')).id)).token);
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  it('loses nothing and doubles nothing across five SIGKILLs, then converges with another laptop', async () => {
    const dir = tempDir();
    const dbFile = path.join(dir, 'dx.db');
    const transport = (i: number) => httpTransport({ baseUrl: base, token: () => Promise.resolve(tokens[i] as string) });
    let laptop = openApp({ file: dbFile, dir });
    const { id: companyId } = await laptop.ok('companies.create', companyData({ name: '충돌정밀' }));
    const { id: assessmentId } = await laptop.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    await laptop.services.sync.syncOnce(transport(0));
    laptop.close();

    for (const ms of [150, 400, 700, 250, 900]) {
      await runUntilKilled([dbFile, base, tokens[0] as string, assessmentId], { COMPANY_ID: companyId }, ms);
      laptop = openApp({ file: dbFile, dir });
      // The file opens, every row matches its log; nothing half-written.
      expect(laptop.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
      laptop.close();
    }
    laptop = openApp({ file: dbFile, dir });
    const made = (laptop.sqlite.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
    await laptop.services.sync.syncOnce(transport(0));
    expect(laptop.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    // Every op is on the server exactly once.
    const ops = await database.db.select({ opId: syncOps.opId }).from(syncOps).orderBy(asc(syncOps.seq));
    expect(new Set(ops.map((o) => o.opId)).size).toBe(ops.length);
    expect(ops.length).toBe(made);
    // A second laptop pulls everything and holds what the first holds.
    const other = openApp();
    await other.services.sync.syncOnce(transport(1));
    const heads = (await database.db.select().from(syncFields)).length;
    const localHeads = (a: typeof laptop) => (a.sqlite.prepare('SELECT count(*) AS n FROM field_clocks').get() as { n: number }).n;
    expect([localHeads(laptop), localHeads(other)]).toEqual([heads, heads]);
    expect((await other.ok('actions.list', { companyId })).rows.length).toBe((await laptop.ok('actions.list', { companyId })).rows.length);
    const answers = async (a: typeof laptop) => Object.fromEntries(Object.entries((await a.ok('assessments.get', { id: assessmentId })).answers).map(([k, v]) => [k, [v.value, v.comment]]));
    expect(await answers(other)).toEqual(await answers(laptop));
  }, 120_000);
});
