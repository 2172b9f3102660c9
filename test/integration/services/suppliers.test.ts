import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '#shared/scoring/diagnosis';
import { supplierDiagnosisV1 as inst } from '#shared/instruments/supplier-diagnosis-v1';
import { openApp, snapshot, supplierData, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** An app whose calendar says `today` (local noon, so no time zone moves the day). */
function appOn(today: string): TestApp {
  return openApp({ now: () => new Date(`${today}T12:00:00`).getTime() });
}

const sanction = (orgId: string, decidedOn: string, over: Record<string, unknown> = {}) => ({
  orgId,
  kind: 'payback' as const,
  foundOn: decidedOn,
  decidedOn,
  decision: '참여제한 5년, 지원금 전액 환수',
  clawbackKrw: 120_000_000,
  projectRef: '2024 스마트공장 고도화',
  ...over,
});

async function finalisedDiagnosis(app: TestApp, supplierId: string, score = 5) {
  const { id } = await app.ok('diagnoses.create', { supplierId, track: 'basic', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '' });
  for (const item of itemsOf(inst, 'basic')) await app.ok('diagnoses.saveAnswer', { diagnosisId: id, itemId: item.id, score });
  await app.ok('diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }] });
  return id;
}

describe('sanctions and standing', () => {
  it('excludes for five years from the decision and flags the supplier in the list', async () => {
    const app = appOn('2026-11-25');
    const { id } = await app.ok('suppliers.create', supplierData({ name: '부정테크' }));
    await app.ok('sanctions.save', sanction(id, '2022-03-02'));
    const list = await app.ok('sanctions.list', { orgId: id });
    expect(list.rows[0]).toMatchObject({ kind: 'payback', exclusionEnds: '2027-03-02', clawbackKrw: 120_000_000 });
    expect(list.standing).toEqual({ state: 'excluded', findings: 1, until: '2027-03-02', specialInspection: true });
    expect((await app.ok('suppliers.list', {})).rows.find((r) => r.id === id)?.standing).toBe('excluded');
  });

  it('is clear again the day after the fifth anniversary, and barred for good at a second finding', async () => {
    const app = appOn('2027-03-03');
    const { id } = await app.ok('suppliers.create', supplierData());
    await app.ok('sanctions.save', sanction(id, '2022-03-02'));
    expect((await app.ok('sanctions.list', { orgId: id })).standing.state).toBe('clear');
    await app.ok('sanctions.save', sanction(id, '2027-03-03', { kind: 'inflated_labour' }));
    expect((await app.ok('sanctions.list', { orgId: id })).standing).toEqual({ state: 'barred', findings: 2, specialInspection: true });
    expect((await app.ok('suppliers.list', {})).rows[0]?.standing).toBe('barred');
  });

  it('withdraws a record entered in error, keeping it in the change log', async () => {
    const app = appOn('2026-11-25');
    const { id } = await app.ok('suppliers.create', supplierData());
    const { id: sid } = await app.ok('sanctions.save', sanction(id, '2026-01-10'));
    await app.ok('sanctions.withdraw', { id: sid });
    expect(await app.ok('sanctions.list', { orgId: id })).toMatchObject({ rows: [], standing: { state: 'clear', findings: 0 } });
    expect(app.sqlite.prepare("SELECT count(*) AS n FROM change_log WHERE tbl = 'sanctions' AND row_id = ? AND field = 'deleted_at'").get(sid)).toEqual({ n: 1 });
    expect(app.sqlite.prepare('SELECT decision FROM sanctions WHERE id = ?').get(sid)).toEqual({ decision: '참여제한 5년, 지원금 전액 환수' });
  });

  it('refuses a decision dated before the finding, or a negative clawback, with translated field errors and no write', async () => {
    const app = appOn('2026-11-25');
    const { id } = await app.ok('suppliers.create', supplierData());
    const before = snapshot(app.sqlite);
    expect(await app.fail('sanctions.save', sanction(id, '2026-01-10', { foundOn: '2026-02-01' }))).toMatchObject({ fields: { decidedOn: { key: 'validation.decidedBeforeFound' } } });
    expect(await app.fail('sanctions.save', sanction(id, '2026-01-10', { clawbackKrw: -1 }))).toMatchObject({ fields: { clawbackKrw: { key: 'validation.tooSmall' } } });
    expect(snapshot(app.sqlite)).toEqual(before);
  });
});

describe('VC link', () => {
  it('checks 5억원 in the last three years and a technology-intensive field, with reasons', async () => {
    const app = appOn('2026-11-25');
    const { id } = await app.ok(
      'suppliers.create',
      supplierData({ techFields: ['digital_twin'], vcInvestments: [{ amount: 300_000_000, investedOn: '2023-11-25', investor: 'A벤처' }, { amount: 400_000_000, investedOn: '2025-06-01', investor: 'B캐피탈' }] }),
    );
    const link = await app.ok('suppliers.vcLink', { id });
    expect(link).toMatchObject({ eligible: false, recentKrw: 400_000_000, since: '2023-11-26', intensiveFields: ['digital_twin'] });
    expect(link.reasons.map((r) => r.key)).toEqual(['vcLink.amountShort', 'vcLink.fieldOk']);
  });
});

describe('DX portal profile', () => {
  it('publishes only what a consultant approved, and asks again when the data changed', async () => {
    const app = appOn('2026-11-25');
    const data = supplierData({ name: '포털솔루션', techFields: ['mes', 'ai'], buildRecordCount: 31, financials: [{ fiscalYear: 2025, revenue: 9_800_000_000, operatingProfit: 500_000_000 }] });
    const { id } = await app.ok('suppliers.create', data);
    expect(await app.fail('portal.approve', { id, approvedBy: '정컨설' })).toMatchObject({ messageKey: 'errors.supplier.noDiagnosis' });
    await finalisedDiagnosis(app, id, 5);
    const before = await app.ok('portal.get', { id });
    expect(before).toMatchObject({ approved: null, upToDate: false });
    expect(before.current).toMatchObject({ name: '포털솔루션', buildRecordCount: 31, satisfaction: 5, revenue: { fiscalYear: 2025, krw: 9_800_000_000 }, level: { grade: 'Level 1', excellent: true } });
    expect(await app.fail('portal.export', { id })).toMatchObject({ messageKey: 'errors.supplier.notApproved' });
    await app.ok('portal.approve', { id, approvedBy: '정컨설' });
    const { path } = await app.ok('portal.export', { id });
    const json = JSON.parse(fs.readFileSync(path as string, 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ schema: 'dx-mentor/supplier-profile@1', brn: data.brn.replace(/-/g, ''), techFields: ['ai', 'mes'], approvedBy: '정컨설' });
    // The build record changes: the approval is out of date until approved again.
    await app.ok('suppliers.update', { ...data, id, buildRecordCount: 35 });
    expect((await app.ok('portal.get', { id })).upToDate).toBe(false);
    expect(await app.fail('portal.export', { id })).toMatchObject({ messageKey: 'errors.supplier.approvalOutdated' });
  });

  it('does not publish an excluded supplier', async () => {
    const app = appOn('2026-11-25');
    const { id } = await app.ok('suppliers.create', supplierData());
    await finalisedDiagnosis(app, id);
    await app.ok('sanctions.save', sanction(id, '2025-05-05'));
    expect(await app.fail('portal.approve', { id, approvedBy: '정컨설' })).toMatchObject({ code: 'conflict', messageKey: 'errors.supplier.excluded', params: { until: '2030-05-05' } });
  });
});
