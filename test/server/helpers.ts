/**
 * Test fixtures for the central service: the database backends every suite runs against (in-memory PGlite
 * always; PostgreSQL when TEST_DATABASE_URL is set, in a fresh database per test file that is dropped after),
 * a movable clock, and small HTTP helpers over `app.inject`.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { AccountService } from '../../server/accounts.ts';
import { buildServer, type ServerOptions } from '../../server/app.ts';
import { openDatabase, type ServerDatabase } from '../../server/db/index.ts';
import { scratchPostgres } from '../../server/db/scratch.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A migrated, empty database and a function that removes it. */
  open(): Promise<{ database: ServerDatabase; dispose: () => Promise<void> }>;
}

const pgliteBackend: Backend = {
  name: 'pglite',
  async open() {
    const database = await openDatabase({ kind: 'pglite' });
    return { database, dispose: () => database.close() };
  },
};

/** Drizzle-kit writes foreign keys schema-qualified ("public"), so isolation is per database, not per schema. */
function postgresBackend(url: string): Backend {
  return { name: 'postgres', open: () => scratchPostgres(url, 'dxm_test', 4) };
}

export const BACKENDS: Backend[] = [pgliteBackend, ...(process.env.TEST_DATABASE_URL ? [postgresBackend(process.env.TEST_DATABASE_URL)] : [])];

export class TestClock {
  constructor(public time: number = Date.parse('2027-03-02T01:00:00Z')) {}
  now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
}

export const ADMIN = { email: 'admin@test.kr', password: 'admin-password-123' };

/** Functional suites make many calls from one address; the rate limits have their own tests. */
const GENEROUS = { global: 100_000, login: 100_000, enrol: 100_000, deviceToken: 100_000, publicLookup: 100_000, sync: 100_000 };

/** A server over `database` (not closed with the app), with the first administrator created. */
export async function startServer(database: ServerDatabase, clock: TestClock, options: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  await new AccountService(database.db, clock.now).ensureBootstrapAdmin(ADMIN.email, ADMIN.password);
  return buildServer({ database: { kind: 'open', database }, now: clock.now, logger: false, rateLimits: GENEROUS, ...options });
}

/** What listeningServer gives a suite (filled in before its first test). */
export interface ListeningServer {
  app: FastifyInstance;
  database: ServerDatabase;
  /** Its address on loopback, for the laptops' own HTTP transport. */
  base: string;
  adminToken: string;
}

/** A service over a fresh database of `backend` for the whole suite, listening on loopback, with an administrator logged in. */
export function listeningServer(backend: Backend): ListeningServer {
  const s = {} as ListeningServer;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const opened = await backend.open();
    dispose = opened.dispose;
    s.database = opened.database;
    s.app = await startServer(s.database, new TestClock());
    s.base = await s.app.listen({ port: 0, host: '127.0.0.1' });
    s.adminToken = await login(s.app, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await s.app?.close();
    await dispose?.();
  });
  return s;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
  text: string;
}

export async function call<T = Record<string, unknown>>(app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH', url: string, opts: { token?: string; body?: unknown } = {}): Promise<Reply<T>> {
  const res = await app.inject({
    method,
    url,
    headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {},
    ...(opts.body === undefined ? {} : { payload: opts.body as Record<string, unknown> }),
  });
  let body: unknown;
  try {
    body = res.json();
  } catch {
    body = null;
  }
  return { status: res.statusCode, body: body as T, headers: res.headers, text: res.body };
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<string> {
  const r = await call<{ accessToken: string }>(app, 'POST', '/api/auth/login', { body: { email, password } });
  if (r.status !== 200) throw new Error(`login ${email} failed: ${r.status} ${r.text}`);
  return r.body.accessToken;
}

let serial = 0;
/** Creates an organisation and a user in it (through the API, as the administrator). */
export async function createUser(
  app: FastifyInstance,
  adminToken: string,
  role: 'admin' | 'mentor' | 'supplier_consultant',
  opts: { organizationId?: string; password?: string; mentorId?: string; region?: string } = {},
): Promise<{ id: string; email: string; organizationId: string; password: string | undefined }> {
  let organizationId = opts.organizationId;
  if (!organizationId) {
    const org = await call<{ id: string }>(app, 'POST', '/api/admin/organizations', { token: adminToken, body: { name: `경기테크노파크 ${++serial}`, kind: 'regional_tp', region: '41' } });
    if (org.status !== 201) throw new Error(`organisation: ${org.status} ${org.text}`);
    organizationId = org.body.id;
  }
  const email = `${role}.${++serial}.${crypto.randomBytes(3).toString('hex')}@test.kr`;
  const r = await call<{ id: string }>(app, 'POST', '/api/admin/users', { token: adminToken, body: {
      organizationId,
      email,
      displayName: `${role} ${serial}`,
      role,
      ...(opts.password ? { password: opts.password } : {}),
      ...(opts.mentorId ? { mentorId: opts.mentorId } : {}),
      ...(opts.region ? { region: opts.region } : {}),
    },
  });
  if (r.status !== 201) throw new Error(`user: ${r.status} ${r.text}`);
  return { id: r.body.id, email, organizationId, password: opts.password };
}

/** Issues an enrolment code for the user and enrols a device; returns its credentials and a device token. */
export async function enrolDevice(app: FastifyInstance, adminToken: string, userId: string, deviceName = '노트북'): Promise<{ deviceId: string; deviceSecret: string; token: string }> {
  const code = await call<{ code: string }>(app, 'POST', `/api/admin/users/${userId}/enrolment-codes`, { token: adminToken });
  if (code.status !== 201) throw new Error(`code: ${code.status} ${code.text}`);
  const enrolled = await call<{ deviceId: string; deviceSecret: string }>(app, 'POST', '/api/devices/enrol', { body: { code: code.body.code, deviceName } });
  if (enrolled.status !== 201) throw new Error(`enrol: ${enrolled.status} ${enrolled.text}`);
  const token = await call<{ accessToken: string }>(app, 'POST', '/api/auth/device-token', { body: { deviceId: enrolled.body.deviceId, deviceSecret: enrolled.body.deviceSecret } });
  if (token.status !== 200) throw new Error(`device token: ${token.status} ${token.text}`);
  return { ...enrolled.body, token: token.body.accessToken };
}
