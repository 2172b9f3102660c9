/**
 * Scope checks on the laptop (electron/services/sync-scope.ts) against the in-memory server, whose allow-list
 * stands in for the service's answer: a company that leaves a laptop's scope leaves the laptop — its rows,
 * change-log entries, clocks, conflicts, search document and the files nothing else uses — while every other
 * record stays exactly as it was; unsent changes, refused changes, organisations the service never confirmed
 * and organisations a staying record refers to are kept; a failed or missing scope answer changes nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpInput } from '#shared/contract/index';
import { hlcToString } from '#shared/sync/hlc';
import type { ServerOp } from '#shared/sync/protocol';
import { ATTACHMENT_REFERENCES } from '#shared/sync/scope';
import { uuidv7 } from 'uuidv7';
import { attachments } from '#db/schema';
import { silentLogger } from '../../../electron/services/logger.ts';
import { SCOPE_INTERVAL_MS, SyncRunner } from '../../../electron/services/sync-runner.ts';
import { MemoryServer, TransportError, type SyncTransport } from '../../../electron/services/sync-transport.ts';
import { companyData, mentorData, openApp, supplierData, useCleanup, type TestApp } from '../fixtures.ts';
import { syncedState } from './helpers.ts';

useCleanup();

/** A PNG-signed file with random content (the store sniffs the type, not the pixels). */
function photo(size = 20_000): Buffer {
  const b = crypto.randomBytes(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
}
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const fileOf = (app: TestApp, bytes: Buffer) => path.join(app.dir, 'attachments', sha(bytes));

/** A company with the work a mentor records: a visit with a photo, an assessment with an answer and an evidence photo, a follow-up action. */
async function companyWithWork(app: TestApp, name: string, visitPhoto: Buffer, evidence: Buffer) {
  const input = companyData({ name, financials: [{ fiscalYear: 2025, revenue: 1_200_000_000, operatingProfit: 30_000_000 }], contacts: [{ name: '박담당', role: '과장', phone: '', email: '' }] });
  const { id: companyId } = await app.ok('companies.create', input);
  const { id: visitId } = await app.ok('visits.create', { companyId, visitedOn: '2026-11-20', place: '공장', purpose: 'assessment', attendees: [{ name: '김대표', role: '대표' }], notes: '' });
  await app.ok('visits.addPhoto', { visitId, fileName: 'line.png', data: visitPhoto.toString('base64') });
  const { id: assessmentId } = await app.ok('assessments.create', { companyId, visitId, instrumentId: 'company-dx' });
  await app.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
  await app.ok('evidence.add', { assessmentId, itemId: 'digital_level', fileName: 'mes.png', data: evidence.toString('base64') });
  const { id: actionId } = await app.ok('actions.create', { companyId, title: '바코드 도입 검토', owner: '', dueOn: null, severity: 'low' });
  return { companyId, visitId, assessmentId, actionId, input };
}

/**
 * The company's records on a laptop, found independently of the module under test: the organisation, every
 * row of a table with an org_id naming it, and the children of its visits and assessments by their parent
 * columns.
 */
function recordsOf(app: TestApp, orgId: string): string[] {
  const ids = (sql: string, ...p: unknown[]) => (app.sqlite.prepare(sql).all(...p) as { id: string }[]).map((r) => r.id);
  const out = ids('SELECT id FROM organizations WHERE id = ?', orgId).map((id) => `organizations/${id}`);
  for (const tbl of app.services.mutations.tableNames()) {
    const cols = (app.sqlite.prepare(`PRAGMA table_info("${tbl}")`).all() as { name: string }[]).map((c) => c.name);
    if (cols.includes('org_id')) for (const id of ids(`SELECT id FROM "${tbl}" WHERE org_id = ?`, orgId)) out.push(`${tbl}/${id}`);
  }
  const children: [string, string, string][] = [
    ['visit_attendees', 'visit_id', 'visits'],
    ['visit_photos', 'visit_id', 'visits'],
    ['assessment_answers', 'assessment_id', 'assessments'],
    ['assessment_kpis', 'assessment_id', 'assessments'],
    ['assessment_signatures', 'assessment_id', 'assessments'],
    ['answer_evidence', 'assessment_id', 'assessments'],
  ];
  for (const [tbl, col, parent] of children) for (const id of ids(`SELECT id FROM "${tbl}" WHERE "${col}" IN (SELECT id FROM "${parent}" WHERE org_id = ?)`, orgId)) out.push(`${tbl}/${id}`);
  return out.sort();
}

/** The synced state without the given records (`tbl/id`). */
function stateWithout(app: TestApp, records: readonly string[]): ReturnType<typeof syncedState> {
  const drop = new Set(records);
  const state = syncedState(app);
  for (const [tbl, rows] of Object.entries(state)) {
    state[tbl] = rows.filter((r) => !drop.has(`${tbl}/${String(r.id)}`));
    if (state[tbl].length === 0) delete state[tbl];
  }
  return state;
}

const countWhereRecord = (app: TestApp, table: 'change_log' | 'field_clocks' | 'sync_conflicts', records: readonly string[]) =>
  records.reduce((n, r) => {
    const [tbl, id] = r.split('/') as [string, string];
    return n + (app.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE tbl = ? AND row_id = ?`).get(tbl, id) as { n: number }).n;
  }, 0);

const runnerFor = (app: TestApp, transport: SyncTransport, now?: () => number) =>
  new SyncRunner(app.services.sync, app.services.settings, null, silentLogger(), { transport, scope: app.services.syncScope, ...(now ? { now } : {}) });

/** Laptop A records two companies; laptop B (the mentor whose pair loses one) syncs them with their photos. */
async function twoCompanies() {
  const server = new MemoryServer();
  const a = openApp();
  const b = openApp();
  const shared = photo();
  const evidenceX = photo();
  const x = await companyWithWork(a, '한빛정밀', shared, evidenceX);
  // Company Y's visit photo is the same file as X's: it must stay when X goes.
  const y = await companyWithWork(a, '대성금속', shared, photo());
  await a.services.sync.syncOnce(server.transport());
  await b.services.sync.syncOnce(server.transport());
  return { server, a, b, x, y, shared, evidenceX };
}

describe('a company that leaves a laptop’s scope leaves the laptop', () => {
  it('removes its records, log entries, clocks, conflicts, search document and unused files; every other record stays as it was', async () => {
    const { server, a, b, x, y, shared, evidenceX } = await twoCompanies();
    // A conflict on X (both laptops renamed it offline): it must go with X.
    await a.ok('companies.update', { ...x.input, id: x.companyId, notes: 'A의 메모' });
    await b.ok('companies.update', { ...x.input, id: x.companyId, notes: 'B의 메모' });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    expect(b.services.sync.conflicts().filter((c) => c.rowId === x.companyId)).toHaveLength(1);
    expect(fs.existsSync(fileOf(b, evidenceX))).toBe(true);

    const xRecords = recordsOf(b, x.companyId);
    // What the brief names is all there before: the assessment with its answer and evidence, the visit with its photo, the action.
    for (const tbl of ['organizations', 'financials', 'contacts', 'visits', 'visit_attendees', 'visit_photos', 'assessments', 'assessment_answers', 'answer_evidence', 'action_items']) {
      expect(xRecords.some((r) => r.startsWith(`${tbl}/`)), tbl).toBe(true);
    }
    // X's evidence photo is shown by no other record: its description goes too; the visit photo Y shows stays.
    const evidenceDescription = `attachments/${(b.sqlite.prepare('SELECT id FROM attachments WHERE sha256 = ?').get(sha(evidenceX)) as { id: string }).id}`;
    const sharedDescription = b.sqlite.prepare('SELECT id FROM attachments WHERE sha256 = ?').get(sha(shared));
    const expected = stateWithout(b, [...xRecords, evidenceDescription]);
    const yRecords = recordsOf(b, y.companyId);
    const yLog = countWhereRecord(b, 'change_log', yRecords);

    server.scopeOrgIds = [y.companyId];
    const told: string[][] = [];
    b.services.syncScope.onRemoved((tables) => told.push([...tables].sort()));
    await runnerFor(b, server.transport()).runOnce();

    expect(recordsOf(b, x.companyId)).toEqual([]);
    // The app is told which tables changed (the open pages refresh).
    expect(told).toEqual([[...new Set(xRecords.map((r) => r.split('/')[0] as string))].sort(), ['attachments']]);
    expect(countWhereRecord(b, 'change_log', [...xRecords, evidenceDescription])).toBe(0);
    expect(countWhereRecord(b, 'field_clocks', [...xRecords, evidenceDescription])).toBe(0);
    expect(b.sqlite.prepare('SELECT id FROM attachments WHERE sha256 = ?').get(sha(shared))).toEqual(sharedDescription);
    expect(countWhereRecord(b, 'sync_conflicts', xRecords)).toBe(0);
    expect(stateWithout(b, [])).toEqual(expected);
    expect(countWhereRecord(b, 'change_log', yRecords)).toBe(yLog);
    expect(b.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
    expect(b.sqlite.prepare('SELECT count(*) AS n FROM search_docs WHERE entity_id = ?').get(x.companyId)).toEqual({ n: 0 });
    expect((await b.ok('companies.list', { query: '한빛' })).rows).toEqual([]);
    expect((await b.ok('companies.list', { query: '대성' })).rows.map((r) => r.id)).toEqual([y.companyId]);
    // X's evidence photo went; the visit photo Y uses too stayed.
    expect(fs.existsSync(fileOf(b, evidenceX))).toBe(false);
    expect(fs.existsSync(fileOf(b, shared))).toBe(true);

    // The next round neither brings the file back nor reports it missing; nothing more is removed.
    await runnerFor(b, server.transport()).runOnce();
    expect(fs.existsSync(fileOf(b, evidenceX))).toBe(false);
    expect(b.services.sync.status()).toMatchObject({ missingFiles: 0, pending: 0 });
    expect(stateWithout(b, [])).toEqual(expected);
    // Laptop A, whose scope still holds both, keeps both.
    server.scopeOrgIds = [x.companyId, y.companyId];
    await runnerFor(a, server.transport()).runOnce();
    expect(recordsOf(a, x.companyId).length).toBe(xRecords.length);
  });

  it('with an unsent change it stays, whole, until the change is sent; refused changes stay in the log', async () => {
    const { server, b, x, y } = await twoCompanies();
    // An earlier change the service refused (made here, kept with its reason), shown with its company and item.
    await b.ok('assessments.saveAnswer', { assessmentId: x.assessmentId, itemId: 'ceo_vision', value: 2 });
    server.refuse = (op) => (op.tbl === 'assessment_answers' ? { reason: 'forbidden', messageKey: 'errors.sync.forbidden' } : null);
    expect(await b.services.sync.syncOnce(server.transport())).toMatchObject({ rejected: 1 });
    server.refuse = null;
    const refused = b.sqlite.prepare("SELECT op_id FROM change_log WHERE rejected_reason = 'forbidden'").get() as { op_id: string };
    expect((await b.ok('sync.rejected', {})).rows).toEqual([
      expect.objectContaining({ opId: refused.op_id, companyName: '한빛정밀', link: `/assessments/${x.assessmentId}`, itemId: 'ceo_vision', messageKey: 'errors.sync.forbidden' }),
    ]);
    await b.ok('actions.update', { id: x.actionId, title: '바코드 도입 확정', owner: '', dueOn: null, severity: 'low', status: 'open' });
    const before = recordsOf(b, x.companyId);
    server.scopeOrgIds = [y.companyId];

    const kept = await b.services.syncScope.run(server.transport());
    expect(kept).toMatchObject({ removed: [], kept: [{ orgId: x.companyId, reason: 'pending' }] });
    expect(recordsOf(b, x.companyId)).toEqual(before);

    // The round sends the change first; then the company goes, the refused entry stays and is still shown.
    await runnerFor(b, server.transport()).runOnce();
    expect(server.log.some((o) => o.tbl === 'action_items' && o.rowId === x.actionId && o.value === '"바코드 도입 확정"')).toBe(true);
    expect(recordsOf(b, x.companyId)).toEqual([]);
    expect(b.services.sync.rejected().map((r) => r.opId)).toEqual([refused.op_id]);
    // The company is no longer here: the refused change still names it (as it was when refused), without a link.
    expect((await b.ok('sync.rejected', {})).rows).toEqual([expect.objectContaining({ opId: refused.op_id, companyName: '한빛정밀', link: null })]);
    expect(b.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE rejected_reason IS NULL AND row_id IN (SELECT row_id FROM change_log WHERE op_id = ?)').get(refused.op_id)).toEqual({ n: 0 });
    expect(b.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
  });

  it('nothing changes when the scope is unrestricted, cannot be asked or is not offered; an organisation never held is not “removed”', async () => {
    const { server, b, x, y } = await twoCompanies();
    const before = syncedState(b);

    server.scopeOrgIds = null;
    expect(await b.services.syncScope.run(server.transport())).toMatchObject({ unrestricted: true, removed: [], kept: [] });

    const failing: SyncTransport = { ...server.transport(), scope: () => Promise.reject(new TransportError('network down', true)) };
    server.scopeOrgIds = [y.companyId];
    await expect(b.services.syncScope.run(failing)).rejects.toThrow('network down');
    // In a round the failure is logged and the round still succeeds.
    await expect(runnerFor(b, failing).runOnce()).resolves.toMatchObject({ pushed: 0 });
    const old: SyncTransport = { ...server.transport(), scope: () => Promise.reject(new TransportError('HTTP 404', false, 404)) };
    expect(await b.services.syncScope.run(old)).toMatchObject({ notRun: 'unsupported', removed: [] });
    const older = server.transport();
    delete older.scope;
    expect(await b.services.syncScope.run(older)).toMatchObject({ notRun: 'unsupported', removed: [] });
    expect(syncedState(b)).toEqual(before);

    // A scope naming organisations this laptop never had removes nothing and reports nothing.
    server.scopeOrgIds = [x.companyId, y.companyId, '019a0000-0000-7000-8000-0000000000ff'];
    const summary = await b.services.syncScope.run(server.transport());
    expect(summary).toMatchObject({ removed: [], kept: [] });
    expect(syncedState(b)).toEqual(before);
  });

  it('keeps an organisation the service never confirmed, and one a staying record refers to', async () => {
    const server = new MemoryServer();
    const b = openApp();
    // The supplier first: its id sorts first, so the check meets it before the company that refers to it.
    const { id: supplierId } = await b.ok('suppliers.create', supplierData({ name: '스마트솔루션' }));
    const { id: companyId } = await b.ok('companies.create', companyData({ name: '대한정밀' }));
    const project: OpInput<'projects.create'> = {
      companyId,
      programme: 'intelligent_basic',
      title: '기초 MES 구축',
      startsOn: '2025-03-01',
      endsOn: '2025-12-31',
      contractOn: null,
      finalInspectionOn: null,
      budgetGov: 50_000_000,
      budgetCompany: 50_000_000,
      budgetLarge: 0,
      swLabourKrw: null,
      scopeUnits: null,
      gradesBilled: {},
      gradesDeclared: {},
      supplierIds: [supplierId],
      notes: '',
    };
    await b.ok('projects.create', project);
    await b.services.sync.syncOnce(server.transport());
    // A company made here whose creation the service refused: it exists only on this laptop.
    const { id: local } = await b.ok('companies.create', companyData({ name: '거절정밀' }));
    b.sqlite.prepare("UPDATE change_log SET rejected_reason = 'forbidden', rejected_key = 'errors.sync.forbidden' WHERE server_seq IS NULL").run();

    // The supplier leaves the scope, but the company's project (which stays) names it.
    server.scopeOrgIds = [companyId];
    const summary = await b.services.syncScope.run(server.transport());
    expect(summary.removed).toEqual([]);
    expect(summary.kept.sort((p, q) => p.orgId.localeCompare(q.orgId))).toEqual(
      [
        { orgId: supplierId, reason: 'referenced' },
        { orgId: local, reason: 'unconfirmed' },
      ].sort((p, q) => p.orgId.localeCompare(q.orgId)),
    );
    expect(recordsOf(b, supplierId).length).toBeGreaterThan(0);
    // Both leave: the company takes its project (and the reference) with it, then the supplier can go, in one check.
    server.scopeOrgIds = [];
    const second = await b.services.syncScope.run(server.transport());
    expect(second.removed.map((o) => o.orgId).sort()).toEqual([companyId, supplierId].sort());
    expect(second.kept).toEqual([{ orgId: local, reason: 'unconfirmed' }]);
    expect(b.sqlite.prepare('SELECT count(*) AS n FROM projects').get()).toEqual({ n: 0 });
    expect(b.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
  });

  it('the runner asks after the first round, then at most every ten minutes — and again with the next round while an unsent change keeps a company', async () => {
    const { server, b, x, y } = await twoCompanies();
    let t = Date.parse('2027-03-02T09:00:00Z');
    let asked = 0;
    let refuseBatch = false;
    const inner = server.transport();
    const counting: SyncTransport = {
      ...inner,
      scope: () => (asked++, (inner.scope as NonNullable<SyncTransport['scope']>)()),
      // The service does not take the batch (and says nothing of its ops): the laptop's change stays unsent.
      push: (ops) => {
        if (!refuseBatch) return inner.push(ops);
        refuseBatch = false;
        return Promise.resolve({ results: [] });
      },
    };
    const runner = runnerFor(b, counting, () => t);
    await runner.runOnce();
    expect(asked).toBe(1);
    expect(runner.scopeRemoval()).toBeNull();

    // Y is taken away while B's change of it is not taken: kept, and asked again with the very next round.
    await b.ok('actions.update', { id: y.actionId, title: '바코드 도입 확정', owner: '', dueOn: null, severity: 'low', status: 'open' });
    server.scopeOrgIds = [x.companyId];
    refuseBatch = true;
    t += SCOPE_INTERVAL_MS;
    await runner.runOnce();
    expect(asked).toBe(2);
    expect(b.services.sync.status().pending).toBe(1);
    expect(recordsOf(b, y.companyId).length).toBeGreaterThan(0);
    t += 60_000;
    await runner.runOnce();
    expect(asked).toBe(3);
    expect(recordsOf(b, y.companyId)).toEqual([]);
    expect(runner.scopeRemoval()).toEqual({ companies: 1, suppliers: 0, at: new Date(t).toISOString() });

    // X too: the next round within ten minutes does not ask; the one after does.
    server.scopeOrgIds = [];
    t += 60_000;
    await runner.runOnce();
    expect(asked).toBe(3);
    expect(recordsOf(b, x.companyId).length).toBeGreaterThan(0);
    t += SCOPE_INTERVAL_MS;
    await runner.runOnce();
    expect(asked).toBe(4);
    expect(recordsOf(b, x.companyId)).toEqual([]);
  });

  it('forgets descriptions of files no record here shows (as the service would not send them), unless a waiting record or an unsent change needs them', async () => {
    const b = openApp();
    const file = photo();
    const op = (tbl: string, rowId: string, field: string, value: unknown, seq: number): ServerOp => ({
      opId: uuidv7(),
      tbl,
      rowId,
      field,
      value: JSON.stringify(value),
      hlc: hlcToString({ millis: Date.parse('2027-03-01T00:00:00Z'), counter: seq, node: 'other-laptop' }),
      deviceId: 'other-laptop',
      userId: 'u',
      base: null,
      seq,
    });
    const description = (id: string, first: number) =>
      Object.entries({ sha256: sha(file), mime: 'image/png', size: file.length, file_name: 'board.png' }).map(([f, v], i) => op('attachments', id, f, v, first + i));
    // One description that arrived alone (before the service scoped them, every laptop got them all), one a
    // photo waits for (its visit has not arrived), one made here and not sent yet.
    const [alone, awaited] = [uuidv7(), uuidv7()];
    // (Another waiting photo's op clears its file: a NULL among the waiting references must not stop the clean-up.)
    b.services.sync.applyPage(
      [...description(alone, 1), ...description(awaited, 10), op('visit_photos', uuidv7(), 'visit_id', uuidv7(), 20), op('visit_photos', uuidv7(), 'attachment_id', awaited, 21), op('visit_photos', uuidv7(), 'attachment_id', null, 22)],
      [],
      22,
    );
    const mine = b.services.mutations.transaction((tx) => tx.insert(attachments, { sha256: sha(file), mime: 'image/png', size: file.length, fileName: 'mine.png', phash: null }));
    fs.mkdirSync(path.dirname(fileOf(b, file)), { recursive: true });
    fs.writeFileSync(fileOf(b, file), file);
    const described = () => (b.sqlite.prepare('SELECT id FROM attachments ORDER BY id').all() as { id: string }[]).map((r) => r.id);
    expect(described()).toEqual([alone, awaited, mine].sort());

    expect(b.services.syncScope.removeUnshownFiles()).toBe(1);
    expect(described()).toEqual([awaited, mine].sort());
    expect(b.sqlite.prepare("SELECT count(*) AS n FROM change_log WHERE tbl = 'attachments' AND row_id = ?").get(alone)).toEqual({ n: 0 });
    expect(b.sqlite.prepare("SELECT count(*) AS n FROM field_clocks WHERE tbl = 'attachments' AND row_id = ?").get(alone)).toEqual({ n: 0 });
    // The bytes stay while another description names them.
    expect(fs.existsSync(fileOf(b, file))).toBe(true);
    expect(b.services.syncScope.removeUnshownFiles()).toBe(0);
    // A photo of the same file taken here gets a description of its own: one no record here shows may be
    // another pair's, and the service would refuse a record showing it.
    const { id: companyId } = await b.ok('companies.create', companyData({ name: '새사진정밀' }));
    const { id: visitId } = await b.ok('visits.create', { companyId, visitedOn: '2027-03-05', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
    await b.ok('visits.addPhoto', { visitId, fileName: 'again.png', data: file.toString('base64') });
    const shown = (b.sqlite.prepare('SELECT attachment_id AS id FROM visit_photos WHERE visit_id = ?').get(visitId) as { id: string }).id;
    expect([awaited, mine]).not.toContain(shown);
    // A second photo of it reuses the description the first one shows.
    await b.ok('visits.addPhoto', { visitId, fileName: 'again-2.png', data: file.toString('base64') });
    expect(new Set((b.sqlite.prepare('SELECT attachment_id AS id FROM visit_photos WHERE visit_id = ?').all(visitId) as { id: string }[]).map((r) => r.id))).toEqual(new Set([shown]));
  });

  it('the attachment references the scope check and the downloads use are every foreign key to attachments', () => {
    const app = openApp();
    const declared = app.services.mutations
      .tableNames()
      .flatMap((tbl) => (app.sqlite.prepare('SELECT "table" AS parent, "from" AS col FROM pragma_foreign_key_list(?)').all(tbl) as { parent: string; col: string }[]).filter((k) => k.parent === 'attachments').map((k) => `${tbl}.${k.col}`))
      .sort();
    expect(ATTACHMENT_REFERENCES.map((r) => `${r.tbl}.${r.column}`).sort()).toEqual(declared);
  });

  it('removes a company with 1,000 records quickly, in one transaction', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const keep = await a.ok('companies.create', companyData({ name: '유지정밀' }));
    const { id: companyId } = await a.ok('companies.create', companyData({ name: '대량정밀' }));
    // 999 follow-up actions and the company: 1,000 records (with their log entries and clocks).
    for (let i = 0; i < 999; i++) await a.ok('actions.create', { companyId, title: `조치 ${i}`, owner: '', dueOn: null, severity: 'low' });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    expect(recordsOf(b, companyId)).toHaveLength(1000);
    const logBefore = (b.sqlite.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;

    const started = performance.now();
    const result = b.services.syncScope.removeOrganisation(companyId);
    const ms = performance.now() - started;
    process.stdout.write(`scope check: removed a company with 1,000 records (${logBefore} log entries on the laptop) in ${ms.toFixed(1)} ms\n`);
    expect(result).toMatchObject({ removed: true, records: 1000 });
    expect(recordsOf(b, companyId)).toEqual([]);
    expect(recordsOf(b, keep.id).length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(5_000);
  });
});

describe('what a conflict or a refused change is about', () => {
  it('names the record’s company through its parents, links to it, and names nothing for shared registry rows', async () => {
    const app = openApp();
    const x = await companyWithWork(app, '한빛정밀', photo(), photo());
    const { id: supplierId } = await app.ok('suppliers.create', supplierData({ name: '한결스마트솔루션' }));
    const { id: diagnosisId } = await app.ok('diagnoses.create', { supplierId, track: 'basic', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '' });
    await app.ok('diagnoses.saveAnswer', { diagnosisId, itemId: 't_ai', score: 3 });
    const rowOf = (tbl: string, where: string, id: string) => (app.sqlite.prepare(`SELECT id FROM "${tbl}" WHERE ${where} = ?`).get(id) as { id: string }).id;
    const company = { companyName: '한빛정밀', link: `/companies/${x.companyId}`, itemId: null };
    const d = (tbl: string, id: string) => app.services.sync.describe(tbl, id);
    expect(d('organizations', x.companyId)).toEqual(company);
    expect(d('visits', x.visitId)).toEqual(company);
    // Children reach the company through their parent.
    expect(d('visit_attendees', rowOf('visit_attendees', 'visit_id', x.visitId))).toEqual(company);
    expect(d('visit_photos', rowOf('visit_photos', 'visit_id', x.visitId))).toEqual(company);
    expect(d('assessment_answers', rowOf('assessment_answers', 'assessment_id', x.assessmentId))).toEqual({ companyName: '한빛정밀', link: `/assessments/${x.assessmentId}`, itemId: 'ceo_vision' });
    // A supplier's records link to the supplier.
    expect(d('diagnosis_answers', rowOf('diagnosis_answers', 'diagnosis_id', diagnosisId))).toEqual({ companyName: '한결스마트솔루션', link: `/suppliers/${supplierId}`, itemId: null });
    // Shared registry rows and rows no longer here belong to no company.
    const mentorId = (await app.ok('mentors.create', mentorData({ expertise: 'process' }))).id;
    expect(d('mentors', mentorId)).toEqual({ companyName: null, link: null, itemId: null });
    expect(d('visits', 'no-such-row')).toEqual({ companyName: null, link: null, itemId: null });
  });
});
