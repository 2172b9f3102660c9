/**
 * A company taken away from a mentor pair leaves the pair's laptops — real app services on real SQLite files
 * against the real central service: the office moves a company from pair 1 to pair 2; after their next round
 * the laptops of pair 1 hold nothing of it (records, log entries, clocks, photo files) and their divergence
 * check finds nothing to report, while pair 2's laptop receives it. A change still waiting to be sent keeps
 * the company until it is sent (the service refuses it now; the refusal stays on the laptop). Assigned back,
 * the company returns complete through the existing fetch of a newly assigned company.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/services/logger.ts';
import { DivergenceCheck } from '../../electron/services/sync-divergence.ts';
import { SyncRunner } from '../../electron/services/sync-runner.ts';
import { httpTransport, type SyncTransport } from '../../electron/services/sync-transport.ts';
import { companyData, mentorData, openApp, useCleanup, type TestApp } from '../integration/fixtures.ts';
import { syncedState } from '../integration/sync/helpers.ts';
import { BACKENDS, createUser, enrolDevice, listeningServer } from './helpers.ts';
import { adminUserId, laptopFor } from './sync-helpers.ts';

useCleanup();

function photo(size = 30_000): Buffer {
  const b = crypto.randomBytes(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
}
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

interface Device {
  app: TestApp;
  transport: SyncTransport;
  runner: SyncRunner;
}

/** Rows of the company on a laptop: the organisation and everything that names it or one of its visits and assessments. */
function companyRows(app: TestApp, orgId: string): number {
  const n = (sql: string) => (app.sqlite.prepare(sql).get(orgId) as { n: number }).n;
  return (
    n('SELECT count(*) AS n FROM organizations WHERE id = ?') +
    ['financials', 'contacts', 'pair_assignments', 'visits', 'assessments', 'action_items'].reduce((s, t) => s + n(`SELECT count(*) AS n FROM ${t} WHERE org_id = ?`), 0) +
    n('SELECT count(*) AS n FROM visit_photos WHERE visit_id IN (SELECT id FROM visits WHERE org_id = ?)') +
    n('SELECT count(*) AS n FROM assessment_answers WHERE assessment_id IN (SELECT id FROM assessments WHERE org_id = ?)') +
    n('SELECT count(*) AS n FROM answer_evidence WHERE assessment_id IN (SELECT id FROM assessments WHERE org_id = ?)')
  );
}

