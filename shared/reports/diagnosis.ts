/**
 * The supplier diagnosis report's content, shaped from the stored data (pure; drawn by
 * electron/services/reports/diagnosis.ts).
 */
import { formatBrn } from '../domain/brn.ts';
import { formatDate, formatKrw, formatNumber } from '../domain/format.ts';
import { regionName } from '../domain/regions.ts';
import type { DiagnosisInstrument } from '../instruments/diagnosis-types.ts';
import type { L10n } from '../instruments/types.ts';
import type { OrgDetail } from '../schemas/organizations.ts';
import type { DiagnosisResult } from '../scoring/diagnosis.ts';
import type { Translate } from './assessment.ts';

export interface DiagnosisReportInput {
  lang: 'ko' | 'en';
  t: Translate;
  instrument: DiagnosisInstrument;
  supplier: OrgDetail;
  diagnosis: {
    id: string;
    track: 'basic' | 'in_depth';
    consultantName: string;
    diagnosedOn: string;
    strategy: string;
    finalizedAt: string | null;
    answers: Record<string, { score: number | null; comment: string }>;
    result: DiagnosisResult;
    plan: { what: string; how: string; dueOn: string | null }[];
    signatures: { role: 'consultant' | 'supplier'; signerName: string; signedAt: string }[];
    previous: { diagnosedOn: string; result: DiagnosisResult } | null;
  };
}

export interface DiagnosisReportModel {
  title: string;
  subtitle: string;
  header: string;
  footer: string;
  status: string;
  supplierFacts: [string, string][];
  summary: [string, string][];
  gradeScale: string;
  areas: { labels: string[]; current: number[]; previous: number[] | null; previousLabel: string | null; rows: string[][] };
  strengths: string[];
  weaknesses: string[];
  plan: string[][];
  strategy: string | null;
  items: string[][];
  signers: { key: 'consultant' | 'supplier'; role: string; name: string; signedAt: string | null }[];
}

const pick = (text: L10n, lang: 'ko' | 'en') => text[lang];

export function diagnosisReportModel(input: DiagnosisReportInput): DiagnosisReportModel {
  const { lang, t, instrument, supplier, diagnosis: d } = input;
  const r = d.result;
  const item = (id: string) => instrument.items.find((i) => i.id === id);
  const name = (id: string) => {
    const it = item(id);
    return it ? pick(it.text, lang) : id;
  };
  const areaName = (id: string) => pick(instrument.areas.find((a) => a.id === id)?.text ?? { ko: id, en: id }, lang);
  const latest = supplier.financials.find((f) => f.revenue !== null);
  const prev = d.previous;
  const trackItems = instrument.items.filter((i) => d.track === 'in_depth' || !i.inDepthOnly);
  return {
    title: t('report.title', { supplier: supplier.name }),
    subtitle: `${pick(instrument.title, lang)} v${instrument.version} · ${t(`tracks.${d.track}`)} · ${formatDate(d.diagnosedOn, lang)}`,
    header: `DX Mentor · ${pick(instrument.title, lang)}`,
    footer: `${supplier.name} · ${d.id.slice(-12)}`,
    status: d.finalizedAt ? t('report.finalized', { date: formatDate(d.finalizedAt, lang) }) : t('report.draftNotice'),
    supplierFacts: [
      [t('report.brn'), formatBrn(supplier.brn)],
      [t('report.representative'), supplier.representative],
      [t('report.region'), regionName(supplier.region, lang)],
      [t('report.techFields'), supplier.techFields.map((f) => t(`registry:tech.${f}`)).join(', ') || '—'],
      [t('report.buildRecord'), supplier.buildRecordCount === null ? '—' : formatNumber(supplier.buildRecordCount, lang)],
      [t('report.revenue'), latest?.revenue != null ? `${formatKrw(latest.revenue, lang)} (${latest.fiscalYear})` : '—'],
    ],
    summary: [
      [t('grade'), r.grade.label + (r.grade.excellent ? ` (${t('excellent')})` : '') + (r.complete ? '' : ` (${t('provisional')})`)],
      [t('points'), `${r.points.toFixed(1)} / 1,000`],
      [t('toNext'), r.toNextGrade ? t('toNextText', { grade: r.toNextGrade.label, points: r.toNextGrade.points.toFixed(1) }) : t('topGrade')],
      [t('consultant'), d.consultantName],
      ...(prev ? ([[t('report.change'), t('report.changeText', { from: prev.result.grade.label, to: r.grade.label, points: signed(r.points - prev.result.points) })]] as [string, string][]) : []),
    ],
    gradeScale: instrument.grades.map((g) => `${g.label} ≥ ${g.min}`).join(' · '),
    areas: {
      labels: r.areas.map((a) => areaName(a.id)),
      current: r.areas.map((a) => a.percent),
      previous: prev ? r.areas.map((a) => prev.result.areas.find((x) => x.id === a.id)?.percent ?? 0) : null,
      previousLabel: prev ? t('report.previous', { date: formatDate(prev.diagnosedOn, lang) }) : null,
      rows: r.areas.map((a) => {
        const p = prev?.result.areas.find((x) => x.id === a.id);
        return [areaName(a.id), `${a.points.toFixed(1)} / ${a.max.toFixed(1)}`, `${a.percent.toFixed(1)}%`, p ? signed(a.points - p.points) : '—'];
      }),
    },
    strengths: r.strongest.map((s) => `${name(s.itemId)} (${Math.round(s.score * 4 + 1)}/5)`),
    weaknesses: r.weakest.map((w) => `${name(w.itemId)} (${Math.round(w.score * 4 + 1)}/5, ${t('gain', { points: w.gain.toFixed(1) })})`),
    plan: d.plan.map((p) => [p.what, p.how || '—', p.dueOn ? formatDate(p.dueOn, lang) : '—']),
    strategy: d.track === 'in_depth' ? d.strategy || '—' : null,
    items: trackItems.map((i) => {
      const a = d.answers[i.id];
      const score = a?.score ?? null;
      const anchor = score !== null ? (i.anchors as Record<number, L10n | undefined>)[score] : undefined;
      return [areaName(i.area), pick(i.text, lang), String(i.weight), score === null ? '—' : anchor ? `${score} — ${pick(anchor, lang)}` : String(score), a?.comment ?? ''];
    }),
    signers: (['consultant', 'supplier'] as const).map((key) => {
      const s = d.signatures.find((x) => x.role === key);
      return {
        key,
        role: t(`signers.${key}`),
        name: s?.signerName ?? (key === 'consultant' ? d.consultantName : supplier.representative),
        signedAt: s ? formatDate(s.signedAt, lang) : null,
      };
    }),
  };
}

function signed(n: number): string {
  const v = Math.round(n * 10) / 10;
  return `${v > 0 ? '+' : ''}${v.toFixed(1)}`;
}
