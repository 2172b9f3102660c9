/**
 * The assessment report's content, shaped from the stored data (pure, testable without pdfkit).
 * Drawing lives in electron/services/reports/assessment.ts.
 */
import { formatBrn } from '../domain/brn.ts';
import { formatDate, formatKrw, formatNumber } from '../domain/format.ts';
import { ksicName } from '../domain/ksic.ts';
import { FINANCE_ROUTE, TWO_STAGE_SELECTION, TYPE_GUIDANCE } from '../domain/programmes.ts';
import { regionName } from '../domain/regions.ts';
import { findItem } from '../instruments/index.ts';
import type { Answer, CompanyType, Instrument, Item, L10n } from '../instruments/types.ts';
import type { OrgDetail } from '../schemas/organizations.ts';
import type { AssessmentResult } from '../scoring/assessment.ts';

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface AssessmentReportInput {
  lang: string;
  t: Translate;
  instrument: Instrument;
  company: OrgDetail;
  assessment: {
    id: string;
    createdAt: string;
    finalizedAt: string | null;
    typeOverride: CompanyType | null;
    overrideReason: string;
    answers: Record<string, { value: unknown; comment: string }>;
    result: AssessmentResult;
    signatures: { role: 'process' | 'ai'; signerName: string; signedAt: string }[];
  };
  /** Agreed next steps (the company's open follow-up actions). */
  actions: { title: string; owner: string; dueOn: string | null; severity: 'high' | 'medium' | 'low' }[];
}

export interface AssessmentReportModel {
  title: string;
  subtitle: string;
  header: string;
  footer: string;
  status: string;
  companyFacts: [string, string][];
  type: CompanyType;
  typeLabel: string;
  scores: [string, string][];
  override: string | null;
  interpretation: string;
  dimensions: { name: string; axis: string; score: string }[];
  radar: { labels: string[]; values: (number | null)[] };
  point: { capability: number; investment: number };
  regions: { type: CompanyType; label: string; minCapability: number; minInvestment: number }[];
  strengths: string[];
  gaps: string[];
  goal: string;
  programmes: string[];
  twoStage: string | null;
  finance: string[] | null;
  nextType: string | null;
  nextSteps: string[];
  answers: string[][];
  nextActions: string[][];
  signers: { key: 'process' | 'ai'; role: string; name: string; signedAt: string | null }[];
}

const pick = (text: L10n, lang: string) => (lang.startsWith('ko') ? text.ko : text.en);

export function answerText(item: Item, value: unknown, lang: string, t: Translate): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (item.type) {
    case 'scale': {
      const level = Number(value) as 1 | 2 | 3 | 4 | 5;
      const anchor = item.anchors[level];
      return anchor ? `${level} — ${pick(anchor, lang)}` : String(level);
    }
    case 'ypn':
      return typeof value === 'string' ? t(`ypn.${value}`) : '—';
    case 'number': {
      const n = Number(value);
      if (item.unit === 'krw') return formatKrw(n, lang);
      return `${formatNumber(n, lang)}${t(`units.${item.unit}`)}`;
    }
    case 'donePlanned': {
      const v = value as { done: string[]; planned: string[] };
      const names = (ids: string[]) => ids.map((id) => pick(item.options.find((o) => o.id === id)?.text ?? { ko: id, en: id }, lang)).join(', ');
      const parts = [v.done.length ? `${t('dp.done')}: ${names(v.done)}` : '', v.planned.length ? `${t('dp.planned')}: ${names(v.planned)}` : ''].filter(Boolean);
      return parts.length ? parts.join(' / ') : t('dp.none');
    }
    case 'text':
      return typeof value === 'string' ? value : '—';
  }
}

