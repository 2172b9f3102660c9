import ExcelJS from 'exceljs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { companyData, openApp, snapshot, supplierData, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** A synthetic "screen": bands and blocks whose layout depends on `seed`, drawn at any size (RGBA). */
function picture(width: number, height: number, seed: number) {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const block = Math.floor(u * (3 + seed)) + Math.floor(v * (2 + 2 * seed));
      const g = seed === 1 ? (block % 2 ? 200 : 40) + u * 40 : ((block * 97) % 255) * (1 - v * 0.5);
      const o = (y * width + x) * 4;
      data[o] = g;
      data[o + 1] = Math.min(255, g + 10);
      data[o + 2] = Math.max(0, g - 10);
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}
const pngFile = (img: { width: number; height: number; data: Buffer }) => {
  const p = new PNG({ width: img.width, height: img.height });
  img.data.copy(p.data);
  return PNG.sync.write(p);
};
const jpg = (img: { width: number; height: number; data: Buffer }, quality: number) => jpeg.encode(img, quality).data;

function appOn(today: string): TestApp {
  return openApp({ now: () => new Date(`${today}T12:00:00`).getTime() });
}

/** A JPEG whose EXIF says it was taken at `taken` ("YYYY:MM:DD HH:MM:SS"); `salt` makes the bytes unique. */
export function jpegTakenAt(taken: string, salt = 0): Buffer {
  const tiff = Buffer.alloc(64);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8); // IFD0: one entry, the Exif IFD pointer
  tiff.writeUInt16LE(0x8769, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  tiff.writeUInt16LE(1, 26); // Exif IFD: DateTimeOriginal
  tiff.writeUInt16LE(0x9003, 28);
  tiff.writeUInt16LE(2, 30);
  tiff.writeUInt32LE(20, 32);
  tiff.writeUInt32LE(44, 36);
  tiff.writeUInt32LE(0, 40);
  tiff.write(`${taken}\0`, 44, 'latin1');
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(app1Body.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), len, app1Body, Buffer.from([0xff, 0xfe, 0x00, 0x03, salt & 0xff]), Buffer.from([0xff, 0xd9])]);
}

async function setup(app: TestApp, over: Record<string, unknown> = {}) {
  const { id: companyId } = await app.ok('companies.create', companyData({ name: '대한정밀' }));
  const { id: supplierId } = await app.ok('suppliers.create', supplierData({ name: '스마트솔루션' }));
  const input = {
    companyId,
    programme: 'intelligent_basic',
    title: '기초 MES 구축',
    startsOn: '2025-03-01',
    endsOn: '2025-12-31',
    contractOn: '2025-02-20',
    finalInspectionOn: '2025-12-20',
    budgetGov: 50_000_000,
    budgetCompany: 50_000_000,
    budgetLarge: 0,
    swLabourKrw: 60_000_000,
    scopeUnits: 30,
    gradesBilled: { senior: 2, intermediate: 1 },
    gradesDeclared: { senior: 2, intermediate: 2 },
    supplierIds: [supplierId],
    notes: '',
    ...over,
  };
  const { id } = await app.ok('projects.create', input);
  return { companyId, supplierId, id, input };
}

