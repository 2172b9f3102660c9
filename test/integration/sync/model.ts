/**
 * The model of issue 6's sync tests: 2–5 laptops (real services on real SQLite files) edit one company's
 * assessment offline, add and remove evidence photos (attachments moved by content hash; two laptops often
 * add the same file), sign the assessment (the service checks the signed content; an edit racing a
 * signature is refused on one side or the other), add and archive action items, add, edit and delete the
 * company's contacts (a delete racing an edit is a conflict on the tombstone), and sync over a network that
 * loses requests and answers; at the end every laptop equals every other and the server, and every edit is
 * the current value, in a conflict, or refused and kept with its reason on its laptop. Runs against the
 * in-memory server (fast, many cases; it refuses nothing) and the real central service (PGlite, PostgreSQL).
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { OpInput, OpOutput } from '#shared/contract/index';
import type { ServerOp } from '#shared/sync/protocol';
import type { SyncTransport } from '../../../electron/services/sync-transport.ts';
import { MemoryServer } from '../../../electron/services/sync-transport.ts';
import { companyData, MIDDLING_ANSWERS, openApp, type TestApp } from '../fixtures.ts';
import { FlakyTransport, syncedState } from './helpers.ts';

export interface ModelServer {
  /** The network as replica `i` sees it (its own device credentials on a real server). */
  transport(replica: number): SyncTransport;
  state(): Promise<{
    log: ServerOp[];
    heads: Map<string, { value: string | null; opId: string }>;
    conflicts: { tbl: string; rowId: string; field: string; kept: { value: string | null }; other: { value: string | null } }[];
  }>;
}

export function memoryModel(): ModelServer {
  const server = new MemoryServer();
  return {
    transport: () => server.transport(),
    state: () => Promise.resolve({ log: server.log, heads: server.heads, conflicts: server.conflicts }),
  };
}

export const ITEMS = ['ceo_vision', 'ceo_involvement', 'org_staff'] as const;
/** Three evidence photos (PNG-signed, fixed content): laptops often add the same one. */
const IMAGES = [1, 2, 3].map((i) => {
  const b = crypto.createHash('sha512').update(`evidence ${i}`).digest();
  const png = Buffer.alloc(2000, b);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
  return png.toString('base64');
});
const fault = fc.constantFrom<'before' | 'after' | undefined>(undefined, undefined, 'before', 'after');
/** A signature closes the assessment for good: it comes less often than the edits it may race. */
export const action = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer' as const), replica: fc.nat(4), item: fc.constantFrom(...ITEMS), value: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('action' as const), replica: fc.nat(4), title: fc.constantFrom('작업표준서', 'MES 교육', '설비 점검') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('archive' as const), replica: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('contact' as const), replica: fc.nat(4), name: fc.constantFrom('김담당', '이과장', '박대리') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('phone' as const), replica: fc.nat(4), phone: fc.constantFrom('010-1111-2222', '031-400-5000', '02-555-0101') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dropContact' as const), replica: fc.nat(4) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('photo' as const), replica: fc.nat(4), item: fc.constantFrom(...ITEMS), image: fc.nat(IMAGES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropPhoto' as const), replica: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sign' as const), replica: fc.nat(4) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sync' as const), replica: fc.nat(4), push: fault, pull: fault }) },
);

export type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

