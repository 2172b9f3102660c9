import type { DiagnosisReportModel } from '#shared/reports/diagnosis';
import { Report } from './engine.ts';

const CURRENT = '#364fc7';
const PREVIOUS = '#adb5bd';

/** Draws the supplier diagnosis report (both languages come from the model). */
export async function renderDiagnosisReport(
  m: DiagnosisReportModel,
  fontsDir: string,
  t: (k: string) => string,
  pageLabel: (p: number, n: number) => string,
  signatureImages: Map<'consultant' | 'supplier', Buffer>,
): Promise<Buffer> {
  const r = new Report({ fontsDir, title: m.title, header: m.header, footer: m.footer, pageLabel, info: { Subject: m.subtitle } });
  r.title(m.title, `${m.subtitle} · ${m.status}`);

  r.heading(t('report.supplier'));
  r.keyValues(m.supplierFacts, 3);

  r.heading(t('report.result'));
  r.keyValues(m.summary, 2);
  r.paragraph(`${t('gradeScale')}: ${m.gradeScale}`, { dim: true, size: 8 });

  r.heading(t('report.charts'));
  r.bars(m.areas.labels, [
    { values: m.areas.current, color: CURRENT, label: t('report.current') },
    ...(m.areas.previous && m.areas.previousLabel ? [{ values: m.areas.previous, color: PREVIOUS, label: m.areas.previousLabel }] : []),
  ]);
  r.table(
    [
      { header: t('report.area'), width: 3 },
      { header: t('report.score'), width: 2, align: 'right' },
      { header: t('report.rate'), width: 2, align: 'right' },
      { header: t('report.delta'), width: 2, align: 'right' },
    ],
    m.areas.rows,
  );

  r.heading(t('report.strengthsWeaknesses'));
  r.paragraph(t('strengths'), { size: 10 });
  r.bullets(m.strengths.length ? m.strengths : ['—']);
  r.paragraph(t('weaknesses'), { size: 10 });
  r.bullets(m.weaknesses.length ? m.weaknesses : ['—']);

  r.heading(t('report.plan'));
  if (m.plan.length) {
    r.table(
      [
        { header: t('plan.what'), width: 4 },
        { header: t('plan.how'), width: 5 },
        { header: t('plan.due'), width: 2 },
      ],
      m.plan,
    );
  } else r.paragraph(t('plan.empty'), { dim: true });
  if (m.strategy !== null) {
    r.heading(t('report.strategy'));
    r.paragraph(m.strategy);
  }

  r.heading(t('report.items'));
  r.table(
    [
      { header: t('report.area'), width: 2 },
      { header: t('report.item'), width: 4 },
      { header: t('report.weight'), width: 1, align: 'right' },
      { header: t('report.answer'), width: 4 },
      { header: t('report.comment'), width: 3 },
    ],
    m.items,
  );

  r.heading(t('report.signatures'));
  r.signatures(m.signers.map((s) => ({ ...s, png: signatureImages.get(s.key) ?? null })));
  return r.finish();
}
