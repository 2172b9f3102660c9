import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssessmentResult } from '#shared/scoring/assessment';
import { companyData, count, MIDDLING_ANSWERS as middling, openApp, REPO, useCleanup } from '../fixtures.ts';

useCleanup();


async function setup() {
  const app = openApp();
  const { id: companyId } = await app.ok('companies.create', companyData({ name: '대한정밀공업' }));
  const { id: visitId } = await app.ok('visits.create', {
    companyId,
    visitedOn: '2026-11-20',
    place: '안산 공장 회의실',
    purpose: 'assessment',
    notes: '',
    attendees: [{ name: '김철수', role: '공장장' }],
  });
  const { id } = await app.ok('assessments.create', { companyId, visitId, instrumentId: 'company-dx' });
  return { app, companyId, visitId, id };
}

async function answerAll(app: ReturnType<typeof openApp>, assessmentId: string, answers: Record<string, unknown>) {
  let last: AssessmentResult | undefined;
  for (const [itemId, value] of Object.entries(answers)) last = (await app.ok('assessments.saveAnswer', { assessmentId, itemId, value })).result;
  return last as AssessmentResult;
}

describe('visits', () => {
  it('records a visit with its attendees and lists it on the company', async () => {
    const { app, companyId } = await setup();
    const { rows } = await app.ok('visits.list', { companyId });
    expect(rows).toEqual([expect.objectContaining({ visitedOn: '2026-11-20', purpose: 'assessment', attendees: '김철수', place: '안산 공장 회의실' })]);
  });
});

