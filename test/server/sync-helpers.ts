/**
 * Sync test fixtures: a simulated laptop (its own HLC, the clocks it has seen per field, push and pull over
 * the HTTP API) and a small programme world an administrator's device pushes: mentors, two pairs, companies
 * assigned to them, suppliers in two regions, and the accounts of the people involved.
 */
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { hlcReceive, hlcToString, parseHlc } from '#shared/sync/hlc';
import type { ChangeOp, PullResponse, PushResponse } from '#shared/sync/protocol';
import { call, createUser, enrolDevice, type Reply } from './helpers.ts';

export const fk = (tbl: string, rowId: string, field: string) => `${tbl}/${rowId}/${field}`;

export class Laptop {
  millis: number;
  counter = 0;
  /** The clock of each field as this laptop last saw it (its own edits and what it pulled). */
  readonly seen = new Map<string, string>();
  cursor = 0;

  constructor(
    readonly app: FastifyInstance,
    readonly token: string,
    readonly deviceId: string,
    readonly userId: string,
    start = Date.parse('2027-03-02T01:00:00Z'),
  ) {
    this.millis = start;
  }

  tick(): string {
    this.counter++;
    return hlcToString({ millis: this.millis, counter: this.counter, node: this.deviceId });
  }

  /** One field change; `base` defaults to what this laptop saw of the field. */
  op(tbl: string, rowId: string, field: string, value: unknown, base?: string | null): ChangeOp {
    const k = fk(tbl, rowId, field);
    const hlc = this.tick();
    const op: ChangeOp = {
      opId: uuidv7(),
      tbl,
      rowId,
      field,
      value: value === null ? null : JSON.stringify(value),
      hlc,
      deviceId: this.deviceId,
      userId: this.userId,
      base: base === undefined ? (this.seen.get(k) ?? null) : base,
      // As the app does: how far this laptop had pulled when it made the change.
      seenSeq: this.cursor,
    };
    this.seen.set(k, hlc);
    return op;
  }

  record(tbl: string, rowId: string, fields: Record<string, unknown>): ChangeOp[] {
    return Object.entries(fields).map(([f, v]) => this.op(tbl, rowId, f, v));
  }

  push(ops: ChangeOp[]): Promise<Reply<PushResponse>> {
    return call<PushResponse>(this.app, 'POST', '/api/sync/push', { token: this.token, body: { ops } });
  }

  /** Pushes and fails the test unless every op was accepted. */
  async pushOk(ops: ChangeOp[]): Promise<PushResponse['results']> {
    const r = await this.push(ops);
    if (r.status !== 200) throw new Error(`push: ${r.status} ${r.text}`);
    const bad = r.body.results.filter((x) => x.status !== 'accepted');
    if (bad.length > 0) throw new Error(`push rejected: ${JSON.stringify(bad)}`);
    return r.body.results;
  }

  pull(after: number, limit?: number): Promise<Reply<PullResponse>> {
    return call<PullResponse>(this.app, 'GET', `/api/sync/pull?after=${after}${limit === undefined ? '' : `&limit=${limit}`}`, { token: this.token });
  }

  /** Pulls from its cursor to the end; remembers the clocks it saw. */
  async pullAll(limit?: number): Promise<PullResponse> {
    const all: PullResponse = { ops: [], conflicts: [], cursor: this.cursor, more: false };
    for (;;) {
      const r = await this.pull(this.cursor, limit);
      if (r.status !== 200) throw new Error(`pull: ${r.status} ${r.text}`);
      all.ops.push(...r.body.ops);
      all.conflicts.push(...r.body.conflicts);
      for (const o of r.body.ops) {
        const k = fk(o.tbl, o.rowId, o.field);
        const cur = this.seen.get(k);
        if (cur === undefined || o.hlc > cur) this.seen.set(k, o.hlc);
        // As the app does: the clock moves past every clock received, so a later edit sorts after what it saw.
        const next = hlcReceive({ millis: this.millis, counter: this.counter, node: this.deviceId }, parseHlc(o.hlc), 0);
        this.millis = next.millis;
        this.counter = next.counter;
      }
      this.cursor = r.body.cursor;
      all.cursor = r.body.cursor;
      if (!r.body.more) return all;
    }
  }
}

