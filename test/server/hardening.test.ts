import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/app.ts';
import type { Db, ServerDatabase } from '../../server/db/index.ts';
import { ADMIN, BACKENDS, call, login, startServer, TestClock } from './helpers.ts';

describe.each(BACKENDS)('limits, errors and health ($name)', (backend) => {
  let app: FastifyInstance;
  let database: ServerDatabase;
  let dispose: () => Promise<void>;
  const clock = new TestClock();
  const extra: FastifyInstance[] = [];

  beforeAll(async () => {
    ({ database, dispose } = await backend.open());
    app = await startServer(database, clock);
  });
  afterAll(async () => {
    for (const a of extra) await a.close();
    await app?.close();
    await dispose?.();
  });

  /** Another app over the same database (PGlite opens once per file), with its own options. */
  const variant = async (options: Parameters<typeof startServer>[2]) => {
    const a = await startServer(database, clock, options);
    extra.push(a);
    return a;
  };

  it('reports health: database reachable, version, uptime', async () => {
    const r = await call(app, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', db: 'up', version: '0.1.0', database: backend.name });
    expect(typeof r.body.uptimeSeconds).toBe('number');
  });

  it('reports an unreachable database as 503', async () => {
    const broken: ServerDatabase = { kind: database.kind, db: database.db, ping: () => Promise.reject(new Error('connection refused')), close: () => Promise.resolve() };
    const a = await buildServer({ database: { kind: 'open', database: broken }, logger: false });
    extra.push(a);
    const r = await call(a, 'GET', '/health');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 'unavailable', db: 'down' });
    expect(r.text).not.toContain('connection refused');
  });

  it('never sends internal error details or stack traces', async () => {
    const failing = new Proxy({} as Db, {
      get() {
        throw new Error('secret internal detail at /srv/db.ts:12');
      },
    });
    const a = await buildServer({ database: { kind: 'open', database: { kind: 'pglite', db: failing, ping: () => Promise.resolve(), close: () => Promise.resolve() } }, logger: false });
    extra.push(a);
    const r = await call(a, 'POST', '/api/auth/login', { body: { email: 'a@b.kr', password: 'whatever-password' } });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ code: 'internal', messageKey: 'errors.internal' });
    expect(r.text).not.toMatch(/secret|stack|\.ts/);
  });

  it('limits the request size', async () => {
    const r = await call(app, 'POST', '/api/auth/login', { body: { email: 'a@b.kr', password: 'x'.repeat(70 * 1024) } });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ code: 'payload_too_large', messageKey: 'errors.payloadTooLarge' });
    const small = await variant({ bodyLimit: 100 });
    expect((await call(small, 'POST', '/api/devices/enrol', { body: { code: 'AAAA-BBBB-CCCC-DDDD', deviceName: 'x'.repeat(200) } })).status).toBe(413);
  });

  it('answers malformed JSON, other media types and unknown routes in the error shape', async () => {
    const badJson = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toEqual({ code: 'validation', messageKey: 'errors.validation', fields: { _: { key: 'validation.json' } } });
    const text = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'email=a' });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'unsupported_media_type' });
    const arrayBody = await call(app, 'POST', '/api/auth/login', { body: [1, 2] });
    expect(arrayBody.status).toBe(400);
    // (shared/contract/validation maps every invalid_type to validation.required: zod 4 issues omit the input.)
    expect(arrayBody.body).toMatchObject({ code: 'validation', fields: { _: {} } });
    const unknown = await call(app, 'GET', '/api/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 'not_found', messageKey: 'errors.notFound' });
  });

  it('sets nosniff everywhere and no-store on the API', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/public/certificates/DXM-2027-00001' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('rate-limits logins more strictly than the rest, with the error shape and Retry-After', async () => {
    const limited = await variant({ rateLimits: { login: 3, enrol: 2, global: 20 } });
    const attempts = [];
    for (let i = 0; i < 4; i++) attempts.push(await call(limited, 'POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'wrong-password-x' } }));
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 429]);
    expect(attempts[3]?.body).toEqual({ code: 'rate_limited', messageKey: 'errors.rateLimited', params: { retryAfterSeconds: 60 } });
    expect(attempts[3]?.headers['retry-after']).toBe('60');
    // Even the right password waits out the window.
    expect((await call(limited, 'POST', '/api/auth/login', { body: ADMIN })).status).toBe(429);

    const enrol = [];
    for (let i = 0; i < 3; i++) enrol.push((await call(limited, 'POST', '/api/devices/enrol', { body: { code: 'AAAA-BBBB-CCCC-DDDD', deviceName: 'x' } })).status);
    expect(enrol).toEqual([401, 401, 429]);
    // Other routes still answer within the global limit.
    expect((await call(limited, 'GET', '/health')).status).toBe(200);
    // A generous server over the same database is unaffected (limits are per app and client address).
    expect(await login(app, ADMIN.email, ADMIN.password)).toBeTruthy();
  });
});
