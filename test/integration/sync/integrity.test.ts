import { describe, expect, it } from 'vitest';
import { levelConfirmationV1 } from '#shared/instruments/level-confirmation-v1';
import { companyData, openApp, supplierData, useCleanup } from '../fixtures.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('local data against its change log', () => {
  it('every write path leaves rows equal to their logged values; a row edited behind the app’s back is found and put back', async () => {
    const app = openApp({ now: () => new Date('2026-11-20T10:00:00').getTime() });
    const { id: companyId } = await app.ok('companies.create', companyData({ name: '점검정밀', financials: [{ fiscalYear: 2025, revenue: 5_000_000_000, operatingProfit: -20_000_000 }] }));
    const { id: supplierId } = await app.ok('suppliers.create', supplierData({ name: '점검솔루션' }));
    const { id: assessmentId } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    await app.ok('assessments.saveAnswer', { assessmentId, itemId: 'ceo_vision', value: 4 });
    await app.ok('actions.create', { companyId, title: '작업표준서 정비', owner: '', dueOn: '2026-12-31', severity: 'high' });
    const { id: projectId } = await app.ok('projects.create', {
      companyId, programme: 'intelligent_basic', title: 'MES', startsOn: '2025-03-01', endsOn: '2025-12-31', contractOn: null, finalInspectionOn: null,
      budgetGov: 1, budgetCompany: 1, budgetLarge: 0, swLabourKrw: null, scopeUnits: null, gradesBilled: {}, gradesDeclared: {}, supplierIds: [supplierId], notes: '',
    });
    await app.ok('projects.addPhoto', { projectId, fileName: 'a.png', caption: '', data: png });
    const { id: confirmationId } = await app.ok('levels.create', { companyId, projectId, assessedOn: '2026-11-20' });
    for (const a of levelConfirmationV1.areas) await app.ok('levels.saveStep', { confirmationId, areaId: a.id, step: 3, evidence: '확인' });
    await app.ok('levels.finalize', { id: confirmationId, signatures: [{ role: 'lead', name: '김평가', png }, { role: 'second', name: '이평가', png }] });
    const cert = await app.ok('certificates.issue', { confirmationId, passphrase: 'factory-2026!' });
    await app.ok('certificates.revoke', { id: cert.id, reason: '재평가' });
    await app.ok('suppliers.archive', { id: supplierId });

    expect(app.services.sync.checkIntegrity()).toEqual({ altered: [], unlogged: [], repaired: 0 });

    // Someone edits the file with a database tool: a name, an answer, an archived flag, and a row with no history.
    app.sqlite.prepare('UPDATE organizations SET name = ? WHERE id = ?').run('바뀐이름', companyId);
    app.sqlite.prepare("UPDATE assessment_answers SET value = '5' WHERE assessment_id = ? AND item_id = 'ceo_vision'").run(assessmentId);
    app.sqlite.prepare('UPDATE organizations SET deleted_at = NULL WHERE id = ?').run(supplierId);
    app.sqlite.prepare("INSERT INTO contacts (id, created_at, updated_at, origin_device, org_id, name, role, phone, email) VALUES ('x1', '2026-01-01', '2026-01-01', 'd', ?, '유령', '', '', '')").run(companyId);
    const found = app.services.sync.checkIntegrity(true);
    expect(found.altered.map((a) => `${a.tbl}.${a.field}`).sort()).toEqual(['assessment_answers.value', 'organizations.deleted_at', 'organizations.name']);
    expect(found.unlogged).toEqual([{ tbl: 'contacts', rowId: 'x1' }]);
    expect(found.repaired).toBe(3);
    expect((await app.ok('companies.get', { id: companyId })).name).toBe('점검정밀');
    expect((await app.ok('assessments.get', { id: assessmentId })).answers.ceo_vision?.value).toBe(4);
    expect(app.services.sync.checkIntegrity().altered).toEqual([]);
  });
});
