import { describe, expect, it } from 'vitest';
import { MAX_PUSH_OPS } from '#shared/sync/protocol';
import { MemoryServer, TransportError } from '../../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../fixtures.ts';
import { FlakyTransport, syncedState } from './helpers.ts';

useCleanup();

async function companyWithAssessment(app: TestApp) {
  const { id: companyId } = await app.ok('companies.create', companyData({ name: '대한정밀' }));
  const { id } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
  return { companyId, assessmentId: id };
}

describe('sync client against the merge of the central service', () => {
  it('a company and an assessment made on one laptop arrive on the other, searchable, with their history', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const { companyId, assessmentId } = await companyWithAssessment(a);
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    const first = await a.services.sync.syncOnce(server.transport());
    expect(first.rejected).toBe(0);
    expect(first.pushed).toBeGreaterThan(10);
    expect(a.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });

    await b.services.sync.syncOnce(server.transport());
    expect(syncedState(b)).toEqual(syncedState(a));
    expect((await b.ok('companies.list', { query: '대한' })).rows.map((r) => r.id)).toEqual([companyId]);
    expect((await b.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value).toBe(4);
    expect((await b.ok('assessments.history', { assessmentId, itemId: 'ceo_vision' })).rows).toHaveLength(1);
  });

  it('two mentors fill different sections offline; after syncing both laptops hold both, with no conflict', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const { assessmentId } = await companyWithAssessment(a);
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    await b.ok('assessments.saveAnswer', { assessmentId, itemId: 'org_dedicated', value: 'yes' });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    await a.services.sync.syncOnce(server.transport());
    for (const app of [a, b]) {
      const view = await app.ok('assessments.get', { id: assessmentId });
      expect(view.answers.ceo_vision?.value).toBe(4);
      expect(view.answers.org_dedicated?.value).toBe('yes');
    }
    expect(syncedState(a)).toEqual(syncedState(b));
    expect(server.conflicts).toEqual([]);
  });

  it('the same answer changed on both laptops: both see the same value and a conflict with both values', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const { assessmentId } = await companyWithAssessment(a);
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 2 });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 3 });
    await b.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 5 });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    await a.services.sync.syncOnce(server.transport());
    const values = await Promise.all([a, b].map(async (app) => (await app.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value));
    expect(values[0]).toBe(values[1]);
    for (const app of [a, b]) {
      const [c] = app.services.sync.conflicts();
      expect(c).toMatchObject({ tbl: 'assessment_answers', field: 'value', resolved: false });
      expect([c?.kept.value, c?.other.value].sort()).toEqual(['"3"', '"5"']);
      expect(app.services.sync.status().openConflicts).toBe(1);
    }
    expect(syncedState(a)).toEqual(syncedState(b));

    // B takes the value the merge did not keep; the decision reaches A and the server settles the conflict.
    const [c] = b.services.sync.conflicts();
    b.services.sync.resolve(c!.id, 'other');
    expect(b.services.sync.conflicts()[0]).toMatchObject({ resolved: true, settled: false });
    expect(b.services.sync.status().openConflicts).toBe(0);
    expect(() => b.services.sync.resolve(c!.id, 'kept')).toThrow();
    await b.services.sync.syncOnce(server.transport());
    await a.services.sync.syncOnce(server.transport());
    for (const app of [a, b]) {
      expect(app.services.sync.conflicts()[0]).toMatchObject({ resolved: true, settled: true });
      expect(JSON.stringify((await app.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value)).toBe(JSON.parse(c!.other.value!) as string);
    }
    expect(server.conflicts).toHaveLength(1);
  });

  it('a company archived on one laptop while the other edits it: a conflict on both; restoring keeps the edit', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const input = companyData({ name: '엇갈림정밀' });
    const { id } = await a.ok('companies.create', input);
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    await a.ok('companies.archive', { id });
    await b.ok('companies.update', { ...input, id, name: '엇갈림정밀(주)' });
    for (const app of [a, b, a]) await app.services.sync.syncOnce(server.transport());
    for (const app of [a, b]) {
      const conflicts = app.services.sync.conflicts();
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ tbl: 'organizations', rowId: id, field: 'deleted_at', resolved: false, other: { value: null } });
      // Archived on both, the edit merged in underneath.
      expect(app.sqlite.prepare('SELECT name, deleted_at IS NOT NULL AS gone FROM organizations WHERE id = ?').get(id)).toEqual({ name: '엇갈림정밀(주)', gone: 1 });
    }
    b.services.sync.resolve(b.services.sync.conflicts()[0]!.id, 'other');
    for (const app of [b, a]) await app.services.sync.syncOnce(server.transport());
    for (const app of [a, b]) {
      expect(app.services.sync.conflicts()[0]).toMatchObject({ resolved: true, settled: true });
      expect((await app.ok('companies.get', { id })).name).toBe('엇갈림정밀(주)');
      expect(app.sqlite.prepare('SELECT deleted_at FROM organizations WHERE id = ?').get(id)).toEqual({ deleted_at: null });
    }
    expect(syncedState(a)).toEqual(syncedState(b));
  });

  it('a lost answer leaves the ops pending; sending them again stores nothing twice', async () => {
    const server = new MemoryServer();
    const flaky = new FlakyTransport(server.transport());
    const a = openApp();
    await companyWithAssessment(a);
    const pending = a.services.sync.status().pending;
    flaky.pushFaults = ['before'];
    await expect(a.services.sync.syncOnce(flaky)).rejects.toThrow('network down');
    expect(server.log).toHaveLength(0);
    expect(a.services.sync.status().pending).toBe(pending);
    flaky.pushFaults = ['after'];
    await expect(a.services.sync.syncOnce(flaky)).rejects.toThrow('connection reset');
    // The server committed them, but the laptop never heard: they stay pending until it does.
    expect(server.log).toHaveLength(pending);
    expect(a.services.sync.status().pending).toBe(pending);
    const again = await a.services.sync.syncOnce(flaky);
    expect(again.pushed).toBe(pending);
    expect(server.log).toHaveLength(pending);
    expect(a.services.sync.status()).toMatchObject({ pending: 0, rejected: 0 });
  });

  it('a pull interrupted between pages resumes from the last applied page', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    for (let i = 0; i < 3; i++) await companyWithAssessment(a);
    await a.services.sync.syncOnce(server.transport());
    const flaky = new FlakyTransport(server.transport());
    flaky.pullFaults = [undefined as never, 'after'];
    await expect(b.services.sync.pull(flaky, 20)).rejects.toThrow('connection reset');
    const halfway = b.services.sync.status().cursor;
    expect(halfway).toBe(20);
    await b.services.sync.pull(flaky, 20);
    expect(b.services.sync.status().cursor).toBe(server.log.length);
    expect(syncedState(b)).toEqual(syncedState(a));
    // Pages are asked for one at a time (the next while one is applied), never two at once.
    expect(flaky.maxPullsInFlight).toBe(1);
  });

  it('records that arrive a page before the company they belong to wait in the log and appear with it', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const { assessmentId } = await companyWithAssessment(a);
    await a.services.sync.syncOnce(server.transport());
    const company = server.log.filter((o) => o.tbl === 'organizations');
    const rest = server.log.filter((o) => o.tbl !== 'organizations');
    expect(rest.some((o) => o.tbl === 'assessments' && o.rowId === assessmentId)).toBe(true);
    b.services.sync.applyPage(rest, [], 0);
    const waiting = () => (b.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE applied = 0').get() as { n: number }).n;
    expect(b.sqlite.prepare('SELECT id FROM assessments').all()).toEqual([]);
    expect(waiting()).toBe(rest.filter((o) => o.tbl === 'assessments').length);
    b.services.sync.applyPage(company, [], server.log.length);
    expect(waiting()).toBe(0);
    expect(syncedState(b)).toEqual(syncedState(a));
    expect(b.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
  });

  it('a server restored from an older backup gets back what it lost from the laptops', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const { assessmentId } = await companyWithAssessment(a);
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    const backup = server.log.length;
    await a.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    await b.ok('assessments.saveAnswer', { assessmentId, itemId: 'org_dedicated', value: 'yes' });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    const before = server.log.length;
    server.restoreTo(backup);
    expect(server.log.length).toBeLessThan(before);
    // Each laptop notices on its next sync and sends its own changes again; nothing is lost or doubled.
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    await a.services.sync.syncOnce(server.transport());
    expect(server.log.length).toBe(before);
    expect(new Set(server.log.map((o) => o.opId)).size).toBe(before);
    for (const app of [a, b]) {
      const view = await app.ok('assessments.get', { id: assessmentId });
      expect([view.answers.ceo_vision?.value, view.answers.org_dedicated?.value]).toEqual([4, 'yes']);
      expect(app.services.sync.status()).toMatchObject({ pending: 0, cursor: server.log.length });
    }
    expect(syncedState(a)).toEqual(syncedState(b));
  });

  it('never cuts a record’s run of ops across two batches (its scope field must reach the service with it)', async () => {
    const server = new MemoryServer();
    const a = openApp();
    // Enough companies (about 20 ops each) for several full batches.
    for (let i = 0; i < Math.ceil((MAX_PUSH_OPS * 2.5) / 20); i++) await a.ok('companies.create', companyData({ name: `기업${i}`, financials: [{ fiscalYear: 2025, revenue: 1_000_000_000, operatingProfit: 1 }] }));
    const batches: { tbl: string; rowId: string }[][] = [];
    const inner = server.transport();
    await a.services.sync.push({ ...inner, push: (ops) => (batches.push(ops.map((o) => ({ tbl: o.tbl, rowId: o.rowId }))), inner.push(ops)) });
    expect(batches.length).toBeGreaterThan(1);
    for (let i = 1; i < batches.length; i++) {
      const last = batches[i - 1]!.at(-1)!;
      const first = batches[i]![0]!;
      expect(`${first.tbl}/${first.rowId}`).not.toBe(`${last.tbl}/${last.rowId}`);
      expect(batches[i - 1]!.length).toBeLessThanOrEqual(MAX_PUSH_OPS);
    }
    expect(a.services.sync.status().pending).toBe(0);
  });

  it('sends batches one at a time in log order; a batch lost on the way keeps the answers to the ones before it', async () => {
    const server = new MemoryServer();
    const a = openApp();
    for (let i = 0; i < Math.ceil((MAX_PUSH_OPS * 4) / 20); i++) await a.ok('companies.create', companyData({ name: `기업${i}`, financials: [{ fiscalYear: 2025, revenue: 1_000_000_000, operatingProfit: 1 }] }));
    const total = a.services.sync.status().pending;
    expect(total).toBeGreaterThan(MAX_PUSH_OPS * 2);
    const inner = server.transport();
    const sent: number[] = [];
    let inFlight = 0;
    let fail: 'before' | 'after' | null = null;
    const transport = {
      ...inner,
      push: async (ops: Parameters<typeof inner.push>[0]) => {
        // The laptop reads its next batch while one is on its way, but never sends two at once.
        expect(inFlight).toBe(0);
        inFlight++;
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          if (sent.length === 1 && fail === 'before') throw new TransportError('network down', true);
          const r = await inner.push(ops);
          sent.push(ops.length);
          if (sent.length === 2 && fail === 'after') throw new TransportError('connection reset before the answer', true);
          return r;
        } finally {
          inFlight--;
        }
      },
    };
    fail = 'before';
    await expect(a.services.sync.push(transport)).rejects.toThrow('network down');
    expect(sent).toHaveLength(1);
    expect(a.services.sync.status().pending).toBe(total - (sent[0] as number));
    expect(server.log).toHaveLength(sent[0] as number);

    // The second batch reaches the service but its answer is lost: the first one's answers were written meanwhile.
    sent.length = 0;
    fail = 'after';
    await expect(a.services.sync.push(transport)).rejects.toThrow('connection reset');
    expect(a.services.sync.status().pending).toBe(total - (server.log.length - (sent[1] as number)));

    fail = null;
    sent.length = 0;
    const done = await a.services.sync.push(transport);
    expect(done.rejected).toBe(0);
    expect(a.services.sync.status().pending).toBe(0);
    // Every op stored once, in the laptop's log order.
    expect(server.log).toHaveLength(total);
    const order = (a.sqlite.prepare('SELECT op_id FROM change_log ORDER BY seq').all() as { op_id: string }[]).map((r) => r.op_id);
    expect(server.log.map((o) => o.opId)).toEqual(order);
  });

  it('a record made only of refused changes leaves the laptop, even when its parent was answered a batch before its child', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const { id: companyId } = await a.ok('companies.create', companyData({ name: '거절정밀' }));
    expect((await a.services.sync.syncOnce(server.transport())).rejected).toBe(0);
    // A visit, a batch's worth of other work, then a photo of the visit: the visit and its photo go in different batches.
    const { id: visitId } = await a.ok('visits.create', { companyId, visitedOn: '2027-03-05', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
    for (let i = 0; i < Math.ceil((MAX_PUSH_OPS * 1.2) / 10); i++) await a.ok('companies.create', companyData({ name: `기업${i}`, financials: [{ fiscalYear: 2025, revenue: 1_000_000_000, operatingProfit: 1 }] }));
    const png = Buffer.alloc(3000, 7);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    const { id: photoId } = await a.ok('visits.addPhoto', { visitId, fileName: 'line.png', data: png.toString('base64') });
    // The service refuses the visit and everything of it (as it would a company taken from the pair).
    server.refuse = (op) => (op.tbl === 'visits' || op.tbl === 'visit_photos' ? { reason: 'forbidden', messageKey: 'errors.sync.forbidden' } : null);
    const batches: string[][] = [];
    const inner = server.transport();
    const r = await a.services.sync.push({ ...inner, push: (ops) => (batches.push(ops.map((o) => o.tbl)), inner.push(ops)) });
    expect(r.rejected).toBeGreaterThan(0);
    expect(batches.findIndex((b) => b.includes('visits'))).toBeLessThan(batches.findIndex((b) => b.includes('visit_photos')));
    // Both are gone from the laptop, the refusals listed; the company and the other work stay, as on the service.
    expect(a.sqlite.prepare('SELECT count(*) AS n FROM visits WHERE id = ?').get(visitId)).toEqual({ n: 0 });
    expect(a.sqlite.prepare('SELECT count(*) AS n FROM visit_photos WHERE id = ?').get(photoId)).toEqual({ n: 0 });
    expect(new Set(a.services.sync.rejected().map((x) => x.tbl))).toEqual(new Set(['visits', 'visit_photos']));
    expect(a.services.sync.status()).toMatchObject({ pending: 0 });
    expect(a.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
    const b = openApp();
    await b.services.sync.syncOnce(server.transport());
    const { visits: _va, visit_photos: _pa, ...onA } = syncedState(a);
    const { visits: _vb, visit_photos: _pb, ...onB } = syncedState(b);
    expect(onA).toEqual(onB);
    expect([_va, _pa]).toEqual([undefined, undefined]);
  });

  it('keeps ops for a field this version does not know and applies the rest', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const { companyId } = await companyWithAssessment(a);
    await a.services.sync.syncOnce(server.transport());
    const newer = { opId: '01936a1e-7c4b-7cc0-9a5e-0a1b2c3d4e5f', tbl: 'organizations', rowId: companyId, field: 'esg_grade', value: '"A"', hlc: `${new Date().toISOString()}-0000-future`, deviceId: 'future', userId: 'u', base: null };
    server.pushSync([newer, { ...newer, opId: '01936a1e-7c4b-7cc0-9a5e-0a1b2c3d4e60', tbl: 'carbon_reports', rowId: 'r1', field: 'total' }]);
    await b.services.sync.syncOnce(server.transport());
    expect(syncedState(b)).toEqual(syncedState(a));
    const waiting = b.sqlite.prepare('SELECT tbl, field FROM change_log WHERE applied = 0 ORDER BY tbl').all();
    expect(waiting).toEqual([{ tbl: 'carbon_reports', field: 'total' }, { tbl: 'organizations', field: 'esg_grade' }]);
    expect(b.services.sync.status().cursor).toBe(server.log.length);
  });
});
