import ExcelJS from 'exceljs';
import type { AssessmentTable } from '#shared/reports/assessment-data';

/** RFC 4180 CSV with a BOM, so Excel opens Korean text correctly. */
export function toCsv(table: AssessmentTable): Buffer {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.columns, ...table.rows].map((r) => r.map(cell).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

export async function toXlsx(table: AssessmentTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'DX Mentor';
  const summary = wb.addWorksheet('summary');
  summary.columns = [
    { header: 'field', key: 'k', width: 20 },
    { header: 'value', key: 'v', width: 50 },
  ];
  for (const [k, v] of table.sheetSummary) summary.addRow({ k, v });
  const answers = wb.addWorksheet('answers');
  answers.columns = table.columns.map((c) => ({ header: c, key: c, width: Math.min(50, Math.max(12, c.length + 4)) }));
  for (const r of table.rows) answers.addRow(r);
  answers.getRow(1).font = { bold: true };
  summary.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
