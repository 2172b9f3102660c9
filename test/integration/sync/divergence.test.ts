/**
 * Divergence detection and repair (electron/services/sync-divergence.ts) against the in-memory server:
 * replicas that drifted apart behind sync's back — an entry lost from a laptop's log, a head altered on the
 * server, a server restored from an older state in a way pull does not notice — are found record by record
 * by the digest tree and made equal again, without losing any local edit.
 */
import { describe, expect, it } from 'vitest';
import { differingRecords, recordKey } from '#shared/sync/digest';
import { silentLogger } from '../../../electron/services/logger.ts';
import { DivergenceCheck } from '../../../electron/services/sync-divergence.ts';
import { SyncRunner } from '../../../electron/services/sync-runner.ts';
import { MemoryServer, type SyncTransport } from '../../../electron/services/sync-transport.ts';
import { companyData, openApp, snapshot, useCleanup, type TestApp } from '../fixtures.ts';
import { syncedState } from './helpers.ts';

useCleanup();

const checker = (app: TestApp) => new DivergenceCheck(app.sqlite, app.services.sync, app.services.settings.deviceId(), silentLogger());

/** The records whose digests differ between the laptop and the server (the tree's answer; nothing is changed). */
function detected(app: TestApp, server: MemoryServer): string[] {
  const c = checker(app);
  const skip = c.pendingRecords();
  const local = c.localTree(skip);
  const answer = server.digestSync({ buckets: local.buckets, skip });
  return answer.differing.flatMap((b) => differingRecords(local.recordsIn(b.bucket), b.records)).map((d) => recordKey(d.tbl, d.rowId)).sort();
}

/** The laptop's field heads from its log: field → greatest clock among entries the server did not refuse. */
function logHeads(app: TestApp): Map<string, string> {
  const rows = app.sqlite.prepare('SELECT tbl, row_id, field, max(hlc) AS hlc FROM change_log WHERE rejected_reason IS NULL GROUP BY tbl, row_id, field').all() as { tbl: string; row_id: string; field: string; hlc: string }[];
  return new Map(rows.map((r) => [`${r.tbl}\u0000${r.row_id}\u0000${r.field}`, r.hlc]));
}

/** An oracle independent of the tree: records on which the laptop's log and the server's heads disagree, field by field. */
function actuallyDiffering(app: TestApp, server: MemoryServer, skip: Set<string> = new Set()): string[] {
  const local = logHeads(app);
  const out = new Set<string>();
  for (const k of new Set([...local.keys(), ...server.heads.keys()])) {
    if (local.get(k) === server.heads.get(k)?.hlc) continue;
    const [tbl, rowId] = k.split('\u0000') as [string, string];
    if (!skip.has(recordKey(tbl, rowId))) out.add(recordKey(tbl, rowId));
  }
  return [...out].sort();
}

/** Every field's current op on the laptop (field clock → log entry) equals the server's head. */
function expectEqualToServer(app: TestApp, server: MemoryServer): void {
  const local = app.sqlite
    .prepare('SELECT c.tbl, c.row_id, c.field, l.op_id FROM field_clocks c JOIN change_log l ON l.tbl = c.tbl AND l.row_id = c.row_id AND l.field = c.field AND l.hlc = c.hlc')
    .all() as { tbl: string; row_id: string; field: string; op_id: string }[];
  expect(Object.fromEntries(local.map((r) => [`${r.tbl}\u0000${r.row_id}\u0000${r.field}`, r.op_id]))).toEqual(Object.fromEntries([...server.heads].map(([k, h]) => [k, h.opId])));
  expect(detected(app, server)).toEqual([]);
  expect(app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
}

/** Two laptops with a company, an assessment and a few answers, synced until equal. */
async function converged() {
  const server = new MemoryServer();
  const a = openApp();
  const b = openApp();
  const { id: companyId } = await a.ok('companies.create', companyData({ name: '발산정밀' }));
  const { id: assessmentId } = await a.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
  await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 3 });
  await a.services.sync.syncOnce(server.transport());
  await b.services.sync.syncOnce(server.transport());
  await b.ok('assessments.saveAnswer', { assessmentId, itemId: 'org_dedicated', value: 'yes' });
  await b.ok('actions.create', { companyId, title: '작업표준서 정비', owner: '', dueOn: null, severity: 'medium' });
  await b.services.sync.syncOnce(server.transport());
  await a.services.sync.syncOnce(server.transport());
  expect(syncedState(a)).toEqual(syncedState(b));
  expectEqualToServer(a, server);
  expectEqualToServer(b, server);
  return { server, a, b, companyId, assessmentId };
}

const answerRow = (app: TestApp, assessmentId: string, itemId: string) =>
  (app.sqlite.prepare('SELECT id FROM assessment_answers WHERE assessment_id = ? AND item_id = ?').get(assessmentId, itemId) as { id: string }).id;

