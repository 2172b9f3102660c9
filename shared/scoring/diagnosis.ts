/**
 * Scoring of the supplier diagnosis: each item's 1–5 answer → 0–1, weighted to points out of 1,000, per
 * area and in total, graded on the instrument's scale. Items of the in-depth track count only there.
 */
import { addMonths } from '../domain/dates.ts';
import type { DiagnosisArea, DiagnosisInstrument, DiagnosisItem, Grade } from '../instruments/diagnosis-types.ts';

export type Track = 'basic' | 'in_depth';

export interface DiagnosisResult {
  track: Track;
  /** Points out of 1,000, rescaled over the items of the track. */
  points: number;
  grade: Grade;
  /** Points still needed for the next better grade; null at the top. */
  toNextGrade: { label: string; points: number } | null;
  areas: { id: DiagnosisArea; points: number; max: number; percent: number }[];
  complete: boolean;
  missing: string[];
  /** Weakest items first: where consulting helps most (weight × shortfall). */
  weakest: { itemId: string; score: number; gain: number }[];
  strongest: { itemId: string; score: number }[];
}

export function itemsOf(instrument: DiagnosisInstrument, track: Track): DiagnosisItem[] {
  return instrument.items.filter((i) => track === 'in_depth' || !i.inDepthOnly);
}

export function gradeFor(instrument: DiagnosisInstrument, points: number): Grade {
  return instrument.grades.find((g) => points >= g.min) ?? (instrument.grades.at(-1) as Grade);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function scoreDiagnosis(instrument: DiagnosisInstrument, answers: Readonly<Record<string, number | null | undefined>>, track: Track): DiagnosisResult {
  const items = itemsOf(instrument, track);
  const totalWeight = items.reduce((s, i) => s + i.weight, 0);
  const scale = 1000 / totalWeight;
  const score = (i: DiagnosisItem) => {
    const a = answers[i.id];
    return typeof a === 'number' && a >= 1 && a <= 5 ? (Math.round(a) - 1) / 4 : null;
  };
  const points = items.reduce((s, i) => s + (score(i) ?? 0) * i.weight * scale, 0);
  const grade = gradeFor(instrument, round1(points));
  const idx = instrument.grades.indexOf(grade);
  const better = idx > 0 ? instrument.grades[idx - 1] : undefined;
  const missing = items.filter((i) => i.required && score(i) === null).map((i) => i.id);
  const strongest = items
    .map((i) => ({ itemId: i.id, score: score(i) ?? 0, weight: i.weight }))
    .filter((x) => x.score >= 0.75)
    .sort((a, b) => b.score * b.weight - a.score * a.weight)
    .slice(0, 5)
    .map(({ itemId, score: s }) => ({ itemId, score: s }));
  return {
    track,
    points: round1(points),
    grade,
    toNextGrade: better ? { label: better.label, points: round1(better.min - points) } : null,
    areas: instrument.areas.map((a) => {
      const inArea = items.filter((i) => i.area === a.id);
      const max = inArea.reduce((s, i) => s + i.weight * scale, 0);
      const got = inArea.reduce((s, i) => s + (score(i) ?? 0) * i.weight * scale, 0);
      return { id: a.id, points: round1(got), max: round1(max), percent: max > 0 ? round1((got / max) * 100) : 0 };
    }),
    complete: missing.length === 0,
    missing,
    // An item is listed as a strength or a weakness, never both.
    weakest: items
      .map((i) => ({ itemId: i.id, score: score(i) ?? 0, gain: round1((1 - (score(i) ?? 0)) * i.weight * scale) }))
      .filter((x) => x.gain > 0 && !strongest.some((s) => s.itemId === x.itemId))
      .sort((a, b) => b.gain - a.gain)
      .slice(0, 8),
    strongest,
  };
}

export interface PlanSuggestion {
  itemId: string;
  what: string;
  how: string;
  dueOn: string;
}

const PLAN_TEXT = {
  what: { ko: '{item}: {from}점 → {to}점', en: '{item}: {from} → {to}' },
  how: { ko: '목표 수준: {target} (확인 자료: {evidence})', en: 'Target: {target} (evidence: {evidence})' },
  evidence: {
    document: { ko: '문서', en: 'documents' },
    demo: { ko: '시스템 시연', en: 'system demo' },
    reference_site: { ko: '참조 현장', en: 'reference site' },
  },
} as const;

const fill = (template: string, params: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));

/**
 * The consulting plan the diagnosis suggests: the weakest items (largest weighted shortfall) first, each
 * raised one anchor step (to 3, or to 5 from 3 and above) — what, how (the anchor to reach and the evidence
 * that will show it) and by when (the three largest gains in three months, the rest in six). The
 * consultant edits it afterwards.
 */
export function suggestPlan(instrument: DiagnosisInstrument, result: DiagnosisResult, answers: Readonly<Record<string, number | null | undefined>>, lang: 'ko' | 'en', from: string, count = 6): PlanSuggestion[] {
  const byId = new Map(instrument.items.map((i) => [i.id, i]));
  return result.weakest.slice(0, count).flatMap((w, rank) => {
    const item = byId.get(w.itemId);
    if (!item) return [];
    const current = answers[w.itemId] ?? 1;
    const to = current < 3 ? 3 : 5;
    return [
      {
        itemId: item.id,
        what: fill(PLAN_TEXT.what[lang], { item: item.text[lang], from: current, to }),
        how: fill(PLAN_TEXT.how[lang], { target: item.anchors[to][lang], evidence: item.evidence.map((e) => PLAN_TEXT.evidence[e][lang]).join(', ') }),
        dueOn: addMonths(from, rank < 3 ? 3 : 6),
      },
    ];
  });
}
