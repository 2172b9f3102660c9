import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '#shared/scoring/diagnosis';
import { supplierDiagnosisV1 as inst } from '#shared/instruments/supplier-diagnosis-v1';
import { count, openApp, snapshot, supplierData, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const NOW = Date.parse('2026-11-25T09:00:00+09:00');

async function supplier(app: TestApp, over: Parameters<typeof supplierData>[0] = {}) {
  return (await app.ok('suppliers.create', supplierData({ name: '스마트팩토리솔루션', techFields: ['mes', 'ai'], buildRecordCount: 42, ...over }))).id;
}

async function diagnose(app: TestApp, supplierId: string, score: (itemId: string) => number, opts: { track?: 'basic' | 'in_depth'; consultantName?: string; diagnosedOn?: string } = {}) {
  const track = opts.track ?? 'basic';
  const { id } = await app.ok('diagnoses.create', { supplierId, track, consultantName: opts.consultantName ?? '정컨설', diagnosedOn: opts.diagnosedOn ?? '2026-11-20', strategy: '' });
  for (const item of itemsOf(inst, track)) await app.ok('diagnoses.saveAnswer', { diagnosisId: id, itemId: item.id, score: score(item.id) });
  return id;
}

describe('supplier diagnosis', () => {
  it('scores each answer as it is saved and grades on the stated scale', async () => {
    const app = openApp({ now: () => NOW });
    const supplierId = await supplier(app);
    const { id } = await app.ok('diagnoses.create', { supplierId, track: 'basic', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '' });
    const first = await app.ok('diagnoses.saveAnswer', { diagnosisId: id, itemId: 't_ai', score: 5 });
    expect(first.result.points).toBeGreaterThan(0);
    expect(first.result.complete).toBe(false);
    for (const item of itemsOf(inst, 'basic')) await app.ok('diagnoses.saveAnswer', { diagnosisId: id, itemId: item.id, score: 4 });
    const view = await app.ok('diagnoses.get', { id });
    // All 4s is 75 % of every weight: 750 points, the bottom of Level 2-.
    expect(view.result).toMatchObject({ points: 750, grade: { label: 'Level 2-' }, complete: true, toNextGrade: { label: 'Level 2', points: 50 } });
    expect(view.result.areas.map((a) => a.percent)).toEqual([75, 75, 75]);
    expect(Object.keys(view.answers)).toHaveLength(34);
  });

  it('refuses a score outside 1–5, an unknown item, and an in-depth item on the basic track, writing nothing', async () => {
    const app = openApp();
    const supplierId = await supplier(app);
    const { id } = await app.ok('diagnoses.create', { supplierId, track: 'basic', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '' });
    const before = snapshot(app.sqlite);
    expect(await app.fail('diagnoses.saveAnswer', { diagnosisId: id, itemId: 't_ai', score: 6 })).toMatchObject({ code: 'validation', fields: { score: { key: 'validation.tooLarge' } } });
    expect(await app.fail('diagnoses.saveAnswer', { diagnosisId: id, itemId: 'nope', score: 3 })).toMatchObject({ fields: { itemId: { key: 'validation.choice' } } });
    expect(await app.fail('diagnoses.saveAnswer', { diagnosisId: id, itemId: 't_cloud', score: 3 })).toMatchObject({ fields: { itemId: { key: 'validation.choice' } } });
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('refuses to diagnose a company (not a supplier)', async () => {
    const app = openApp();
    const { id: companyId } = await app.ok('companies.create', { ...supplierData(), financials: [], contacts: [] });
    expect(await app.fail('diagnoses.create', { supplierId: companyId, track: 'basic', consultantName: 'a', diagnosedOn: '2026-11-20', strategy: '' })).toMatchObject({ code: 'not_found' });
  });

  it('suggests a consulting plan from the weakest items, keeps the consultant’s edits, and does not suggest twice', async () => {
    const app = openApp();
    const supplierId = await supplier(app);
    const id = await diagnose(app, supplierId, (itemId) => (itemId === 't_ai' ? 1 : itemId.startsWith('p_') ? 3 : 4));
    expect((await app.ok('diagnoses.suggestPlan', { id })).added).toBe(6);
    let view = await app.ok('diagnoses.get', { id });
    expect(view.plan[0]).toMatchObject({ itemId: 't_ai', what: 'AI 적용 역량: 1점 → 3점', dueOn: '2027-02-20' });
    const edited = view.plan.map((p, i) => (i === 0 ? { ...p, what: 'AI 품질검사 파일럿 2곳 구축', how: '비전 검사 PoC' } : p)).slice(0, 3);
    await app.ok('diagnoses.savePlan', { id, plan: [...edited, { itemId: null, what: '영업 조직 정비', how: '', dueOn: null }] });
    view = await app.ok('diagnoses.get', { id });
    expect(view.plan.map((p) => p.what)).toEqual(['AI 품질검사 파일럿 2곳 구축', view.plan[1]?.what, view.plan[2]?.what, '영업 조직 정비']);
    expect(view.plan[0]?.id).toBe(edited[0]?.id);
    // The three removed rows are archived (tombstones), not deleted.
    expect(count(app.sqlite, 'diagnosis_plan_items', 'diagnosis_id = ? AND deleted_at IS NOT NULL', id)).toBe(3);
    // Items already in the plan are not suggested again.
    const again = await app.ok('diagnoses.suggestPlan', { id });
    expect(again.added).toBe(3);
    expect((await app.ok('diagnoses.get', { id })).plan.filter((p) => p.itemId === 't_ai')).toHaveLength(1);
  });

  it('refuses a plan step without what, or with a bad date, naming the row', async () => {
    const app = openApp();
    const id = await diagnose(app, await supplier(app), () => 3);
    const err = await app.fail('diagnoses.savePlan', { id, plan: [{ itemId: null, what: ' ', how: '', dueOn: '2027-02-30' }] });
    expect(err).toMatchObject({ code: 'validation', fields: { 'plan.0.what': { key: 'validation.required' }, 'plan.0.dueOn': { key: 'validation.date' } } });
  });

  it('finalises only a complete diagnosis with the consultant’s signature, then locks scores, plan and header', async () => {
    const app = openApp();
    const supplierId = await supplier(app);
    const { id } = await app.ok('diagnoses.create', { supplierId, track: 'basic', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '' });
    await app.ok('diagnoses.saveAnswer', { diagnosisId: id, itemId: 't_ai', score: 3 });
    expect(await app.fail('diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }] })).toMatchObject({
      messageKey: 'errors.diagnosis.incomplete',
      params: { count: 33 },
    });
    for (const item of itemsOf(inst, 'basic')) await app.ok('diagnoses.saveAnswer', { diagnosisId: id, itemId: item.id, score: 3 });
    expect(await app.fail('diagnoses.finalize', { id, signatures: [] })).toMatchObject({ messageKey: 'errors.diagnosis.consultantSignature' });
    const { result } = await app.ok('diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }, { role: 'supplier', name: '김대표', png }] });
    expect(result.grade.label).toBe('Level 4');
    const before = snapshot(app.sqlite);
    for (const [name, input] of [
      ['diagnoses.saveAnswer', { diagnosisId: id, itemId: 't_ai', score: 5 }],
      ['diagnoses.savePlan', { id, plan: [{ itemId: null, what: 'x', how: '', dueOn: null }] }],
      ['diagnoses.suggestPlan', { id }],
      ['diagnoses.updateHeader', { id, track: 'basic', consultantName: '다른이', diagnosedOn: '2026-11-21', strategy: '' }],
      ['diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }] }],
    ] as const) {
      expect(await app.fail(name, input), name).toMatchObject({ code: 'locked' });
    }
    expect(snapshot(app.sqlite)).toEqual(before);
    const view = await app.ok('diagnoses.get', { id });
    expect(view.signatures.map((s) => [s.role, s.signerName])).toEqual([
      ['consultant', '정컨설'],
      ['supplier', '김대표'],
    ]);
  });

  it('needs the plan and the mid-term strategy to finalise an in-depth diagnosis', async () => {
    const app = openApp();
    const id = await diagnose(app, await supplier(app), () => 3, { track: 'in_depth' });
    const err = await app.fail('diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }] });
    expect(err).toMatchObject({ messageKey: 'errors.diagnosis.inDepthNeedsPlan', fields: { plan: { key: 'validation.required' }, strategy: { key: 'validation.required' } } });
    await app.ok('diagnoses.suggestPlan', { id });
    await app.ok('diagnoses.updateHeader', { id, track: 'in_depth', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '2027년 클라우드 MES 출시, 2028년 AI 품질 모듈' });
    const { result } = await app.ok('diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }] });
    expect(result.track).toBe('in_depth');
  });

  it('compares a re-diagnosis with the last finalised one, and lists the supplier’s diagnoses newest first', async () => {
    const app = openApp();
    const supplierId = await supplier(app);
    const first = await diagnose(app, supplierId, () => 3, { diagnosedOn: '2025-10-01' });
    await app.ok('diagnoses.finalize', { id: first, signatures: [{ role: 'consultant', name: '정컨설', png }] });
    // Basic track, 94 weight points: management 30 at 50 % = 159.6, technology 31 and project 33 at 75 % = 510.6,
    // 670.2 in all: from Level 4 (500) up to Level 3 (≥ 650).
    const second = await diagnose(app, supplierId, (itemId) => (itemId.startsWith('t_') || itemId.startsWith('p_') ? 4 : 3), { diagnosedOn: '2026-11-20', consultantName: '한컨설' });
    const view = await app.ok('diagnoses.get', { id: second });
    expect(view.previous).toMatchObject({ id: first, diagnosedOn: '2025-10-01', consultantName: '정컨설', result: { grade: { label: 'Level 4' } } });
    expect(view.previous?.scores.t_ai).toBe(3);
    expect(view.result).toMatchObject({ points: 670.2, grade: { label: 'Level 3' } });
    const list = await app.ok('diagnoses.listForSupplier', { supplierId });
    expect(list.rows.map((r) => [r.diagnosedOn, r.grade, r.finalizedAt !== null])).toEqual([
      ['2026-11-20', 'Level 3', false],
      ['2025-10-01', 'Level 4', true],
    ]);
  });

  it('lists suppliers with their level, sortable by level and filterable by technology field and region', async () => {
    const app = openApp();
    const a = await supplier(app, { name: '가온시스템', techFields: ['ai'], region: '11' });
    const b = await supplier(app, { name: '나래테크', techFields: ['mes'], region: '41' });
    await supplier(app, { name: '다온소프트', techFields: ['ai'], region: '41' });
    for (const [id, s] of [
      [a, 3],
      [b, 5],
    ] as const) {
      const d = await diagnose(app, id, () => s);
      await app.ok('diagnoses.finalize', { id: d, signatures: [{ role: 'consultant', name: '정컨설', png }] });
    }
    const byLevel = await app.ok('suppliers.list', { sort: { field: 'level', dir: 'desc' } });
    expect(byLevel.rows.map((r) => [r.name, r.level?.grade ?? null])).toEqual([
      ['나래테크', 'Level 1'],
      ['가온시스템', 'Level 4'],
      ['다온소프트', null],
    ]);
    expect(byLevel.rows[0]?.level?.excellent).toBe(true);
    const ascending = await app.ok('suppliers.list', { sort: { field: 'level', dir: 'asc' } });
    expect(ascending.rows.map((r) => r.name)).toEqual(['가온시스템', '나래테크', '다온소프트']);
    const aiIn41 = await app.ok('suppliers.list', { techFields: ['ai'], regions: ['41'], sort: { field: 'level', dir: 'desc' } });
    expect(aiIn41.rows.map((r) => r.name)).toEqual(['다온소프트']);
  });

  it('exports the report in Korean and English with the grade, areas, plan and signatures', async () => {
    const app = openApp();
    const supplierId = await supplier(app);
    const id = await diagnose(app, supplierId, (itemId) => (itemId === 't_ai' ? 1 : 4), { track: 'in_depth' });
    await app.ok('diagnoses.suggestPlan', { id });
    await app.ok('diagnoses.updateHeader', { id, track: 'in_depth', consultantName: '정컨설', diagnosedOn: '2026-11-20', strategy: '클라우드 MES 전환과 AI 품질검사 모듈 상품화' });
    await app.ok('diagnoses.finalize', { id, signatures: [{ role: 'consultant', name: '정컨설', png }, { role: 'supplier', name: '김대표', png }] });
    const ko = await app.ok('reports.exportDiagnosis', { id, language: 'ko' });
    expect(ko.path).toMatch(/스마트팩토리솔루션_공급기업역량진단_2026-11-20\.pdf$/);
    const body = execFileSync('pdftotext', ['-layout', ko.path as string, '-']).toString('utf8');
    for (const s of ['스마트팩토리솔루션 공급기업 역량진단 보고서', '심층진단', 'Level 2-', '영역별 결과', '컨설팅 계획', 'AI 적용 역량: 1점 → 3점', '중기 전략', '클라우드 MES 전환', '항목별 진단', '진단 컨설턴트', '김대표']) {
      expect(body, s).toContain(s);
    }
    const en = await app.ok('reports.exportDiagnosis', { id, language: 'en' });
    const enBody = execFileSync('pdftotext', ['-layout', en.path as string, '-']).toString('utf8');
    expect(enBody).toContain('supplier capability diagnosis');
    expect(enBody).toContain('Consulting plan');
    expect(fs.readFileSync(en.path as string).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