export function assessmentReportModel(input: AssessmentReportInput): AssessmentReportModel {
  const { lang, t, instrument, company, assessment } = input;
  const r = assessment.result;
  const type = assessment.typeOverride ?? r.type;
  const guidance = TYPE_GUIDANCE[type];
  const latest = company.financials[0];
  const itemName = (id: string) => {
    const item = findItem(instrument, id);
    return item ? pick(item.text, lang) : id;
  };
  const capDims = instrument.dimensions.filter((d) => d.axis === 'capability');
  return {
    title: t('report.title', { company: company.name }),
    subtitle: `${pick(instrument.title, lang)} v${instrument.version} · ${formatDate(assessment.finalizedAt ?? assessment.createdAt, lang)}`,
    header: `DX Mentor · ${pick(instrument.title, lang)}`,
    footer: `${company.name} · ${assessment.id.slice(-12)}`,
    status: assessment.finalizedAt ? t('finalized', { date: formatDate(assessment.finalizedAt, lang) }) : t('report.draftNotice'),
    companyFacts: [
      [t('report.brn'), formatBrn(company.brn)],
      [t('report.representative'), company.representative],
      [t('report.region'), regionName(company.region, lang)],
      [t('report.industry'), `${company.ksicCode} ${company.industryName || ksicName(company.ksicCode, lang)}`],
      [t('report.employees'), company.employees === null ? '—' : formatNumber(company.employees, lang)],
      [t('report.revenue'), latest?.revenue != null ? `${formatKrw(latest.revenue, lang)} (${latest.fiscalYear})` : '—'],
    ],
    type,
    typeLabel: t(`types.${type}`) + (r.complete ? '' : ` (${t('provisional')})`),
    scores: [
      [t('capability'), r.capability.toFixed(1)],
      [t('investment'), r.investment.toFixed(1)],
    ],
    override: assessment.typeOverride ? t('overridden', { type: t(`types.${assessment.typeOverride}`), reason: assessment.overrideReason }) : null,
    interpretation: pick(guidance.interpretation, lang),
    dimensions: r.dimensions.map((d) => {
      const dim = instrument.dimensions.find((x) => x.id === d.id);
      return { name: dim ? pick(dim.text, lang) : d.id, axis: t(d.axis), score: d.score === null ? '—' : d.score.toFixed(0) };
    }),
    radar: { labels: capDims.map((d) => pick(d.text, lang)), values: capDims.map((d) => r.dimensions.find((x) => x.id === d.id)?.score ?? null) },
    point: { capability: r.capability, investment: r.investment },
    regions: [...instrument.typeRules].reverse().map((rule) => ({ type: rule.type, label: t(`types.${rule.type}`), minCapability: rule.minCapability, minInvestment: rule.minInvestment })),
    strengths: r.strengths.map((s) => `${itemName(s.itemId)} (${t('gain', { points: s.points.toFixed(1) })})`),
    gaps: r.gaps.map((g) => `${itemName(g.itemId)} (${t('gain', { points: g.points.toFixed(1) })})`),
    goal: pick(guidance.goal, lang),
    programmes: guidance.programmes.map((p) => (p.note ? `${pick(p.text, lang)} — ${pick(p.note, lang)}` : pick(p.text, lang))),
    twoStage: type === 'weak' ? null : pick(TWO_STAGE_SELECTION, lang),
    finance: r.highInvestment ? [pick(FINANCE_ROUTE.consulting, lang), ...FINANCE_ROUTE.finance.map((f) => pick(f.text, lang))] : null,
    nextType: r.next ? t('nextType', { type: t(`types.${r.next.type}`), cap: r.next.capabilityNeeded.toFixed(1), inv: r.next.investmentNeeded.toFixed(1) }) : null,
    nextSteps: (r.next?.steps ?? []).map((s) => `${itemName(s.itemId)} (${t('gain', { points: s.gain.toFixed(1) })})`),
    answers: instrument.sections.flatMap((section) =>
      section.items.map((item) => [pick(section.text, lang), pick(item.text, lang), answerText(item, assessment.answers[item.id]?.value as Answer | undefined, lang, t), assessment.answers[item.id]?.comment ?? '']),
    ),
    nextActions: input.actions.map((a) => [a.title, a.owner || '—', a.dueOn ? formatDate(a.dueOn, lang) : '—', t(`actions.severities.${a.severity}`)]),
    signers: (['process', 'ai'] as const).map((key) => {
      const signed = assessment.signatures.find((x) => x.role === key);
      const assigned = key === 'process' ? company.pair?.processMentor : company.pair?.aiMentor;
      return {
        key,
        role: t(key === 'process' ? 'report.processMentor' : 'report.aiMentor'),
        name: signed?.signerName ?? assigned ?? '',
        signedAt: signed ? formatDate(signed.signedAt, lang) : null,
      };
    }),
  };
}