describe('build projects', () => {
  it('computes the stabilisation period (last 6 months of the project) and the free after-service year', async () => {
    const app = appOn('2026-01-10');
    const { id } = await setup(app);
    const p = await app.ok('projects.get', { id });
    expect(p.windows).toEqual({ stabilisation: { from: '2025-07-01', to: '2025-12-31' }, freeAs: { from: '2026-01-01', to: '2026-12-31' } });
    expect(p.budget).toEqual({ total: 100_000_000, shares: { gov: 50, company: 50, large: 0 }, problems: [] });
  });

  it('checks the win-win split 30:40:30 and refuses a project shorter than the stabilisation period', async () => {
    const app = appOn('2026-01-10');
    const { companyId, supplierId, input } = await setup(app);
    const base = { ...input, companyId, supplierIds: [supplierId], programme: 'win_win_factory' };
    expect(await app.fail('projects.create', { ...base, budgetGov: 30, budgetCompany: 30, budgetLarge: 40 })).toMatchObject({ fields: { budgetGov: { key: 'validation.budgetWinWin' } } });
    const ok = await app.ok('projects.create', { ...base, budgetGov: 30_000_000, budgetCompany: 40_000_000, budgetLarge: 30_000_000 });
    expect((await app.ok('projects.get', { id: ok.id })).budget.shares).toEqual({ gov: 30, company: 40, large: 30 });
    expect(await app.fail('projects.create', { ...input, budgetLarge: 10 })).toMatchObject({ fields: { budgetGov: { key: 'validation.budgetLargeOnlyWinWin' } } });
    expect(await app.fail('projects.create', { ...input, startsOn: '2025-07-01', endsOn: '2025-12-31' })).toMatchObject({ fields: { endsOn: { key: 'validation.projectTooShort' } } });
    // Exactly six months is enough.
    await app.ok('projects.create', { ...input, startsOn: '2025-07-01', endsOn: '2026-01-01' });
  });

  it('refuses to pick an excluded or barred supplier, with the reason, and writes nothing', async () => {
    const app = appOn('2026-01-10');
    const { input } = await setup(app);
    const { id: bad } = await app.ok('suppliers.create', supplierData({ name: '부정공급' }));
    await app.ok('sanctions.save', { orgId: bad, kind: 'payback', foundOn: '2024-05-01', decidedOn: '2024-06-01', decision: '참여제한', clawbackKrw: null, projectRef: '' });
    const before = snapshot(app.sqlite);
    expect(await app.fail('projects.create', { ...input, supplierIds: [bad] })).toMatchObject({ code: 'conflict', messageKey: 'errors.project.supplierExcluded', params: { name: '부정공급', until: '2029-06-01' } });
    await app.ok('sanctions.save', { orgId: bad, kind: 'false_documents', foundOn: '2025-05-01', decidedOn: '2025-06-01', decision: '재적발', clawbackKrw: null, projectRef: '' });
    expect(await app.fail('projects.create', { ...input, supplierIds: [bad] })).toMatchObject({ messageKey: 'errors.project.supplierBarred' });
    expect(snapshot(app.sqlite).projects).toEqual(before.projects);
  });

  it('keeps a supplier sanctioned after it was picked, and flags the company’s projects for special inspection', async () => {
    const app = appOn('2026-01-10');
    const { id, companyId, supplierId, input } = await setup(app);
    await app.ok('sanctions.save', { orgId: supplierId, kind: 'shoddy_build', foundOn: '2025-12-01', decidedOn: '2026-01-05', decision: '참여제한', clawbackKrw: null, projectRef: '' });
    await app.ok('projects.update', { ...input, id, title: '기초 MES 구축(변경)' });
    expect((await app.ok('projects.get', { id })).suppliers[0]?.standing.state).toBe('excluded');
    await app.ok('sanctions.save', { orgId: companyId, kind: 'payback', foundOn: '2025-12-01', decidedOn: '2026-01-05', decision: '환수', clawbackKrw: 10_000_000, projectRef: '' });
    const second = await app.ok('projects.create', { ...input, supplierIds: [(await app.ok('suppliers.create', supplierData({ name: '다른공급' }))).id] });
    for (const p of (await app.ok('projects.listForCompany', { companyId })).rows) expect(p.specialInspection, p.id).toBe(true);
    expect(second.id).toBeTruthy();
  });
});

function csv(lines: string[]) {
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8').toString('base64');
}

