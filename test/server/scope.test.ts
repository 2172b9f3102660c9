/**
 * GET /api/sync/scope: the organisations a laptop may still hold — exactly those whose org-scoped records
 * pull gives the caller. Checked per role against what pull actually shows, as assignments move, and for
 * the same device authentication, validation and rate limit as the other sync routes.
 */
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeResponse } from '#shared/sync/protocol';
import { SYNC_POLICY } from '#shared/sync/scope';
import type { ServerDatabase } from '../../server/db/index.ts';
import { ADMIN, BACKENDS, call, login, startServer, TestClock } from './helpers.ts';
import { adminUserId, buildWorld, laptopFor, type Laptop, type World } from './sync-helpers.ts';

describe.each(BACKENDS)('which organisations a laptop may hold ($name)', (backend) => {
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
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const scopeOf = async (l: Laptop): Promise<string[] | null> => {
    const r = await call<ScopeResponse>(app, 'GET', '/api/sync/scope', { token: l.token });
    expect(r.status, r.text).toBe(200);
    return r.body.orgIds;
  };
  const sorted = (ids: string[]) => [...ids].sort();
  /** The organisations of the org-scoped records pull gives this laptop from the start of the log. */
  const pulledOrgs = async (l: Laptop): Promise<string[]> => {
    l.cursor = 0;
    const orgs = new Set<string>();
    for (const o of (await l.pullAll()).ops) {
      const s = SYNC_POLICY[o.tbl]?.scope;
      if (s?.kind === 'self') orgs.add(o.rowId);
      else if (s?.kind === 'org' && o.field === s.field && o.value !== null) orgs.add(JSON.parse(o.value) as string);
    }
    return sorted([...orgs]);
  };

  it('per role: the pair’s companies and the region’s suppliers for a mentor, the region’s suppliers for a consultant, no restriction for an administrator', async () => {
    const { c1, c2, s1 } = w.ids;
    expect(await scopeOf(w.mentorA)).toEqual(sorted([c1, s1]));
    expect(await scopeOf(w.mentorB)).toEqual(sorted([c1, s1]));
    expect(await scopeOf(w.mentorC)).toEqual(sorted([c2, s1]));
    expect(await scopeOf(w.consultant)).toEqual([s1]);
    expect(await scopeOf(w.admin)).toBeNull();
    // The same organisations pull gives them: the scope says what pull says, not a rule of its own.
    for (const l of [w.mentorA, w.mentorC, w.consultant]) expect(await pulledOrgs(l)).toEqual(await scopeOf(l));
  });

  it('a company taken away from pair 1 leaves the scope of both its mentors; moved to pair 2 it joins that pair’s', async () => {
    const { c1, c2, s1, a1, p1, p2 } = w.ids;
    // Moved to pair 2.
    await w.admin.pushOk([w.admin.op('pair_assignments', a1, 'pair_id', p2)]);
    expect(await scopeOf(w.mentorA)).toEqual([s1]);
    expect(await scopeOf(w.mentorB)).toEqual([s1]);
    expect(await scopeOf(w.mentorC)).toEqual(sorted([c1, c2, s1]));
    // Un-assigned altogether (the assignment is tombstoned): nobody's pair has it.
    await w.admin.pushOk([w.admin.op('pair_assignments', a1, 'deleted_at', '2027-03-03T00:00:00.000Z')]);
    expect(await scopeOf(w.mentorC)).toEqual(sorted([c2, s1]));
    expect(await scopeOf(w.mentorA)).toEqual([s1]);
    // Assigned to pair 1 again.
    await w.admin.pushOk([w.admin.op('pair_assignments', a1, 'pair_id', p1), w.admin.op('pair_assignments', a1, 'deleted_at', null)]);
    expect(await scopeOf(w.mentorA)).toEqual(sorted([c1, s1]));
    expect(await scopeOf(w.mentorB)).toEqual(sorted([c1, s1]));
    expect(await scopeOf(w.mentorC)).toEqual(sorted([c2, s1]));
  });

  it('a company a mentor created is theirs until it is assigned; a supplier they created stays theirs', async () => {
    const { c1, s1, p2 } = w.ids;
    const mine = uuidv7();
    const supplier = uuidv7();
    await w.mentorA.pushOk([
      ...w.mentorA.record('organizations', mine, { kind: 'company', name: '새로운정밀', region: '41' }),
      ...w.mentorA.record('organizations', supplier, { kind: 'supplier', name: '부산솔루션', region: '26' }),
    ]);
    expect(await scopeOf(w.mentorA)).toEqual(sorted([c1, s1, mine, supplier]));
    expect(await scopeOf(w.mentorB)).toEqual(sorted([c1, s1]));
    await w.admin.pushOk(w.admin.record('pair_assignments', uuidv7(), { pair_id: p2, org_id: mine, assigned_on: '2027-03-04' }));
    expect(await scopeOf(w.mentorA)).toEqual(sorted([c1, s1, supplier]));
    expect((await scopeOf(w.mentorC))?.includes(mine)).toBe(true);
    expect(await pulledOrgs(w.mentorA)).toEqual(sorted([c1, s1, supplier]));
  });

  it('a consultant’s own supplier elsewhere is theirs; another region’s is not', async () => {
    const { s1, s2 } = w.ids;
    const own = uuidv7();
    await w.consultant.pushOk(w.consultant.record('organizations', own, { kind: 'supplier', name: '제주시스템', region: '50' }));
    const scope = await scopeOf(w.consultant);
    expect(scope).toEqual(sorted([s1, own]));
    expect(scope).not.toContain(s2);
  });

  it('only an enrolled device asks; no parameters; rate-limited per device', async () => {
    expect((await call(app, 'GET', '/api/sync/scope')).status).toBe(401);
    // A user's login token (no device) is refused like on the other sync routes.
    const noDevice = await call(app, 'GET', '/api/sync/scope', { token: adminToken });
    expect(noDevice.status).toBe(403);
    expect(noDevice.body).toMatchObject({ messageKey: 'errors.auth.deviceRequired' });
    const extra = await call(app, 'GET', '/api/sync/scope?orgId=x', { token: w.mentorA.token });
    expect(extra.status).toBe(400);

    const strict = await startServer(database, clock, { rateLimits: { sync: 2 } });
    try {
      const token = await login(strict, ADMIN.email, ADMIN.password);
      const one = await laptopFor(strict, token, await adminUserId(strict, token));
      for (let i = 0; i < 2; i++) expect((await call(strict, 'GET', '/api/sync/scope', { token: one.token })).status).toBe(200);
      expect((await call(strict, 'GET', '/api/sync/scope', { token: one.token })).status).toBe(429);
    } finally {
      await strict.close();
    }
  });
});