describe('divergence between a laptop and the server', () => {
  it('replicas that converged: every bucket agrees and the check changes nothing', async () => {
    const { server, a } = await converged();
    const before = snapshot(a.sqlite);
    const summary = await checker(a).run(server.transport());
    expect(summary).toMatchObject({ bucketsCompared: 256, bucketsDiffering: 0, recordsDiffering: 0, recordsRepulled: 0, opsResent: 0, unresolvedCount: 0, notRun: null });
    expect(snapshot(a.sqlite)).toEqual(before);
  });

  it('entries lost from a laptop’s log behind the app’s back are found record by record and pulled again', async () => {
    const { server, a, b, assessmentId } = await converged();
    // The head entry of a field of an answer this laptop wrote, and of one a colleague wrote, vanish from the file.
    const mine = answerRow(a, assessmentId, 'ceo_vision');
    const theirs = answerRow(a, assessmentId, 'org_dedicated');
    const lost = [mine, theirs].map(
      (rowId) => a.sqlite.prepare("SELECT op_id FROM change_log WHERE tbl = 'assessment_answers' AND row_id = ? AND field = 'value' ORDER BY hlc DESC LIMIT 1").get(rowId) as { op_id: string },
    );
    for (const l of lost) a.sqlite.prepare('DELETE FROM change_log WHERE op_id = ?').run(l.op_id);
    const expected = [recordKey('assessment_answers', mine), recordKey('assessment_answers', theirs)].sort();
    expect(actuallyDiffering(a, server)).toEqual(expected);
    expect(detected(a, server)).toEqual(expected);
    expect(detected(b, server)).toEqual([]);

    const summary = await checker(a).run(server.transport());
    expect(summary).toMatchObject({ recordsDiffering: 2, recordsRepulled: 2, opsResent: 0, unresolvedCount: 0 });
    expect(summary.bucketsDiffering).toBeGreaterThanOrEqual(1);
    for (const l of lost) expect(a.sqlite.prepare('SELECT server_seq FROM change_log WHERE op_id = ?').get(l.op_id)).toMatchObject({ server_seq: expect.any(Number) as number });
    expectEqualToServer(a, server);
    expect(syncedState(a)).toEqual(syncedState(b));
    const view = await a.ok('assessments.get', { id: assessmentId });
    expect([view.answers.ceo_vision?.value, view.answers.org_dedicated?.value]).toEqual([3, 'yes']);
  });

  it('a server head altered or lost is found by every laptop and rebuilt from the server’s log', async () => {
    const { server, a, b, assessmentId } = await converged();
    const rowId = answerRow(a, assessmentId, 'ceo_vision');
    const key = `assessment_answers\u0000${rowId}\u0000value`;
    const head = server.heads.get(key);
    expect(head).toBeDefined();
    // Someone edits the server's state: an older clock and another value; another record's head is gone.
    server.heads.set(key, { ...head!, hlc: '2020-01-01T00:00:00.000Z-0000-elsewhere', value: '5' });
    const actionId = (b.sqlite.prepare('SELECT id FROM action_items').get() as { id: string }).id;
    server.heads.delete(`action_items\u0000${actionId}\u0000title`);
    const expected = [recordKey('assessment_answers', rowId), recordKey('action_items', actionId)].sort();
    for (const app of [a, b]) expect(detected(app, server)).toEqual(expected);

    const summary = await checker(b).run(server.transport());
    // The server puts the heads back from its log; the laptop has everything already.
    expect(summary).toMatchObject({ recordsDiffering: 2, recordsRepulled: 0, opsResent: 0, unresolvedCount: 0 });
    expect(server.heads.get(key)).toEqual(head);
    for (const app of [a, b]) expectEqualToServer(app, server);
    expect((await a.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value).toBe(3);
  });

  it('a server restored from an older state that pull cannot notice: lost edits go again, missed ones come, local edits stay', async () => {
    const { server, a, b, companyId, assessmentId } = await converged();
    const backup = server.log.length;
    // A day's work of laptop A reaches the server ...
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 5 });
    const { id: actionId } = await a.ok('actions.create', { companyId, title: '설비 예지보전', owner: '', dueOn: null, severity: 'high' });
    await a.services.sync.syncOnce(server.transport());
    const aCursor = a.services.sync.status().cursor;
    const lostOps = server.log.slice(backup).map((o) => o.opId);
    expect(lostOps.length).toBeGreaterThan(0);
    // ... the server is restored from last night's backup, and B's work since then covers the gap:
    // the server's log is again longer than A's cursor, so pull alone sees nothing wrong.
    server.restoreTo(backup);
    await b.ok('assessments.saveAnswer', { assessmentId, itemId: 'org_staff', value: 4 });
    await b.ok('actions.create', { companyId, title: 'MES 교육', owner: '', dueOn: null, severity: 'low' });
    await b.ok('companies.update', { id: companyId, ...companyData({ name: '발산정밀산업', employees: 40 }) });
    await b.services.sync.syncOnce(server.transport());
    expect(server.log.length).toBeGreaterThan(aCursor);
    // A edits offline meanwhile (pending: left out of the check, and kept).
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'org_dedicated', value: 'no' });
    const pendingAnswer = recordKey('assessment_answers', answerRow(a, assessmentId, 'org_dedicated'));
    await a.services.sync.pull(server.transport());
    expect(a.services.sync.status().cursor).toBe(server.log.length);
    const skip = new Set(checker(a).pendingRecords().map((r) => recordKey(r.tbl, r.rowId)));
    expect(skip).toEqual(new Set([pendingAnswer]));
    const expected = actuallyDiffering(a, server, skip);
    // A's lost records and those of B's ops that A skipped over.
    expect(expected).toEqual(expect.arrayContaining([recordKey('action_items', actionId), recordKey('assessment_answers', answerRow(a, assessmentId, 'ceo_vision'))]));
    expect(detected(a, server)).toEqual(expected);

    const pendingBefore = a.services.sync.status().pending;
    const summary = await checker(a).run(server.transport());
    expect(summary.recordsDiffering).toBe(expected.length);
    expect(summary.opsResent).toBe(lostOps.length);
    expect(summary.recordsRepulled).toBeGreaterThan(0);
    expect(summary).toMatchObject({ skipped: 1, unresolvedCount: 0 });
    expect(a.services.sync.status().pending).toBe(pendingBefore + lostOps.length);
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    expect(server.log.filter((o) => lostOps.includes(o.opId))).toHaveLength(lostOps.length);
    for (const app of [a, b]) expectEqualToServer(app, server);
    expect(syncedState(a)).toEqual(syncedState(b));
    for (const app of [a, b]) {
      const view = await app.ok('assessments.get', { id: assessmentId });
      expect([view.answers.ceo_vision?.value, view.answers.org_dedicated?.value, view.answers.org_staff?.value]).toEqual([5, 'no', 4]);
      expect((await app.ok('actions.list', { companyId })).rows.map((r) => r.title).sort()).toEqual(['MES 교육', '설비 예지보전', '작업표준서 정비'].sort());
      expect((await app.ok('companies.get', { id: companyId })).name).toBe('발산정밀산업');
    }
  });

  it('a record the server lost entirely goes again from the laptop that made it; another device’s op is only reported', async () => {
    const { server, a, b, companyId } = await converged();
    const { id: actionId } = await a.ok('actions.create', { companyId, title: '라인 밸런싱', owner: '', dueOn: null, severity: 'medium' });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    // The server forgets the record altogether (its log and heads).
    const gone = (o: { tbl: string; rowId: string }) => o.tbl === 'action_items' && o.rowId === actionId;
    const kept = server.log.filter((o) => !gone(o));
    server.restoreTo(0);
    server.pushSync(kept.map(({ seq: _seq, ...op }) => op));
    expect(detected(a, server)).toEqual([recordKey('action_items', actionId)]);

    // B holds it only from A: nothing of B's own to send; it is reported and B's copy stays.
    const onB = await checker(b).run(server.transport());
    expect(onB).toMatchObject({ recordsDiffering: 1, opsResent: 0, unresolvedCount: 1, unresolved: [{ tbl: 'action_items', rowId: actionId }] });
    expect((await b.ok('actions.list', { companyId })).rows.map((r) => r.id)).toContain(actionId);

    const onA = await checker(a).run(server.transport());
    expect(onA.opsResent).toBeGreaterThan(0);
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    for (const app of [a, b]) expectEqualToServer(app, server);
    expect(syncedState(a)).toEqual(syncedState(b));
  });

  it('the sync runner checks after a successful round at most every twelve hours, or when asked, and sends what the server lost', async () => {
    const { server, a, assessmentId } = await converged();
    let t = Date.parse('2027-03-02T09:00:00Z');
    let digests = 0;
    const inner = server.transport();
    const counting: SyncTransport = { ...inner, digest: (req) => (digests++, (inner.digest as NonNullable<SyncTransport['digest']>)(req)) };
    const runner = new SyncRunner(a.services.sync, a.services.settings, null, silentLogger(), { transport: counting, divergence: checker(a), now: () => t });
    await runner.runOnce();
    expect(digests).toBe(1);
    t += 60 * 60_000;
    await runner.runOnce();
    expect(digests).toBe(1);
    t += 12 * 60 * 60_000;
    await runner.runOnce();
    expect(digests).toBe(2);

    // The server loses A's last answer in a way pull does not see; asked, the runner finds it and sends it again.
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 1 });
    await runner.runOnce();
    const lost = server.log.at(-1)!;
    const rest = server.log.slice(0, -1);
    server.restoreTo(0);
    server.pushSync(rest.map(({ seq: _seq, ...op }) => op));
    server.pushSync([{ opId: '019a0000-0000-7000-8000-000000000001', tbl: 'mentors', rowId: 'm-filler', field: 'name', value: '"채움"', hlc: lost.hlc.replace(/-[^-]+$/, '-filler'), deviceId: 'filler', userId: 'u', base: null }]);
    const summary = await runner.checkDivergence();
    expect(digests).toBe(3);
    expect(summary).toMatchObject({ opsResent: 1 });
    expect(server.log.map((o) => o.opId)).toContain(lost.opId);
    expect(a.services.sync.status().pending).toBe(0);
    expect(server.heads.get(`${lost.tbl}\u0000${lost.rowId}\u0000${lost.field}`)?.opId).toBe(lost.opId);
  });
});