export async function laptopFor(app: FastifyInstance, adminToken: string, userId: string, start?: number): Promise<Laptop> {
  const d = await enrolDevice(app, adminToken, userId);
  return new Laptop(app, d.token, d.deviceId, userId, start);
}

export interface World {
  admin: Laptop;
  /** The two mentors of pair 1 (company c1) and a mentor of pair 2 (company c2). */
  mentorA: Laptop;
  mentorB: Laptop;
  mentorC: Laptop;
  /** A supplier consultant of region 41. */
  consultant: Laptop;
  ids: { m1: string; m2: string; m3: string; m4: string; p1: string; p2: string; c1: string; c2: string; s1: string; s2: string; a1: string; a2: string };
  users: { mentorA: string; mentorB: string; mentorC: string; consultant: string };
}

/** The administrator's laptop pushes the registry; accounts in region 41 are created for the people. */
export async function buildWorld(app: FastifyInstance, adminToken: string, adminUserId: string): Promise<World> {
  const ids = { m1: uuidv7(), m2: uuidv7(), m3: uuidv7(), m4: uuidv7(), p1: uuidv7(), p2: uuidv7(), c1: uuidv7(), c2: uuidv7(), s1: uuidv7(), s2: uuidv7(), a1: uuidv7(), a2: uuidv7() };
  const admin = await laptopFor(app, adminToken, adminUserId);
  await admin.pushOk([
    ...admin.record('mentors', ids.m1, { name: '김공정', expertise: 'process', region: '41' }),
    ...admin.record('mentors', ids.m2, { name: '이인공', expertise: 'ai', region: '41' }),
    ...admin.record('mentors', ids.m3, { name: '박공정', expertise: 'process', region: '41' }),
    ...admin.record('mentors', ids.m4, { name: '최인공', expertise: 'ai', region: '41' }),
    ...admin.record('mentor_pairs', ids.p1, { process_mentor_id: ids.m1, ai_mentor_id: ids.m2 }),
    ...admin.record('mentor_pairs', ids.p2, { process_mentor_id: ids.m3, ai_mentor_id: ids.m4 }),
    ...admin.record('organizations', ids.c1, { kind: 'company', name: '한빛정밀', region: '41' }),
    ...admin.record('organizations', ids.c2, { kind: 'company', name: '대성금속', region: '41' }),
    ...admin.record('organizations', ids.s1, { kind: 'supplier', name: '스마트솔루션', region: '41' }),
    ...admin.record('organizations', ids.s2, { kind: 'supplier', name: '부산시스템', region: '26' }),
    ...admin.record('pair_assignments', ids.a1, { pair_id: ids.p1, org_id: ids.c1, assigned_on: '2027-03-01' }),
    ...admin.record('pair_assignments', ids.a2, { pair_id: ids.p2, org_id: ids.c2, assigned_on: '2027-03-01' }),
  ]);
  const userA = await createUser(app, adminToken, 'mentor', { mentorId: ids.m1 });
  const userB = await createUser(app, adminToken, 'mentor', { mentorId: ids.m2 });
  const userC = await createUser(app, adminToken, 'mentor', { mentorId: ids.m3 });
  const userK = await createUser(app, adminToken, 'supplier_consultant');
  return {
    admin,
    mentorA: await laptopFor(app, adminToken, userA.id),
    mentorB: await laptopFor(app, adminToken, userB.id),
    mentorC: await laptopFor(app, adminToken, userC.id),
    consultant: await laptopFor(app, adminToken, userK.id),
    ids,
    users: { mentorA: userA.id, mentorB: userB.id, mentorC: userC.id, consultant: userK.id },
  };
}

/** The administrator's user id (the bootstrap account). */
export async function adminUserId(app: FastifyInstance, adminToken: string): Promise<string> {
  const me = await call<{ userId: string }>(app, 'GET', '/api/me', { token: adminToken });
  return me.body.userId;
}