describe('post-build check and utilisation', () => {
  it('imports a log-in export (CSV) and material records (XLSX), counting users and days per window', async () => {
    const app = appOn('2026-03-15');
    const { id } = await setup(app);
    const logins = ['접속일시,사용자ID,화면'];
    for (let d = 1; d <= 28; d++) for (const u of ['kim', 'lee', 'park']) logins.push(`2025-10-${String(d).padStart(2, '0')} 08:3${d % 10},${u},작업지시`);
    logins.push('2026-03-02 09:00,kim,작업지시', '날짜없음,kim,x');
    const r = await app.ok('usage.import', { projectId: id, kind: 'login', fileName: 'mes-login.csv', data: csv(logins) });
    expect(r).toEqual({ days: 29, rows: 86, skipped: 1, from: '2025-10-01', to: '2026-03-02' });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('입출고');
    ws.addRow(['입출고일자', '품목', '수량', '담당자']);
    for (let d = 1; d <= 20; d++) ws.addRow([new Date(Date.UTC(2025, 9, d)), '볼트', 10, '최자재']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    expect(await app.ok('usage.import', { projectId: id, kind: 'material', fileName: '자재입출고.xlsx', data: xlsx })).toMatchObject({ days: 20, from: '2025-10-01', to: '2025-10-20' });
    const u = await app.ok('usage.get', { projectId: id });
    expect(u.stabilisation.login).toMatchObject({ activeDays: 28, activeUsers: 3, events: 84 });
    expect(u.stabilisation.material).toMatchObject({ activeDays: 20, events: 20 });
    expect(u.recent.login).toMatchObject({ activeDays: 1, activeUsers: 1 });
    // After stabilisation, one log-in day in the last 30 against ~4.6 a month before: use is dropping,
    // and log-ins without any material transaction mean the system is not really used.
    expect(u.warnings).toEqual(['usage.dropping', 'usage.loggedInNotUsed']);
    expect(u.imports.map((i) => i.fileName)).toEqual(['자재입출고.xlsx', 'mes-login.csv']);
    // A new check starts its utilisation answers from the last 30 days of records (1 user, 1 log-in, no material).
    const check = await app.ok('postbuild.get', { id: (await app.ok('postbuild.create', { projectId: id, checkedOn: '2026-03-15' })).id });
    expect(Object.fromEntries(Object.entries(check.answers).map(([k, v]) => [k, v.value]))).toEqual({ use_active_users: 1, use_logins_week: 0.2, use_material_tx_month: 0 });
    expect(await app.fail('usage.import', { projectId: id, kind: 'login', fileName: 'again.csv', data: csv(logins) })).toMatchObject({ messageKey: 'errors.usage.duplicate' });
    expect(await app.fail('usage.import', { projectId: id, kind: 'login', fileName: 'x.csv', data: csv(['이름,부서', '김,생산']) })).toMatchObject({ messageKey: 'errors.usage.noDateColumn', params: { headers: '이름, 부서' } });
  });

  it('fills a check, flags what it shows, signs it, and then refuses every change', async () => {
    const app = appOn('2026-03-15');
    const { id: projectId } = await setup(app);
    const { id } = await app.ok('postbuild.create', { projectId, checkedOn: '2026-03-15' });
    const answers: Record<string, unknown> = {
      stab_completed: 'yes', as_requests: 5, as_resolved: 3, training_held: 'yes', use_active_users: 4, use_logins_week: 12, use_material_tx_month: 0,
      supplier_in_business: 'no', pledge_on_file: 'yes', publish_consent: 'no', kpi_defect_rate_target: 2, kpi_defect_rate_achieved: 2.6,
    };
    for (const [itemId, value] of Object.entries(answers)) await app.ok('postbuild.saveAnswer', { checkId: id, itemId, value });
    let view = await app.ok('postbuild.get', { id });
    // The supplier has closed: the on-site diagnosis and the after-service/training dates are now required.
    expect(view.missing).toEqual(['onsite_diagnosis_on', 'as_training_scheduled_on']);
    expect(view.flags.map((f) => f.key)).toEqual(['postbuild.flags.loggedInNotUsed', 'postbuild.flags.asOpen', 'postbuild.flags.supplierClosed', 'postbuild.flags.kpiBehind']);
    expect(await app.fail('postbuild.sign', { id, name: '김멘토', png })).toMatchObject({ messageKey: 'errors.postbuild.incomplete', params: { count: 2 } });
    expect(await app.fail('postbuild.saveAnswer', { checkId: id, itemId: 'onsite_diagnosis_on', value: '2026-02-30' })).toMatchObject({ fields: { value: { key: 'validation.date' } } });
    await app.ok('postbuild.saveAnswer', { checkId: id, itemId: 'onsite_diagnosis_on', value: '2026-03-20' });
    await app.ok('postbuild.saveAnswer', { checkId: id, itemId: 'as_training_scheduled_on', value: '2026-04-01' });
    view = await app.ok('postbuild.sign', { id, name: '김멘토', png });
    expect(view.signedAt).not.toBeNull();
    const before = snapshot(app.sqlite);
    expect(await app.fail('postbuild.saveAnswer', { checkId: id, itemId: 'as_resolved', value: 5 })).toMatchObject({ code: 'locked' });
    expect(await app.fail('postbuild.saveAnswer', { checkId: id, itemId: 'datasets', value: null, comment: 'x' })).toMatchObject({ code: 'locked' });
    expect(await app.fail('postbuild.sign', { id, name: '다른이', png })).toMatchObject({ code: 'locked' });
    // Below the contract too: the mutation layer refuses to touch a signed check or its answers, or to delete them.
    const svc = app.services;
    const answerId = (app.sqlite.prepare('SELECT id FROM postbuild_answers WHERE check_id = ? LIMIT 1').get(id) as { id: string }).id;
    const { postbuildChecks, postbuildAnswers } = await import('#db/schema');
    for (const attempt of [
      () => svc.mutations.transaction((tx) => tx.update(postbuildChecks, id, { checkedOn: '2020-01-01' })),
      () => svc.mutations.transaction((tx) => tx.archive(postbuildChecks, id)),
      () => svc.mutations.transaction((tx) => tx.update(postbuildAnswers, answerId, { comment: 'x' })),
      () => svc.mutations.transaction((tx) => tx.archive(postbuildAnswers, answerId)),
      () => svc.mutations.transaction((tx) => tx.insert(postbuildAnswers, { checkId: id, itemId: 'datasets', value: '"x"' })),
    ]) {
      let caught: unknown = null;
      try {
        attempt();
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ data: { code: 'locked' } });
    }
    expect(snapshot(app.sqlite)).toEqual(before);
  });
});