describe.each(BACKENDS)('a company taken away from a mentor pair leaves the pair’s laptops ($name)', (backend) => {
  const s = listeningServer(backend);

  const device = async (role: 'admin' | 'mentor', mentorId?: string): Promise<Device> => {
    const user = await createUser(s.app, s.adminToken, role, { region: '41', ...(mentorId ? { mentorId } : {}) });
    const { token } = await enrolDevice(s.app, s.adminToken, user.id);
    const laptop = openApp();
    const transport = httpTransport({ baseUrl: s.base, token: () => Promise.resolve(token) });
    return { app: laptop, transport, runner: new SyncRunner(laptop.services.sync, laptop.services.settings, null, silentLogger(), { transport, scope: laptop.services.syncScope, scopeIntervalMs: 0 }) };
  };

  it('moved to another pair it leaves pair 1’s laptops (kept while a change waits), reaches pair 2’s, and comes back complete when assigned back', async () => {
    const office = await device('admin');
    const kim = await office.app.ok('mentors.create', mentorData({ name: '김공정', expertise: 'process' }));
    const lee = await office.app.ok('mentors.create', mentorData({ name: '이인공', expertise: 'ai', affiliationType: 'kaist_institute' }));
    const park = await office.app.ok('mentors.create', mentorData({ name: '박공정', expertise: 'process' }));
    const choi = await office.app.ok('mentors.create', mentorData({ name: '최인공', expertise: 'ai', affiliationType: 'kaist_institute' }));
    const pair1 = await office.app.ok('pairs.create', { processMentorId: kim.id, aiMentorId: lee.id });
    const pair2 = await office.app.ok('pairs.create', { processMentorId: park.id, aiMentorId: choi.id });
    const { id: x } = await office.app.ok('companies.create', companyData({ name: '한빛정밀', financials: [{ fiscalYear: 2025, revenue: 900_000_000, operatingProfit: 20_000_000 }] }));
    const { id: y } = await office.app.ok('companies.create', companyData({ name: '대성금속' }));
    await office.app.ok('pairs.assign', { companyId: x, pairId: pair1.id });
    await office.app.ok('pairs.assign', { companyId: y, pairId: pair1.id });
    await office.runner.runOnce();

    const kimLaptop = await device('mentor', kim.id);
    const leeLaptop = await device('mentor', lee.id);
    const parkLaptop = await device('mentor', park.id);
    await kimLaptop.runner.runOnce();

    // Kim's work on X: a visit with a photo, an assessment with an answer and an evidence photo, a follow-up action.
    const visitPhoto = photo();
    const evidence = photo();
    const { id: visitId } = await kimLaptop.app.ok('visits.create', { companyId: x, visitedOn: '2027-03-05', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
    await kimLaptop.app.ok('visits.addPhoto', { visitId, fileName: 'line.png', data: visitPhoto.toString('base64') });
    const { id: assessmentId } = await kimLaptop.app.ok('assessments.create', { companyId: x, visitId, instrumentId: 'company-dx' });
    await kimLaptop.app.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    await kimLaptop.app.ok('evidence.add', { assessmentId, itemId: 'digital_level', fileName: 'mes.png', data: evidence.toString('base64') });
    const { id: actionId } = await kimLaptop.app.ok('actions.create', { companyId: x, title: '바코드 도입 검토', owner: '', dueOn: null, severity: 'low' });
    await kimLaptop.app.ok('assessments.saveAnswer', { assessmentId: (await kimLaptop.app.ok('assessments.create', { companyId: y, visitId: null, instrumentId: 'company-dx' })).id, itemId: 'ceo_vision', value: 3 });
    expect(await kimLaptop.runner.runOnce()).toMatchObject({ rejected: 0 });
    await leeLaptop.runner.runOnce();
    const files = (d: Device) => path.join(d.app.dir, 'attachments');
    for (const d of [kimLaptop, leeLaptop]) for (const b of [visitPhoto, evidence]) expect(fs.existsSync(path.join(files(d), sha(b)))).toBe(true);
    // The photos' descriptions (name, type, size, hash) reach pair 1's laptops only, like the photos.
    const described = (d: Device) => (d.app.sqlite.prepare('SELECT count(*) AS n FROM attachments WHERE sha256 IN (?, ?)').get(sha(visitPhoto), sha(evidence)) as { n: number }).n;
    await parkLaptop.runner.runOnce();
    expect([described(kimLaptop), described(leeLaptop), described(parkLaptop)]).toEqual([2, 2, 0]);
    const held = companyRows(kimLaptop.app, x);
    expect(held).toBeGreaterThanOrEqual(10);
    const kimBefore = syncedState(kimLaptop.app);
    const yRows = companyRows(kimLaptop.app, y);

    // Lee changes the action offline; meanwhile the office moves X to pair 2.
    await leeLaptop.app.ok('actions.update', { id: actionId, title: '바코드 도입 확정', owner: '', dueOn: null, severity: 'low', status: 'open' });
    await office.app.ok('pairs.assign', { companyId: x, pairId: pair2.id });
    await office.runner.runOnce();
    // The office's scope is unrestricted: it keeps everything.
    expect(companyRows(office.app, x)).toBeGreaterThan(0);

    // Kim's next round: X is gone, with its log, clocks and files; Y is as it was; nothing differs from the service.
    await kimLaptop.runner.runOnce();
    expect(companyRows(kimLaptop.app, x)).toBe(0);
    expect(companyRows(kimLaptop.app, y)).toBe(yRows);
    const logged = kimLaptop.app.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE row_id = ?');
    const clocked = kimLaptop.app.sqlite.prepare('SELECT count(*) AS n FROM field_clocks WHERE row_id = ?');
    expect(logged.get(x)).toEqual({ n: 0 });
    for (const id of [visitId, assessmentId, actionId]) {
      expect(logged.get(id)).toEqual({ n: 0 });
      expect(clocked.get(id)).toEqual({ n: 0 });
    }
    for (const b of [visitPhoto, evidence]) expect(fs.existsSync(path.join(files(kimLaptop), sha(b)))).toBe(false);
    expect(described(kimLaptop)).toBe(0);
    expect(kimLaptop.app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
    const divergence = await new DivergenceCheck(kimLaptop.app.sqlite, kimLaptop.app.services.sync, kimLaptop.app.services.settings.deviceId(), silentLogger()).run(kimLaptop.transport);
    expect(divergence).toMatchObject({ recordsDiffering: 0, notRun: null });
    expect(kimLaptop.app.services.sync.status()).toMatchObject({ pending: 0, rejected: 0, missingFiles: 0 });
    expect(kimLaptop.runner.scopeRemoval()).toMatchObject({ companies: 1, suppliers: 0 });

    // Lee's change has not been sent: X stays on Lee's laptop, whole.
    const leeHeld = companyRows(leeLaptop.app, x);
    expect(await leeLaptop.app.services.syncScope.run(leeLaptop.transport)).toMatchObject({ removed: [], kept: [{ orgId: x, reason: 'pending' }] });
    expect(companyRows(leeLaptop.app, x)).toBe(leeHeld);
    // The round sends it; the service refuses it now (X is pair 2's); X leaves, the refusal stays on Lee's laptop.
    expect(await leeLaptop.runner.runOnce()).toMatchObject({ rejected: 1 });
    expect(companyRows(leeLaptop.app, x)).toBe(0);
    expect(leeLaptop.app.services.sync.rejected()).toMatchObject([{ tbl: 'action_items', rowId: actionId, reason: 'forbidden' }]);
    expect(leeLaptop.app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });

    // Pair 2's laptop received X, photos included, through the fetch of a newly assigned company.
    await parkLaptop.runner.runOnce();
    // Everything Kim held, and the ended assignment to pair 1 beside the new one.
    expect(companyRows(parkLaptop.app, x)).toBe(held + 1);
    for (const b of [visitPhoto, evidence]) expect(fs.existsSync(path.join(files(parkLaptop), sha(b)))).toBe(true);
    expect(described(parkLaptop)).toBe(2);

    // Assigned back to pair 1: Kim's laptop gets X back complete; Park's laptop lets it go.
    await office.app.ok('pairs.assign', { companyId: x, pairId: pair1.id });
    await office.runner.runOnce();
    await kimLaptop.runner.runOnce();
    await parkLaptop.runner.runOnce();
    const { pair_assignments: before, ...restBefore } = kimBefore;
    const { pair_assignments: after, ...restAfter } = syncedState(kimLaptop.app);
    expect(restAfter).toEqual(restBefore);
    // The assignments: X's first one ended, the move to pair 2 ended, the new one to pair 1; Y's unchanged.
    const ended = (a: Record<string, unknown>) => a.deleted_at !== null;
    expect(
      after
        ?.filter((a) => a.org_id === x)
        .map((a) => `${String(a.pair_id)}:${ended(a) ? 'ended' : 'active'}`)
        .sort(),
    ).toEqual([`${pair1.id}:active`, `${pair1.id}:ended`, `${pair2.id}:ended`].sort());
    expect(after?.filter((a) => a.org_id === y)).toEqual(before?.filter((a) => a.org_id === y));
    for (const b of [visitPhoto, evidence]) expect(fs.existsSync(path.join(files(kimLaptop), sha(b)))).toBe(true);
    expect(kimLaptop.app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
    expect((await kimLaptop.app.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value).toBe(4);
    expect(companyRows(parkLaptop.app, x)).toBe(0);
  });

  /** The office creates a pair of two new mentors and assigns them a new company. */
  const pairWithCompany = async (names: [string, string], company: string) => {
    const office = await device('admin');
    const kim = await office.app.ok('mentors.create', mentorData({ name: names[0], expertise: 'process' }));
    const lee = await office.app.ok('mentors.create', mentorData({ name: names[1], expertise: 'ai', affiliationType: 'kaist_institute' }));
    const pair = await office.app.ok('pairs.create', { processMentorId: kim.id, aiMentorId: lee.id });
    const { id: x } = await office.app.ok('companies.create', companyData({ name: company }));
    await office.app.ok('pairs.assign', { companyId: x, pairId: pair.id });
    await office.runner.runOnce();
    return { office, kim, lee, pair, x };
  };

  it('the same photo added on both laptops of a pair offline arrives on both, described twice, nothing left waiting', async () => {
    const { kim, lee, x } = await pairWithCompany(['오공정', '윤인공'], '동일사진');
    const laptops = [await device('mentor', kim.id), await device('mentor', lee.id)];
    for (const d of laptops) await d.runner.runOnce();
    // Both photograph the same board (the same file, sent round by messenger) on their own visit, offline.
    const board = photo();
    for (const [i, d] of laptops.entries()) {
      const { id: visitId } = await d.app.ok('visits.create', { companyId: x, visitedOn: `2027-03-0${i + 1}`, place: '사무실', purpose: 'assessment', attendees: [], notes: '' });
      await d.app.ok('visits.addPhoto', { visitId, fileName: `board-${i}.png`, data: board.toString('base64') });
    }
    for (const d of [...laptops, ...laptops]) expect(await d.runner.runOnce()).toMatchObject({ rejected: 0 });
    for (const d of laptops) {
      expect(d.app.sqlite.prepare('SELECT count(*) AS n FROM attachments WHERE sha256 = ?').get(sha(board))).toEqual({ n: 2 });
      expect(d.app.sqlite.prepare('SELECT count(*) AS n FROM visit_photos').get()).toEqual({ n: 2 });
      expect(d.app.sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE applied = 0').get()).toEqual({ n: 0 });
      expect(d.app.services.sync.status()).toMatchObject({ pending: 0, rejected: 0, missingFiles: 0 });
      const divergence = await new DivergenceCheck(d.app.sqlite, d.app.services.sync, d.app.services.settings.deviceId(), silentLogger()).run(d.transport);
      expect(divergence).toMatchObject({ recordsDiffering: 0, notRun: null });
    }
    expect(syncedState(laptops[0]!.app)).toEqual(syncedState(laptops[1]!.app));
  });

  it('a company back in scope without a new assignment (an ended one restored) is fetched by the scope check', async () => {
    const { office, kim, x } = await pairWithCompany(['정공정', '한인공'], '복원정밀');
    const kimLaptop = await device('mentor', kim.id);
    await kimLaptop.runner.runOnce();
    const { id: assessmentId } = await kimLaptop.app.ok('assessments.create', { companyId: x, visitId: null, instrumentId: 'company-dx' });
    await kimLaptop.app.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 5 });
    await kimLaptop.runner.runOnce();
    const held = companyRows(kimLaptop.app, x);

    await office.app.ok('pairs.assign', { companyId: x, pairId: null });
    await office.runner.runOnce();
    await kimLaptop.runner.runOnce();
    expect(companyRows(kimLaptop.app, x)).toBe(0);

    // The central office restores the ended assignment itself (no new record: pull brings no org_id to fetch by).
    const [assignment] = office.app.sqlite.prepare('SELECT id FROM pair_assignments WHERE org_id = ?').all(x) as { id: string }[];
    const admin = await laptopFor(s.app, s.adminToken, await adminUserId(s.app, s.adminToken));
    await admin.pushOk([admin.op('pair_assignments', assignment?.id as string, 'deleted_at', null)]);
    // A round without the check: the restored assignment arrives, but nothing of the company before it.
    await kimLaptop.app.services.sync.syncOnce(kimLaptop.transport);
    expect(companyRows(kimLaptop.app, x)).toBe(0);
    const summary = await kimLaptop.app.services.syncScope.run(kimLaptop.transport);
    expect(summary).toMatchObject({ fetched: [x], removed: [] });
    expect(companyRows(kimLaptop.app, x)).toBe(held);
    // Fetched once: the next check finds it held.
    expect(await kimLaptop.app.services.syncScope.run(kimLaptop.transport)).toMatchObject({ fetched: [] });
    expect((await kimLaptop.app.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value).toBe(5);
    expect(kimLaptop.app.services.sync.checkIntegrity()).toMatchObject({ altered: [], unlogged: [] });
  });
});