describe('assessment autosave and result', () => {
  it('starts provisional and reaches the hand-worked average type as answers arrive', async () => {
    const { app, id } = await setup();
    const empty = await app.ok('assessments.get', { id });
    expect(empty.result.complete).toBe(false);
    expect(empty.instrumentVersion).toBe(1);
    const result = await answerAll(app, id, middling);
    expect(result).toMatchObject({ type: 'average', complete: true });
    expect(Math.abs(result.capability - 55.65)).toBeLessThanOrEqual(0.06);
    // Each answer is its own row, logged field by field.
    expect(count(app.sqlite, 'assessment_answers', 'assessment_id = ?', id)).toBe(Object.keys(middling).length);
    expect(count(app.sqlite, 'change_log', "tbl = 'assessment_answers' AND field = 'value'")).toBe(Object.keys(middling).length);
  });

  it('refuses an answer of the wrong kind with a field error and writes nothing', async () => {
    const { app, id } = await setup();
    const before = count(app.sqlite, 'change_log');
    const bad = await app.call('assessments.saveAnswer', { assessmentId: id, itemId: 'ceo_vision', value: 9 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', fields: { value: { key: 'validation.tooLarge' } } } });
    const unknownItem = await app.call('assessments.saveAnswer', { assessmentId: id, itemId: 'no_such_item', value: 1 });
    expect(unknownItem).toMatchObject({ ok: false, error: { fields: { itemId: { key: 'validation.choice' } } } });
    const both = await app.call('assessments.saveAnswer', { assessmentId: id, itemId: 'org_roles', value: { done: ['dx_kpi'], planned: ['dx_kpi'] } });
    expect(both).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(count(app.sqlite, 'change_log')).toBe(before);
  });

  it('keeps every answer’s history: old value, new value, who and when', async () => {
    const { app, id } = await setup();
    await app.ok('assessments.saveAnswer', { assessmentId: id, itemId: 'digital_level', value: 2 });
    await app.ok('assessments.saveAnswer', { assessmentId: id, itemId: 'digital_level', value: 4, comment: 'MES 화면 확인' });
    await app.ok('assessments.saveAnswer', { assessmentId: id, itemId: 'digital_level', value: 4 });
    const { rows } = await app.ok('assessments.history', { assessmentId: id, itemId: 'digital_level' });
    const values = rows.filter((r) => r.field === 'value');
    expect(values.map((r) => [r.oldValue, r.newValue])).toEqual([
      [null, 2],
      [2, 4],
    ]);
    expect(rows.find((r) => r.field === 'comment' && r.newValue === 'MES 화면 확인')).toBeDefined();
    expect(values[0]?.userId).toBe(app.services.settings.userId());
  });

  it('loses no answer when the process is killed mid-form (SIGKILL) and reopened', async () => {
    const { app, id } = await setup();
    const file = app.file;
    app.services.close();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/fixtures/answer-then-hang.ts'), file, id, JSON.stringify({ ceo_vision: 4, ceo_budget: 'yes', org_staff: 3 })], { cwd: REPO });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child did not save: ${out}`)), 20_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ALL SAVED')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const reopened = openApp({ file, dir: app.dir });
    const view = await reopened.ok('assessments.get', { id });
    expect(Object.fromEntries(Object.entries(view.answers).map(([k, v]) => [k, v.value]))).toEqual({ ceo_vision: 4, ceo_budget: 'yes', org_staff: 3 });
  });
});

describe('finalise, lock and correct', () => {
  it('refuses to finalise with required items missing, naming them', async () => {
    const { app, id } = await setup();
    await app.ok('assessments.saveAnswer', { assessmentId: id, itemId: 'ceo_vision', value: 5 });
    const r = await app.call('assessments.finalize', { id });
    expect(r).toMatchObject({ ok: false, error: { messageKey: 'errors.assessment.incomplete', fields: { ceo_budget: { key: 'validation.required' } } } });
    expect((await app.ok('assessments.get', { id })).finalizedAt).toBeNull();
  });

  it('stores the result with the instrument version and refuses every later edit', async () => {
    const { app, id, companyId } = await setup();
    await answerAll(app, id, middling);
    const { result } = await app.ok('assessments.finalize', { id });
    const stored = await app.ok('assessments.get', { id });
    expect(stored.finalizedAt).not.toBeNull();
    expect(stored.result).toEqual(result);
    expect(JSON.parse(app.sqlite.prepare('SELECT result FROM assessments WHERE id = ?').pluck().get(id) as string)).toMatchObject({ instrumentId: 'company-dx', instrumentVersion: 1, type: 'average' });

    const log = count(app.sqlite, 'change_log');
    for (const [name, input] of [
      ['assessments.saveAnswer', { assessmentId: id, itemId: 'ceo_vision', value: 5 }],
      ['assessments.saveAnswer', { assessmentId: id, itemId: 'notes', value: '추가 메모' }],
      ['assessments.saveKpi', { assessmentId: id, kpiId: 'defect_rate', value: 2.5 }],
      ['assessments.setOverride', { assessmentId: id, type: 'excellent', reason: '현장 확인 결과 선도 수준으로 판단함' }],
      ['assessments.finalize', { id }],
    ] as const) {
      const r = await app.call(name, input);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'locked', messageKey: 'errors.locked' } });
    }
    expect(count(app.sqlite, 'change_log')).toBe(log);

    // A correction is a new draft linked to the finalised one, with the same answers.
    const { id: revised } = await app.ok('assessments.revise', { id });
    const draft = await app.ok('assessments.get', { id: revised });
    expect(draft).toMatchObject({ supersedesId: id, finalizedAt: null, companyId });
    // The finalised one is the T0 the charts compare against.
    expect(draft.previous).toMatchObject({ id, result: { type: 'average' } });
    expect(stored.previous).toBeNull();
    expect(Object.keys(draft.answers).sort()).toEqual(Object.keys(middling).sort());
    await app.ok('assessments.saveAnswer', { assessmentId: revised, itemId: 'ceo_vision', value: 5 });
    expect((await app.ok('assessments.get', { id })).result).toEqual(result);
    const { rows } = await app.ok('assessments.listForCompany', { companyId });
    expect(rows.map((r) => r.id)).toEqual([revised, id]);
  });

  it('overrides the type only with a written reason, and keeps it', async () => {
    const { app, id } = await setup();
    const noReason = await app.call('assessments.setOverride', { assessmentId: id, type: 'weak', reason: '짧음' });
    expect(noReason).toMatchObject({ ok: false, error: { fields: { reason: { key: 'validation.overrideReason' } } } });
    await app.ok('assessments.setOverride', { assessmentId: id, type: 'weak', reason: '재무제표상 자본잠식 상태로 투자여력 낮음' });
    expect(await app.ok('assessments.get', { id })).toMatchObject({ typeOverride: 'weak', overrideReason: '재무제표상 자본잠식 상태로 투자여력 낮음' });
  });
});

