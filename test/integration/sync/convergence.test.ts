/**
 * Model-based test of the sync client (issue 6): 2–5 laptops (real services on real SQLite files) edit
 * one company's assessment offline, add and archive action items, and sync over a network that loses
 * requests and answers; at the end every laptop equals every other, and no edit is silently lost.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryServer } from '../../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../fixtures.ts';
import { FlakyTransport, syncedState } from './helpers.ts';

useCleanup();

const ITEMS = ['ceo_vision', 'ceo_involvement', 'org_staff'] as const;
const fault = fc.constantFrom<'before' | 'after' | undefined>(undefined, undefined, 'before', 'after');
const action = fc.oneof(
  fc.record({ kind: fc.constant('answer' as const), replica: fc.nat(4), item: fc.constantFrom(...ITEMS), value: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('action' as const), replica: fc.nat(4), title: fc.constantFrom('작업표준서', 'MES 교육', '설비 점검') }),
  fc.record({ kind: fc.constant('archive' as const), replica: fc.nat(4) }),
  fc.record({ kind: fc.constant('sync' as const), replica: fc.nat(4), push: fault, pull: fault }),
);

type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

async function run(replicaCount: number, actions: Action[]) {
  const server = new MemoryServer();
  const apps: TestApp[] = Array.from({ length: replicaCount }, () => openApp());
  const first = apps[0] as TestApp;
  const { id: companyId } = await first.ok('companies.create', companyData({ name: '수렴정밀' }));
  const { id: assessmentId } = await first.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
  for (const app of apps) await app.services.sync.syncOnce(server.transport());
  for (const a of actions) {
    const app = apps[a.replica % replicaCount] as TestApp;
    if (a.kind === 'answer') await app.ok('assessments.saveAnswer', { assessmentId, itemId: a.item, value: a.value });
    else if (a.kind === 'action') await app.ok('actions.create', { companyId, title: a.title, owner: '', dueOn: null, severity: 'medium' });
    else if (a.kind === 'archive') {
      const open = (await app.ok('actions.list', { companyId })).rows.filter((r) => r.status === 'open');
      if (open[0]) await app.ok('actions.update', { id: open[0].id, title: open[0].title, owner: open[0].owner, dueOn: open[0].dueOn, severity: open[0].severity, status: 'done' });
    } else {
      const flaky = new FlakyTransport(server.transport());
      flaky.pushFaults = [a.push ?? (undefined as never)];
      flaky.pullFaults = [a.pull ?? (undefined as never)];
      await app.services.sync.syncOnce(flaky).catch(() => undefined);
    }
  }
  // The network comes back: everyone syncs until quiet (twice: the last to push must also pull).
  for (let round = 0; round < 2; round++) for (const app of apps) await app.services.sync.syncOnce(server.transport());

  const states = apps.map(syncedState);
  for (const s of states.slice(1)) expect(s).toEqual(states[0]);
  for (const app of apps) expect(app.services.sync.status()).toMatchObject({ pending: 0, rejected: 0, cursor: server.log.length });
  // What sync wrote agrees with the log on every laptop.
  for (const app of apps) expect(app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
  // No silent loss: every edit is the current value, or in a conflict, or its value was overwritten by
  // someone who had seen it (that op, or a concurrent op of the same value: equal edits do not conflict).
  const seenBy = new Set(server.log.map((o) => o.base).filter((b): b is string => b !== null));
  const fieldKey = (o: { tbl: string; rowId: string; field: string }) => `${o.tbl}\u0000${o.rowId}\u0000${o.field}`;
  const seenValues = new Set(server.log.filter((o) => seenBy.has(o.hlc)).map((o) => `${fieldKey(o)}\u0000${o.value}`));
  // A conflict keeps both values; an equal edit made concurrently is kept with them.
  const inConflict = new Set(server.conflicts.flatMap((c) => [c.kept, c.other].map((x) => `${fieldKey(c)}\u0000${x.value}`)));
  for (const op of server.log) {
    const head = server.heads.get(fieldKey(op));
    const kept = head?.value === op.value || inConflict.has(`${fieldKey(op)}\u0000${op.value}`) || seenValues.has(`${fieldKey(op)}\u0000${op.value}`);
    expect(kept, `op ${op.opId} ${op.tbl}.${op.field}=${op.value}`).toBe(true);
  }
  // A conflict is recorded exactly when an op had not seen the value it replaced or lost to, and the values differ.
  for (const c of server.conflicts) expect(c.kept.value).not.toBe(c.other.value);
  for (const app of apps) expect(app.services.sync.conflicts().length).toBe(server.conflicts.length);
  for (const app of apps) app.close();
}

describe('replicas converge and nothing is lost', () => {
  it('random edits, additions, archives and syncs over a lossy network (fast-check)', async () => {
    const seed = Number(process.env.DX_SYNC_SEED ?? Date.now() % 2_147_483_647);
    // The seed goes to the test output: a failing run is reproduced with DX_SYNC_SEED=<seed>.
    process.stdout.write(`sync convergence seed: ${seed}\n`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.array(action, { minLength: 5, maxLength: 30 }), (n, actions) => run(n, actions)),
      { seed, numRuns: 25 },
    );
  }, 180_000);

  it('regression (seed 932980249): the same value entered on two laptops, then changed on one, is not a lost edit', async () => {
    await run(2, [
      { kind: 'answer', replica: 0, item: 'ceo_vision', value: 4 },
      { kind: 'answer', replica: 1, item: 'ceo_vision', value: 4 },
      { kind: 'answer', replica: 1, item: 'ceo_vision', value: 1 },
      { kind: 'archive', replica: 0 },
      { kind: 'sync', replica: 0, push: undefined, pull: undefined },
    ]);
  });

  it('regression (seed 933592748): an equal edit on a third laptop is kept by the conflict that holds its value', async () => {
    await run(3, [
      { kind: 'answer', replica: 1, item: 'ceo_involvement', value: 5 },
      { kind: 'answer', replica: 0, item: 'ceo_involvement', value: 5 },
      { kind: 'sync', replica: 0, push: undefined, pull: undefined },
      { kind: 'answer', replica: 2, item: 'ceo_involvement', value: 1 },
    ]);
  });

  it('regression: two laptops edit the same answer, one loses its push answer, both sync twice', async () => {
    await run(2, [
      { kind: 'answer', replica: 0, item: 'ceo_vision', value: 2 },
      { kind: 'answer', replica: 1, item: 'ceo_vision', value: 4 },
      { kind: 'sync', replica: 0, push: 'after', pull: undefined },
      { kind: 'sync', replica: 1, push: undefined, pull: 'before' },
      { kind: 'answer', replica: 0, item: 'ceo_vision', value: 5 },
    ]);
  });
});