describe('red flags on real records, the mentor’s finding, and the supplier’s track record', () => {
  it('reads the photo’s own date, finds the same photo at another company, and keeps the mentor’s finding', async () => {
    const app = appOn('2026-03-15');
    const { id, supplierId, input } = await setup(app);
    const { id: other } = await app.ok('companies.create', companyData({ name: '다른정밀' }));
    const { id: otherProject } = await app.ok('projects.create', { ...input, companyId: other });
    const early = jpegTakenAt('2025:02:10 09:30:00', 1).toString('base64');
    await app.ok('projects.addPhoto', { projectId: id, fileName: 'line.jpg', caption: '라인 모니터', data: early });
    await app.ok('projects.addPhoto', { projectId: otherProject, fileName: 'same.jpg', caption: '', data: early });
    const photos = await app.ok('projects.photos', { projectId: id });
    expect(photos.rows[0]?.fileName).toBe('line.jpg');
    expect(photos.rows[0]?.takenAt?.slice(0, 10)).toBe('2025-02-10');
    await app.ok('projects.saveDocuments', { projectId: id, documents: [{ title: '검수확인서', datedOn: '2025-12-22', submittedOn: '2025-12-21' }] });
    const { flags } = await app.ok('flags.list', { projectId: id });
    expect(flags.map((f) => [f.rule, f.params])).toEqual([
      ['photo_reused_other_company', { file: 'line.jpg', company: '다른정밀', match: 'same' }],
      ['screenshot_same_supplier_sites', { file: 'line.jpg', company: '다른정밀', supplier: '스마트솔루션', match: 'same' }],
      ['photo_before_contract', { file: 'line.jpg', takenOn: '2025-02-10', contractOn: '2025-02-20' }],
      ['document_after_submission', { title: '검수확인서', datedOn: '2025-12-22', submittedOn: '2025-12-21' }],
    ]);
    await app.ok('flags.record', { projectId: id, rule: 'photo_before_contract', status: 'cleared', note: '사전 현장조사 사진으로 확인', recordedBy: '김멘토' });
    const after = await app.ok('flags.list', { projectId: id });
    expect(after.flags.find((f) => f.rule === 'photo_before_contract')?.finding).toMatchObject({ status: 'cleared', note: '사전 현장조사 사진으로 확인', recordedBy: '김멘토' });
    // The supplier's track record: two projects, three flags still open at each (the other has the same photo too).
    const record = await app.ok('suppliers.trackRecord', { id: supplierId });
    expect(record.rows.map((r) => [r.companyName, r.openFlags])).toEqual(expect.arrayContaining([['대한정밀', 3], ['다른정밀', 3]]));
  });

  it('finds a near-duplicate of a photo (the same picture resized and recompressed) at another company, not an unrelated one', async () => {
    const app = appOn('2026-03-15');
    const { id, input } = await setup(app);
    const { id: other } = await app.ok('companies.create', companyData({ name: '다른정밀' }));
    const { id: third } = await app.ok('companies.create', companyData({ name: '세번째금속' }));
    // Other suppliers: only the company-level flag is in question here.
    const { id: s2 } = await app.ok('suppliers.create', supplierData({ name: '다른솔루션' }));
    const { id: otherProject } = await app.ok('projects.create', { ...input, supplierIds: [s2], companyId: other });
    const { id: thirdProject } = await app.ok('projects.create', { ...input, supplierIds: [s2], companyId: third });
    // The original screen capture as PNG; the "other company's" copy: the same picture at 3/4 size as JPEG.
    await app.ok('projects.addPhoto', { projectId: id, fileName: 'mes-screen.png', caption: '', data: pngFile(picture(640, 480, 1)).toString('base64') });
    await app.ok('projects.addPhoto', { projectId: otherProject, fileName: 'copy.jpg', caption: '', data: jpg(picture(480, 360, 1), 70).toString('base64') });
    // A different picture at a third company.
    await app.ok('projects.addPhoto', { projectId: thirdProject, fileName: 'other.jpg', caption: '', data: jpg(picture(640, 480, 2), 90).toString('base64') });
    const { flags } = await app.ok('flags.list', { projectId: id });
    expect(flags.map((f) => [f.rule, f.params])).toEqual([['photo_reused_other_company', { file: 'mes-screen.png', company: '다른정밀', match: 'near' }]]);
    expect((await app.ok('flags.list', { projectId: thirdProject })).flags).toEqual([]);
    const hashes = app.sqlite.prepare('SELECT file_name, phash FROM attachments ORDER BY file_name').all() as { file_name: string; phash: string | null }[];
    expect(hashes.every((h) => /^[0-9a-f]{16}$/.test(h.phash ?? ''))).toBe(true);
  });

  it('refuses a file that is not an image for a project photo', async () => {
    const app = appOn('2026-03-15');
    const { id } = await setup(app);
    expect(await app.fail('projects.addPhoto', { projectId: id, fileName: 'x.jpg', caption: '', data: Buffer.from('not an image').toString('base64') })).toMatchObject({ fields: { data: { key: 'validation.imageType' } } });
  });
});