describe('investment capacity from the company record', () => {
  it('prefills revenue, margin and growth from the two latest fiscal years, and they stay editable', async () => {
    const app = openApp();
    const { id: companyId } = await app.ok(
      'companies.create',
      companyData({
        financials: [
          { fiscalYear: 2025, revenue: 12_000_000_000, operatingProfit: 600_000_000 },
          { fiscalYear: 2024, revenue: 10_000_000_000, operatingProfit: -100_000_000 },
        ],
      }),
    );
    const { id } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    const view = await app.ok('assessments.get', { id });
    expect(view.answers.inv_revenue?.value).toBe(12_000_000_000);
    expect(view.answers.inv_margin?.value).toBe(5);
    expect(view.answers.inv_growth?.value).toBe(20);
    await app.ok('assessments.saveAnswer', { assessmentId: id, itemId: 'inv_margin', value: 4.5 });
    expect((await app.ok('assessments.get', { id })).answers.inv_margin?.value).toBe(4.5);
  });

  it('prefills nothing when the company has no figures', async () => {
    const app = openApp();
    const { id: companyId } = await app.ok('companies.create', companyData({ financials: [] }));
    const { id } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    expect((await app.ok('assessments.get', { id })).answers).toEqual({});
  });
});

describe('dashboard portfolio', () => {
  it('counts companies by their latest finalised type, drafts in progress and this month’s visits', async () => {
    const { app, id } = await setup();
    await app.ok('visits.create', { companyId: (await app.ok('assessments.get', { id })).companyId, visitedOn: new Date().toISOString().slice(0, 10), place: '', purpose: 'consulting', notes: '', attendees: [] });
    const before = await app.ok('dashboard.summary', {});
    expect(before.assessmentsInProgress).toBe(1);
    expect(before.byType).toEqual({ excellent: 0, average: 0, weak: 0 });
    expect(before.visitsThisMonth).toBeGreaterThanOrEqual(1);
    await answerAll(app, id, middling);
    await app.ok('assessments.finalize', { id });
    const after = await app.ok('dashboard.summary', {});
    expect(after.byType).toEqual({ excellent: 0, average: 1, weak: 0 });
    expect(after.assessmentsInProgress).toBe(0);
    // Finalising made follow-up actions due in 60+ days: none is due yet; bring one forward and it counts.
    expect(after.actionsDue).toBe(0);
    const companyId = (await app.ok('assessments.get', { id })).companyId;
    const [action] = (await app.ok('actions.list', { companyId })).rows;
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await app.ok('actions.update', { id: action!.id, title: action!.title, owner: '', dueOn: soon, severity: 'high', status: 'open' });
    expect((await app.ok('dashboard.summary', {})).actionsDue).toBe(1);
  });
});

