import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { companyData, openApp, useCleanup } from '../fixtures.ts';

useCleanup();

const answers: Record<string, unknown> = {
  ceo_vision: 4,
  ceo_involvement: 3,
  ceo_budget: 'yes',
  org_dedicated: 'yes',
  org_staff: 2,
  org_roles: { done: ['data_owner'], planned: ['dx_kpi'] },
  invest_rnd_share: 1.5,
  invest_equipment_share: 4,
  digital_level: 3,
  digital_scope: { done: ['output', 'quality'], planned: ['inventory'] },
  data_decisions: 3,
  ai_use: 2,
  skills_training: 'partly',
  inv_revenue: 8_000_000_000,
  inv_margin: 5.2,
  inv_own_funds: 150_000_000,
};

async function finalisedAssessment() {
  const app = openApp();
  const { id: companyId } = await app.ok('companies.create', companyData({ name: '한빛정밀공업' }));
  const { id } = await app.ok('assessments.create', { companyId, visitId: null, instrumentId: 'company-dx' });
  for (const [itemId, value] of Object.entries(answers)) await app.ok('assessments.saveAnswer', { assessmentId: id, itemId, value });
  await app.ok('assessments.finalize', { id });
  return { app, id };
}

const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');

describe('assessment report (PDF)', () => {
  it('exports a Korean report naming the company, the type and the programmes', async () => {
    const { app, id } = await finalisedAssessment();
    const { path } = await app.ok('reports.exportAssessment', { id, language: 'ko' });
    expect(path).toMatch(/한빛정밀공업_DX역량평가_\d{4}-\d{2}-\d{2}\.pdf$/);
    const pdf = fs.readFileSync(path as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(1_000_000);
    const body = text(path as string);
    expect(body).toContain('한빛정밀공업 DX 역량평가 보고서');
    expect(body).toMatch(/보통|우수|취약/);
    expect(body).toContain('추천 지원사업');
    expect(body).toContain('공정 전문가 멘토');
    // The weakest answers became the agreed next steps, with their due dates.
    expect(body).toContain('합의한 후속 조치');
    expect(body).toMatch(/1\s*\/\s*\d/);
  });

  it('exports the same report in English', async () => {
    const { app, id } = await finalisedAssessment();
    const { path } = await app.ok('reports.exportAssessment', { id, language: 'en' });
    const body = text(path as string);
    expect(body).toContain('DX capability assessment report');
    expect(body).toMatch(/Average|Excellent|Weak/);
    expect(body).toContain('Recommended programmes');
  });

  it('opens only files it exported', async () => {
    const { app, id } = await finalisedAssessment();
    const { path } = await app.ok('reports.exportAssessment', { id, language: 'ko' });
    expect(await app.call('files.open', { path })).toEqual({ ok: true, value: { ok: true } });
    expect(await app.call('files.open', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('assessment data export (CSV / XLSX)', () => {
  it('writes one CSV row per item with the summary repeated, Korean intact', async () => {
    const { app, id } = await finalisedAssessment();
    const { path } = await app.ok('reports.exportAssessmentData', { id, language: 'ko', format: 'csv' });
    const raw = fs.readFileSync(path as string);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^assessment_id,brn,company,/);
    expect(lines.length - 1).toBe(20);
    const ceo = lines.find((l) => l.includes(',ceo_involvement,'));
    expect(ceo).toContain('한빛정밀공업');
    expect(ceo).toContain('3 — 주요 결정 때만 참여');
  });

  it('writes an XLSX workbook with summary and answers sheets', async () => {
    const { app, id } = await finalisedAssessment();
    const { path } = await app.ok('reports.exportAssessmentData', { id, language: 'en', format: 'xlsx' });
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path as string);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['summary', 'answers']);
    expect(wb.getWorksheet('answers')?.rowCount).toBe(21);
    // Row 1 is the header: assessment_id, brn, company, instrument…
    expect(wb.getWorksheet('summary')?.getRow(5).getCell(2).value).toBe('company-dx@1');
  });
});
