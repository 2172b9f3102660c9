import { describe, expect, it } from 'vitest';
import { levelConfirmationV1 } from '#shared/instruments/level-confirmation-v1';
import { companyData, mentorData, openApp, supplierData, tempDir, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** The same database opened on another day (the worklist is about today). */
function appOn(today: string, dir: string): TestApp {
  return openApp({ dir, now: () => new Date(`${today}T09:00:00`).getTime() });
}

async function project(app: TestApp, companyId: string, supplierId: string, title: string, startsOn: string, endsOn: string) {
  const input = { companyId, programme: 'intelligent_basic', title, startsOn, endsOn, contractOn: null, finalInspectionOn: null, budgetGov: 50_000_000, budgetCompany: 50_000_000, budgetLarge: 0, swLabourKrw: null, scopeUnits: null, gradesBilled: {}, gradesDeclared: {}, supplierIds: [supplierId], notes: '' };
  return (await app.ok('projects.create', input)).id;
}

async function signCheck(app: TestApp, projectId: string, checkedOn: string) {
  const { id } = await app.ok('postbuild.create', { projectId, checkedOn });
  const answers: Record<string, unknown> = {
    stab_completed: 'yes', as_requests: 1, as_resolved: 1, training_held: 'yes', use_active_users: 4, use_logins_week: 12, use_material_tx_month: 40,
    supplier_in_business: 'yes', pledge_on_file: 'yes', publish_consent: 'no',
  };
  for (const [itemId, value] of Object.entries(answers)) await app.ok('postbuild.saveAnswer', { checkId: id, itemId, value });
  await app.ok('postbuild.sign', { id, name: '김멘토', png });
}

describe('what is due', () => {
  it('lists stabilisation ends, checks, the after-service year closing, lapsing certificates and actions, earliest first, per pair', async () => {
    const dir = tempDir();
    let app = appOn('2025-11-15', dir);
    const { id: a } = await app.ok('companies.create', companyData({ name: '대한정밀' }));
    const { id: b } = await app.ok('companies.create', companyData({ name: '한빛금속' }));
    const { id: sup } = await app.ok('suppliers.create', supplierData({ name: '스마트솔루션' }));
    const pm = await app.ok('mentors.create', mentorData({ name: '박공정', expertise: 'process' }));
    const am = await app.ok('mentors.create', mentorData({ name: '최인공', expertise: 'ai', affiliationType: 'kaist_institute' }));
    const { id: pairId } = await app.ok('pairs.create', { processMentorId: pm.id, aiMentorId: am.id });
    await app.ok('pairs.assign', { companyId: a, pairId });
    const pa = await project(app, a, sup, 'MES 구축', '2025-03-01', '2025-12-31');
    const pb = await project(app, b, sup, 'ERP 구축', '2025-01-01', '2025-11-30');

    let w = await app.ok('worklist.list', {});
    expect(w.today).toBe('2025-11-15');
    expect(w.items.map((i) => [i.kind, i.dueOn, i.orgName, i.status])).toEqual([
      ['stabilisation_ending', '2025-11-30', '한빛금속', 'upcoming'],
      ['stabilisation_ending', '2025-12-31', '대한정밀', 'upcoming'],
      ['check_due', '2025-12-30', '한빛금속', 'upcoming'],
    ].sort((x, y) => (x[1]! < y[1]! ? -1 : 1)));
    expect(w.items[0]).toMatchObject({ subject: 'ERP 구축', link: `/projects/${pb}`, daysLeft: 15 });
    // One pair sees only its companies.
    w = await app.ok('worklist.list', { pairId });
    expect(w.items.map((i) => i.orgName)).toEqual(['대한정밀']);
    app.services.close();

    // Two months later: 한빛금속's check is overdue until it is signed; 대한정밀's is due.
    app = appOn('2026-01-15', dir);
    w = await app.ok('worklist.list', {});
    expect(w.items.map((i) => `${i.kind}:${i.orgName}:${i.status}`)).toEqual(['check_due:한빛금속:overdue', 'check_due:대한정밀:upcoming']);
    expect(w.items[0]).toMatchObject({ daysLeft: -16, link: `/projects/${pb}?tab=check` });
    expect(w.counts).toEqual({ overdue: 1, soon: 0, upcoming: 1 });
    await signCheck(app, pb, '2026-01-15');
    w = await app.ok('worklist.list', {});
    expect(w.items.map((i) => `${i.kind}:${i.orgName}`)).toEqual(['check_due:대한정밀']);
    await signCheck(app, pa, '2026-01-15');
    // A follow-up action with a date shows up; archiving its company removes everything of that company.
    await app.ok('actions.create', { companyId: a, title: '작업표준서 정비', owner: '생산팀장', dueOn: '2026-01-20', severity: 'high' });
    w = await app.ok('worklist.list', {});
    expect(w.items.map((i) => [i.kind, i.subject, i.status])).toEqual([['action_due', '작업표준서 정비', 'soon']]);
    app.services.close();

    // The free after-service years close: each project asks for its year-end check.
    app = appOn('2026-11-10', dir);
    w = await app.ok('worklist.list', {});
    expect(w.items.map((i) => `${i.kind}@${i.dueOn}:${i.orgName}`)).toEqual([
      'action_due@2026-01-20:대한정밀',
      'year_check_due@2026-11-30:한빛금속',
      'free_as_closing@2026-11-30:한빛금속',
      'year_check_due@2026-12-31:대한정밀',
      'free_as_closing@2026-12-31:대한정밀',
    ]);
    await app.ok('companies.archive', { id: b });
    w = await app.ok('worklist.list', {});
    expect(w.items.every((i) => i.orgName === '대한정밀')).toBe(true);
    // A shorter horizon leaves the December items out; the overdue action stays.
    w = await app.ok('worklist.list', { horizonDays: 30 });
    expect(w.items.map((i) => i.kind)).toEqual(['action_due']);
    const bad = await app.fail('worklist.list', { horizonDays: 0 });
    expect(bad.code).toBe('validation');
    expect(Object.keys(bad.fields ?? {})).toEqual(['horizonDays']);
  });

  it('lists a certificate 90 days before it lapses, not once it is revoked', async () => {
    const dir = tempDir();
    let app = appOn('2026-11-20', dir);
    const { id: companyId } = await app.ok('companies.create', companyData({ name: '한빛정밀' }));
    const { id } = await app.ok('levels.create', { companyId, projectId: null, assessedOn: '2026-11-20' });
    for (const area of levelConfirmationV1.areas) await app.ok('levels.saveStep', { confirmationId: id, areaId: area.id, step: 3, evidence: '확인' });
    await app.ok('levels.finalize', { id, signatures: [{ role: 'lead', name: '김평가', png }, { role: 'second', name: '이평가', png }] });
    const cert = await app.ok('certificates.issue', { confirmationId: id, passphrase: 'factory-2026!' });
    expect((await app.ok('worklist.list', {})).items).toEqual([]);
    app.services.close();

    app = appOn('2028-09-01', dir);
    const w = await app.ok('worklist.list', {});
    // Valid for 24 months from 2026-11-20: listed from 90 days before.
    expect(w.items).toEqual([expect.objectContaining({ kind: 'certificate_expiring', dueOn: '2028-11-20', subject: cert.number, link: `/levels/${id}`, status: 'upcoming' })]);
    await app.ok('certificates.revoke', { id: cert.id, reason: '폐업으로 취소' });
    expect((await app.ok('worklist.list', {})).items).toEqual([]);
  });

  it('reminds once a day, and only when something is overdue or due this week', async () => {
    const dir = tempDir();
    let app = appOn('2025-11-15', dir);
    const { id: a } = await app.ok('companies.create', companyData({ name: '대한정밀' }));
    const { id: sup } = await app.ok('suppliers.create', supplierData({ name: '스마트솔루션' }));
    await project(app, a, sup, 'MES 구축', '2025-03-01', '2025-12-31');
    // Due in 46 days: nothing urgent, no reminder.
    expect(await app.ok('worklist.remind', {})).toEqual({ show: false, overdue: 0, soon: 0 });
    app.services.close();
    app = appOn('2025-12-26', dir);
    expect(await app.ok('worklist.remind', {})).toEqual({ show: true, overdue: 0, soon: 1 });
    expect((await app.ok('worklist.remind', {})).show).toBe(false);
    app.services.close();
    app = appOn('2026-02-02', dir);
    expect(await app.ok('worklist.remind', {})).toEqual({ show: true, overdue: 1, soon: 0 });
  });
});
