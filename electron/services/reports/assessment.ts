import type { AssessmentReportModel } from '#shared/reports/assessment';
import { Report } from './engine.ts';

const TYPE_COLORS = { excellent: '#0ca678', average: '#364fc7', weak: '#e8590c' } as const;

/** Draws the assessment report (both languages come from the model). */
export async function renderAssessmentReport(
  m: AssessmentReportModel,
  fontsDir: string,
  t: (k: string) => string,
  pageLabel: (p: number, n: number) => string,
  signatureImages: Map<'process' | 'ai', Buffer> = new Map(),
): Promise<Buffer> {
  const r = new Report({ fontsDir, title: m.title, header: m.header, footer: m.footer, pageLabel, info: { Subject: m.subtitle } });
  r.title(m.title, `${m.subtitle} · ${m.status}`);

  r.heading(t('report.company'));
  r.keyValues(m.companyFacts, 3);

  r.heading(t('report.result'));
  r.keyValues([[t('type'), m.typeLabel], ...m.scores], 3);
  if (m.override) r.paragraph(m.override, { dim: true });
  r.paragraph(m.interpretation);
  r.table(
    [
      { header: t('report.dimension'), width: 3 },
      { header: t('report.axis'), width: 2 },
      { header: t('report.score'), width: 1, align: 'right' },
    ],
    m.dimensions.map((d) => [d.name, d.axis, d.score]),
  );

  r.heading(t('report.charts'));
  r.radar(m.radar.labels, [{ values: m.radar.values, color: TYPE_COLORS.average, label: t('capability') }]);
  r.grid({
    xLabel: t('capability'),
    yLabel: t('investment'),
    regions: m.regions.map((g) => ({ label: g.label, x0: g.minCapability, y0: g.minInvestment, color: TYPE_COLORS[g.type] })),
    points: [{ x: m.point.capability, y: m.point.investment, color: TYPE_COLORS[m.type], label: t('report.thisCompany') }],
  });

  r.heading(t('report.strengthsGaps'));
  r.paragraph(t('strengths'), { size: 10 });
  r.bullets(m.strengths);
  r.paragraph(t('gaps'), { size: 10 });
  r.bullets(m.gaps);

  r.heading(t('report.recommendations'));
  r.paragraph(`${t('goal')}: ${m.goal}`);
  r.bullets(m.programmes);
  if (m.twoStage) r.paragraph(m.twoStage, { dim: true, size: 9 });
  if (m.finance) {
    r.paragraph(t('financeRoute'));
    r.bullets(m.finance);
  }
  if (m.nextType) {
    r.paragraph(m.nextType);
    r.bullets(m.nextSteps);
  }

  if (m.nextActions.length) {
    r.heading(t('report.nextSteps'));
    r.table(
      [
        { header: t('actions.what'), width: 5 },
        { header: t('actions.owner'), width: 2 },
        { header: t('actions.due'), width: 2 },
        { header: t('actions.severity'), width: 1 },
      ],
      m.nextActions,
    );
  }

  r.heading(t('report.answers'));
  r.table(
    [
      { header: t('report.section'), width: 2 },
      { header: t('report.item'), width: 4 },
      { header: t('report.answer'), width: 4 },
      { header: t('report.comment'), width: 3 },
    ],
    m.answers,
  );

  r.heading(t('report.signatures'));
  r.signatures(m.signers.map((s) => ({ ...s, png: signatureImages.get(s.key) ?? null })));
  return r.finish();
}