export async function run(server: ModelServer, replicaCount: number, actions: Action[]) {
  const apps: TestApp[] = Array.from({ length: replicaCount }, () => openApp());
  const first = apps[0] as TestApp;
  const company = companyData({ name: '수렴정밀' });
  const { id: companyId } = await first.ok('companies.create', company);
  // The contacts as this laptop holds them, changed by `f`: what the company form sends.
  const contacts = async (app: TestApp, f: (rows: OpOutput<'companies.get'>['contacts']) => OpInput<'companies.update'>['contacts']) => {
    const rows = (await app.ok('companies.get', { id: companyId })).contacts;
    await app.ok('companies.update', { ...company, id: companyId, contacts: f(rows) });
  };
  const { id: assessmentId } = await first.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
  // Every required answer, given on the first laptop: the assessment may be signed at any time.
  for (const [itemId, value] of Object.entries(MIDDLING_ANSWERS)) await first.ok('assessments.saveAnswer', { assessmentId, itemId, value });
  for (const [i, app] of apps.entries()) await app.services.sync.syncOnce(server.transport(i));
  /** What a signed assessment refuses on this laptop is not done (the form says so); anything else must work. */
  const unlessSigned = async (app: TestApp, name: string, input: unknown) => {
    const r = await app.call(name, input);
    if (!r.ok && r.error.code !== 'locked') throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  };
  for (const a of actions) {
    const app = apps[a.replica % replicaCount] as TestApp;
    if (a.kind === 'answer') await unlessSigned(app, 'assessments.saveAnswer', { assessmentId, itemId: a.item, value: a.value });
    else if (a.kind === 'photo') await unlessSigned(app, 'evidence.add', { assessmentId, itemId: a.item, fileName: `증빙-${a.image}.png`, data: IMAGES[a.image] });
    else if (a.kind === 'dropPhoto') {
      const [photo] = (await app.ok('evidence.list', { assessmentId })).rows;
      if (photo) await unlessSigned(app, 'evidence.remove', { id: photo.id });
    } else if (a.kind === 'sign') await unlessSigned(app, 'assessments.finalize', { id: assessmentId });
    else if (a.kind === 'action') await app.ok('actions.create', { companyId, title: a.title, owner: '', dueOn: null, severity: 'medium' });
    else if (a.kind === 'archive') {
      const open = (await app.ok('actions.list', { companyId })).rows.filter((r) => r.status === 'open');
      if (open[0]) await app.ok('actions.update', { id: open[0].id, title: open[0].title, owner: open[0].owner, dueOn: open[0].dueOn, severity: open[0].severity, status: 'done' });
    } else if (a.kind === 'contact') await contacts(app, (rows) => [...rows, { name: a.name, role: '', phone: '', email: '' }]);
    else if (a.kind === 'phone') await contacts(app, (rows) => rows.map((r, i) => (i === 0 ? { ...r, phone: a.phone } : r)));
    else if (a.kind === 'dropContact') await contacts(app, (rows) => rows.slice(1));
    else {
      const flaky = new FlakyTransport(server.transport(a.replica % replicaCount));
      flaky.pushFaults = [a.push ?? (undefined as never)];
      flaky.pullFaults = [a.pull ?? (undefined as never)];
      await app.services.sync.syncOnce(flaky).catch(() => undefined);
    }
  }
  // The network comes back: everyone syncs until quiet (twice: the last to push must also pull).
  for (let round = 0; round < 2; round++) for (const [i, app] of apps.entries()) await app.services.sync.syncOnce(server.transport(i));
  const { log, heads, conflicts } = await server.state();

  const states = apps.map(syncedState);
  for (const s of states.slice(1)) expect(s).toEqual(states[0]);
  for (const app of apps) expect(app.services.sync.status()).toMatchObject({ pending: 0, missingFiles: 0, filesToSend: 0, cursor: Math.max(0, ...log.map((o) => o.seq)) });
  // Every op a laptop made reached the service, or was refused there and is kept here with its reason: only
  // what a signature closes (an edit racing it), or a signature over content the service no longer holds.
  const logged = new Set(log.map((o) => o.opId));
  for (const app of apps) {
    const own = app.sqlite.prepare('SELECT op_id, rejected_reason FROM change_log WHERE device_id = ?').all(app.services.settings.deviceId()) as { op_id: string; rejected_reason: string | null }[];
    for (const op of own) {
      if (op.rejected_reason === null) expect(logged.has(op.op_id), `op ${op.op_id} reached the service`).toBe(true);
      else expect(['locked', 'signMismatch']).toContain(op.rejected_reason);
    }
  }
  // Every laptop equals the server: each field's current op is the server's head for it.
  const serverHeads = Object.fromEntries([...heads].map(([k, h]) => [k, h.opId]));
  for (const app of apps) {
    const local = app.sqlite
      .prepare('SELECT c.tbl, c.row_id, c.field, l.op_id FROM field_clocks c JOIN change_log l ON l.tbl = c.tbl AND l.row_id = c.row_id AND l.field = c.field AND l.hlc = c.hlc')
      .all() as { tbl: string; row_id: string; field: string; op_id: string }[];
    expect(Object.fromEntries(local.map((r) => [`${r.tbl}\u0000${r.row_id}\u0000${r.field}`, r.op_id]))).toEqual(serverHeads);
  }
  // What sync wrote agrees with the log on every laptop.
  for (const app of apps) expect(app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
  // No silent loss: every edit is the current value, or in a conflict, or its value was overwritten by
  // someone who had seen it (that op, or a concurrent op of the same value: equal edits do not conflict).
  const seenBy = new Set(log.map((o) => o.base).filter((b): b is string => b !== null));
  const fieldKey = (o: { tbl: string; rowId: string; field: string }) => `${o.tbl}\u0000${o.rowId}\u0000${o.field}`;
  const seenValues = new Set(log.filter((o) => seenBy.has(o.hlc)).map((o) => `${fieldKey(o)}\u0000${o.value}`));
  // A conflict keeps both values; an equal edit made concurrently is kept with them.
  const inConflict = new Set(conflicts.flatMap((c) => [c.kept, c.other].map((x) => `${fieldKey(c)}\u0000${x.value}`)));
  for (const op of log) {
    const head = heads.get(fieldKey(op));
    const kept = head?.value === op.value || inConflict.has(`${fieldKey(op)}\u0000${op.value}`) || seenValues.has(`${fieldKey(op)}\u0000${op.value}`);
    expect(kept, `op ${op.opId} ${op.tbl}.${op.field}=${op.value}`).toBe(true);
  }
  // A conflict is recorded exactly when an op had not seen the value it replaced or lost to, and the values differ.
  for (const c of conflicts) expect(c.kept.value).not.toBe(c.other.value);
  // A delete racing an edit: the record stays deleted (kept) against restoring it (other), one per record.
  const races = conflicts.filter((c) => c.field === 'deleted_at' && c.other.value === null);
  for (const c of races) expect(heads.get(`${c.tbl}\u0000${c.rowId}\u0000deleted_at`)?.value).toBe(c.kept.value);
  expect(new Set(races.map((c) => c.rowId)).size).toBe(races.length);
  for (const app of apps) expect(app.services.sync.conflicts().length).toBe(conflicts.length);
  for (const app of apps) app.close();
  return { log, heads, conflicts };
}