describe('signatures at finalisation', () => {
  // A 1×1 transparent PNG.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

  it('stores both mentors’ drawn signatures with the finalised result and shows them afterwards', async () => {
    const { app, id } = await setup();
    await answerAll(app, id, middling);
    await app.ok('assessments.finalize', { id, signatures: [{ role: 'process', name: '김공정', png }, { role: 'ai', name: '이에이', png }] });
    const view = await app.ok('assessments.get', { id });
    expect(view.signatures.map((s) => [s.role, s.signerName])).toEqual([
      ['process', '김공정'],
      ['ai', '이에이'],
    ]);
    expect(app.services.assessments.signatureImages(id).get('ai')?.subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a signature that is not a PNG, or two of the same role, and stays a draft', async () => {
    const { app, id } = await setup();
    await answerAll(app, id, middling);
    const bad = await app.call('assessments.finalize', { id, signatures: [{ role: 'process', name: '김공정', png: 'aGVsbG8=' }] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', fields: { 'signatures.0.png': { key: 'validation.signature' } } } });
    const twice = await app.call('assessments.finalize', { id, signatures: [{ role: 'ai', name: 'a', png }, { role: 'ai', name: 'b', png }] });
    expect(twice).toMatchObject({ ok: false, error: { fields: { signatures: { key: 'validation.signatureTwice' } } } });
    expect((await app.ok('assessments.get', { id })).finalizedAt).toBeNull();
    expect(count(app.sqlite, 'assessment_signatures')).toBe(0);
  });
});

describe('KPI baseline', () => {
  it('records the starting KPIs for the post-build comparison, and refuses unknown KPIs', async () => {
    const { app, id } = await setup();
    await app.ok('assessments.saveKpi', { assessmentId: id, kpiId: 'defect_rate', value: 2.4 });
    await app.ok('assessments.saveKpi', { assessmentId: id, kpiId: 'employment', value: 48 });
    await app.ok('assessments.saveKpi', { assessmentId: id, kpiId: 'defect_rate', value: 2.1 });
    expect((await app.ok('assessments.get', { id })).kpis).toEqual({ defect_rate: 2.1, employment: 48 });
    expect(await app.call('assessments.saveKpi', { assessmentId: id, kpiId: 'happiness', value: 1 })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});

describe('follow-up actions', () => {
  it('turns the weakest answers into actions when finalising, most severe first, editable and closable', async () => {
    const { app, id, companyId } = await setup();
    await answerAll(app, id, middling);
    await app.ok('assessments.finalize', { id });
    const { rows } = await app.ok('actions.list', { companyId });
    // ai_use (1 → score 0) and inv_finance_access ('no') are the weakest answers.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.severity === 'high').map((r) => r.itemId).sort()).toEqual(['ai_use', 'inv_finance_access']);
    expect(rows.every((r) => r.assessmentId === id && r.status === 'open' && r.dueOn !== null)).toBe(true);
    expect(rows.find((r) => r.itemId === 'ai_use')?.title).toBe('AI·고급 분석을 현장에 적용하고 있습니까?');

    const first = rows[0]!;
    await app.ok('actions.update', { id: first.id, title: 'AI 품질검사 PoC 계획 수립', owner: '박과장', dueOn: '2027-03-31', severity: 'high', status: 'done' });
    const after = (await app.ok('actions.list', { companyId })).rows;
    expect(after.at(-1)).toMatchObject({ id: first.id, status: 'done', owner: '박과장' });
    // Actions stay editable after the assessment is locked; a blank title is refused.
    expect(await app.call('actions.update', { id: first.id, title: ' ', owner: '', dueOn: null, severity: 'low', status: 'open' })).toMatchObject({
      ok: false,
      error: { fields: { title: { key: 'validation.required' } } },
    });
  });

  it('lets the mentors add their own action', async () => {
    const { app, companyId } = await setup();
    await app.ok('actions.create', { companyId, title: '자재 입출고 바코드 도입 검토', owner: '', dueOn: null, severity: 'low' });
    expect((await app.ok('actions.list', { companyId })).rows.map((r) => r.title)).toEqual(['자재 입출고 바코드 도입 검토']);
  });
});

describe('peer comparison', () => {
  async function peerCompany(app: ReturnType<typeof openApp>, i: number, employees: number, digital: number) {
    const { id: companyId } = await app.ok('companies.create', companyData({ name: `동종기업${i}`, ksicCode: '29171', employees }));
    const { id } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    await answerAll(app, id, { ...middling, digital_level: digital });
    await app.ok('assessments.finalize', { id });
  }

  it('shows percentiles only with enough peers of the same industry and size band', async () => {
    const app = openApp();
    const { id: companyId } = await app.ok('companies.create', companyData({ name: '우리회사', ksicCode: '29199', employees: 30 }));
    const { id } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
    await answerAll(app, id, { ...middling, digital_level: 4 });
    for (let i = 0; i < 4; i++) await peerCompany(app, i, 20 + i, 1 + i);
    await peerCompany(app, 90, 250, 5); // other size band: not a peer
    const few = await app.ok('assessments.peers', { id });
    expect(few).toMatchObject({ division: '29', band: '10-49', peerCount: 4, dimensions: null });
    await peerCompany(app, 5, 45, 5);
    const enough = await app.ok('assessments.peers', { id });
    expect(enough.peerCount).toBe(5);
    // Peers answered digital levels 1, 2, 3, 4 and 5; ours is 4: three below, one equal, one above → (3 + 0.5) / 5.
    const digital = enough.dimensions?.find((d) => d.id === 'digital');
    expect(digital?.percentile).toBe(70);
  });
});

describe('evidence photos', () => {
  // A 1×1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

  it('stores a photo once by content, lists it per item and gives it back intact', async () => {
    const { app, id } = await setup();
    const a = await app.ok('evidence.add', { assessmentId: id, itemId: 'digital_level', fileName: 'mes-화면.png', data: png.toString('base64') });
    await app.ok('evidence.add', { assessmentId: id, itemId: 'ai_use', fileName: 'same.png', data: png.toString('base64') });
    const { rows } = await app.ok('evidence.list', { assessmentId: id });
    expect(rows.map((r) => [r.itemId, r.fileName, r.mime])).toEqual([
      ['digital_level', 'mes-화면.png', 'image/png'],
      ['ai_use', 'mes-화면.png', 'image/png'],
    ]);
    expect(count(app.sqlite, 'attachments')).toBe(1);
    expect(Buffer.from((await app.ok('evidence.image', { id: a.id })).data, 'base64').equals(png)).toBe(true);
    expect((await app.ok('assessments.get', { id })).evidence).toEqual({ digital_level: 1, ai_use: 1 });
    await app.ok('evidence.remove', { id: a.id });
    expect((await app.ok('evidence.list', { assessmentId: id })).rows.map((r) => r.itemId)).toEqual(['ai_use']);
    // Once no live record shows the description, the same photo added again gets a description of its own: the
    // service purges a description after the deleted records showing it.
    const b = await app.ok('evidence.add', { assessmentId: id, itemId: 'digital_level', fileName: 'again.png', data: png.toString('base64') });
    await app.ok('evidence.remove', { id: b.id });
    const c = await app.ok('evidence.add', { assessmentId: id, itemId: 'digital_level', fileName: 'third.png', data: png.toString('base64') });
    expect(count(app.sqlite, 'attachments')).toBe(1);
    await app.ok('evidence.remove', { id: c.id });
    const remaining = (await app.ok('evidence.list', { assessmentId: id })).rows;
    await app.ok('evidence.remove', { id: remaining[0]!.id });
    await app.ok('evidence.add', { assessmentId: id, itemId: 'ai_use', fileName: 'new.png', data: png.toString('base64') });
    expect(count(app.sqlite, 'attachments')).toBe(2);
  });

  it('refuses files that are not photos, whatever their name, and adds nothing to a finalised assessment', async () => {
    const { app, id } = await setup();
    const fake = await app.call('evidence.add', { assessmentId: id, itemId: 'digital_level', fileName: 'photo.png', data: Buffer.from('%PDF-1.7 not an image').toString('base64') });
    expect(fake).toMatchObject({ ok: false, error: { fields: { data: { key: 'validation.imageType' } } } });
    expect(count(app.sqlite, 'attachments')).toBe(0);
    await answerAll(app, id, middling);
    await app.ok('assessments.finalize', { id });
    const late = await app.call('evidence.add', { assessmentId: id, itemId: 'digital_level', fileName: 'late.png', data: png.toString('base64') });
    expect(late).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('detects a stored photo altered on disk', async () => {
    const { app, id } = await setup();
    const a = await app.ok('evidence.add', { assessmentId: id, itemId: 'digital_level', fileName: 'p.png', data: png.toString('base64') });
    const sha = (await app.ok('evidence.list', { assessmentId: id })).rows[0]?.sha256 as string;
    const fs = await import('node:fs');
    fs.writeFileSync(path.join(path.dirname(app.file), 'attachments', sha), Buffer.concat([png, Buffer.from([0])]));
    expect(await app.call('evidence.image', { id: a.id })).toMatchObject({ ok: false, error: { messageKey: 'errors.attachmentDamaged' } });
  });
});

describe('visit photos', () => {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

  it('keeps the photos taken on a visit and counts them on the timeline', async () => {
    const { app, companyId, visitId } = await setup();
    await app.ok('visits.addPhoto', { visitId, fileName: '라인1.png', data: png.toString('base64') });
    expect((await app.ok('visits.list', { companyId })).rows[0]?.photos).toBe(1);
    const [photo] = (await app.ok('visits.photos', { visitId })).rows;
    expect(photo?.fileName).toBe('라인1.png');
    expect(Buffer.from((await app.ok('visits.photo', { id: photo?.id ?? '' })).data, 'base64').equals(png)).toBe(true);
    expect(await app.call('visits.addPhoto', { visitId, fileName: 'x.png', data: Buffer.from('not an image').toString('base64') })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});
