/**
 * Crash points with real files and SIGKILL: a laptop process is killed at random moments while it edits and
 * syncs against the real service (mid-push, between the server's commit and its answer, mid-page apply).
 * After each restart nothing is lost or doubled, the local rows match their log, and the laptop converges.
 * And the service itself (`npm run server`'s entry, embedded PGlite in a data folder) is killed while a push is
 * on its way: what it answered as stored is there after its restart, and the laptop sends it the rest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerDatabase } from '../../server/db/index.ts';
import { syncFields, syncOps } from '../../server/db/schema.ts';
import { MAX_PUSH_OPS, type ChangeOp, type PullResponse, type PushChain } from '#shared/sync/protocol';
import { httpTransport, type SyncTransport } from '../../electron/services/sync-transport.ts';
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

/** The service as `npm run server` starts it, in a process of its own, on a PGlite data folder; resolves once it listens. */
async function startService(dataDir: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'server/main.ts')], {
    cwd: REPO,
    env: { ...process.env, SERVER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_BOOTSTRAP_EMAIL: ADMIN.email, ADMIN_BOOTSTRAP_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before it listened: ${out}`)));
  });
  return { base, child };
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

async function api<T>(base: string, method: 'GET' | 'POST', route: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(new URL(route, base), {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('the service killed mid-push (SIGKILL, embedded PGlite in a data folder)', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('keeps every op it answered as stored, and stores the rest once when the laptop sends them again', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'server');
    let service = await startService(dataDir);
    children.push(service.child);
    const adminToken = (await api<{ accessToken: string }>(service.base, 'POST', '/api/auth/login', { body: ADMIN })).accessToken;
    const adminId = (await api<{ userId: string }>(service.base, 'GET', '/api/me', { token: adminToken })).userId;
    const { code } = await api<{ code: string }>(service.base, 'POST', `/api/admin/users/${adminId}/enrolment-codes`, { token: adminToken });
    const device = await api<{ deviceId: string; deviceSecret: string }>(service.base, 'POST', '/api/devices/enrol', { body: { code, deviceName: '본부 노트북' } });
    const deviceToken = async () => (await api<{ accessToken: string }>(service.base, 'POST', '/api/auth/device-token', { body: { deviceId: device.deviceId, deviceSecret: device.deviceSecret } })).accessToken;
    let token = await deviceToken();

    // Enough companies for several batches: two are on their way at once.
    const laptop = openApp({ file: path.join(dir, 'dx.db'), dir });
    for (let i = 0; i < 600; i++) await laptop.ok('companies.create', companyData({ name: `정밀가공 ${i}` }));
    const made = laptop.sqlite.prepare('SELECT op_id AS opId FROM change_log').all() as { opId: string }[];
    expect(made.length).toBeGreaterThan(3 * MAX_PUSH_OPS);
    const answered = () => laptop.sqlite.prepare('SELECT op_id AS opId, server_seq AS seq FROM change_log WHERE server_seq IS NOT NULL').all() as { opId: string; seq: number }[];
    /** The service's whole log, as the laptop's device pulls it: each op's sequence number, and how many ops. */
    const log = async () => {
      const seqOf = new Map<string, number>();
      let ops = 0;
      for (let after = 0, more = true; more; ) {
        const page = await api<PullResponse>(service.base, 'GET', `/api/sync/pull?after=${after}`, { token });
        for (const op of page.ops) seqOf.set(op.opId, op.seq);
        ops += page.ops.length;
        ({ cursor: after, more } = page);
      }
      return { seqOf, ops };
    };

    // Killed the moment a batch's answer is in: first with the answer delivered (the next batch is then being
    // read or stored), then with it lost on the way (that batch is stored, and the laptop does not know it). Each
    // time started again on the same folder.
    for (const answer of ['delivered', 'lost'] as const) {
      const inner = httpTransport({ baseUrl: service.base, token: () => Promise.resolve(token) });
      const { child } = service;
      const killing: SyncTransport = {
        ...inner,
        push: async (ops: ChangeOp[], chain?: PushChain) => {
          const response = await inner.push(ops, chain);
          child.kill('SIGKILL');
          if (answer === 'lost') throw new Error('the connection dropped before the answer');
          return response;
        },
      };
      await expect(laptop.services.sync.push(killing)).rejects.toThrow();
      await exited(child);
      const known = answered();
      expect(known.length).toBeLessThan(made.length);
      service = await startService(dataDir);
      children.push(service.child);
      token = await deviceToken();
      // Everything answered is there, with the sequence number it was given, and nothing twice.
      const stored = await log();
      for (const a of known) expect(stored.seqOf.get(a.opId)).toBe(a.seq);
      expect(stored.seqOf.size).toBe(stored.ops);
      // The batch whose answer was lost is stored all the same; the laptop sends it again below.
      if (answer === 'lost') expect(stored.ops).toBeGreaterThan(known.length);
    }

    // The laptop sends what was not answered; each op is on the service exactly once.
    const sent = answered();
    expect(await laptop.services.sync.push(httpTransport({ baseUrl: service.base, token: () => Promise.resolve(token) }))).toEqual({ accepted: made.length - sent.length, rejected: 0 });
    expect(laptop.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
    const final = await log();
    expect(final.ops).toBe(made.length);
    expect(new Set(final.seqOf.keys())).toEqual(new Set(made.map((m) => m.opId)));
    for (const a of sent) expect(final.seqOf.get(a.opId)).toBe(a.seq);
    service.child.kill('SIGTERM');
    await exited(service.child);
  }, 120_000);
});
