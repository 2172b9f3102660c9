/**
 * The one scoring engine for two-axis instruments: answers → item scores → dimension and axis scores
 * (0–100) → type, with the explanation (which items moved the result) and the gap to the next type.
 * Pure: the same function runs in the form (live result), in main (stored result) and in reports.
 *
 * Rules: an unanswered item is left out of its dimension's average (so a half-filled form shows a
 * provisional result); an item skipped by its condition counts as 0 (its prerequisite is absent), which
 * keeps scores monotone: a better answer never lowers a score.
 */
import type { Answer, Answers, Axis, CompanyType, DonePlannedAnswer, Instrument, Item } from '../instruments/types.ts';

export type ItemStatus = 'answered' | 'unanswered' | 'skipped' | 'unscored';

export interface ItemResult {
  id: string;
  dimension: string;
  status: ItemStatus;
  /** 0–1, null when unanswered or unscored. */
  score: number | null;
  /** Share of its axis score this item can move (0–1). */
  axisShare: number;
  needsEvidence: boolean;
}

export interface DimensionResult {
  id: string;
  axis: Axis;
  /** 0–100, null when nothing in it is answered. */
  score: number | null;
  answered: number;
  total: number;
}

export interface Driver {
  itemId: string;
  /** Points (0–100 scale of the axis) the item adds, or could still add. */
  points: number;
}

export interface GapStep {
  itemId: string;
  from: number | null;
  /** Axis points gained by raising this item to its best answer. */
  gain: number;
}

export interface AssessmentResult {
  instrumentId: string;
  instrumentVersion: number;
  capability: number;
  investment: number;
  type: CompanyType;
  /** false while a required, applicable item is unanswered: the type is provisional. */
  complete: boolean;
  missingRequired: string[];
  highInvestment: boolean;
  dimensions: DimensionResult[];
  items: ItemResult[];
  strengths: Driver[];
  gaps: Driver[];
  /** The next better type and what it would take; null for the best type. */
  next: null | {
    type: CompanyType;
    capabilityNeeded: number;
    investmentNeeded: number;
    steps: GapStep[];
  };
}

const YPN: Record<string, number> = { yes: 1, partly: 0.5, no: 0 };

function isDonePlanned(a: Answer): a is DonePlannedAnswer {
  return typeof a === 'object' && a !== null && 'done' in a;
}

/** Score of one answer, 0–1; null when the answer is missing or not of the item's kind. */
export function answerScore(item: Item, answer: Answer | null | undefined): number | null {
  if (answer === null || answer === undefined || answer === '') return null;
  switch (item.type) {
    case 'scale':
      return typeof answer === 'number' && answer >= 1 && answer <= 5 ? (Math.round(answer) - 1) / 4 : null;
    case 'ypn':
      return typeof answer === 'string' && answer in YPN ? (YPN[answer] as number) : null;
    case 'number': {
      if (typeof answer !== 'number' || !Number.isFinite(answer)) return null;
      let score = 0;
      for (const band of item.bands) if (answer >= band.atLeast) score = Math.max(score, band.score);
      return score;
    }
    case 'donePlanned': {
      if (!isDonePlanned(answer) || item.options.length === 0) return null;
      const ids = new Set(item.options.map((o) => o.id));
      const done = new Set(answer.done.filter((d) => ids.has(d)));
      const planned = answer.planned.filter((p) => ids.has(p) && !done.has(p)).length;
      return (done.size + planned * 0.5) / item.options.length;
    }
    case 'text':
      return null;
  }
}

export function isSkipped(item: Item, answers: Answers): boolean {
  if (!item.skipIf) return false;
  const gate = answers[item.skipIf.item];
  return (typeof gate === 'string' || typeof gate === 'number') && item.skipIf.in.includes(gate);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function allItems(instrument: Instrument): Item[] {
  return instrument.sections.flatMap((s) => s.items);
}

export function scoreAssessment(instrument: Instrument, answers: Answers): AssessmentResult {
  const items = allItems(instrument);
  const dims = instrument.dimensions;

  // Item scores.
  const raw = items.map((item) => {
    const skipped = isSkipped(item, answers);
    const score = item.type === 'text' || item.weight === 0 ? null : skipped ? 0 : answerScore(item, answers[item.id]);
    const status: ItemStatus = item.type === 'text' || item.weight === 0 ? 'unscored' : skipped ? 'skipped' : score === null ? 'unanswered' : 'answered';
    return { item, score, status };
  });

  // Dimension scores: weighted average over answered and skipped items.
  const dimResults: DimensionResult[] = dims.map((d) => {
    const inDim = raw.filter((r) => r.item.dimension === d.id && r.status !== 'unscored');
    const counted = inDim.filter((r) => r.score !== null);
    const w = counted.reduce((s, r) => s + r.item.weight, 0);
    const score = w > 0 ? (counted.reduce((s, r) => s + r.item.weight * (r.score as number), 0) / w) * 100 : null;
    return { id: d.id, axis: d.axis, score, answered: inDim.filter((r) => r.status === 'answered').length, total: inDim.length };
  });

  const axisScore = (axis: Axis) => {
    const counted = dims.map((d, i) => ({ d, r: dimResults[i] as DimensionResult })).filter((x) => x.d.axis === axis && x.r.score !== null);
    const w = counted.reduce((s, x) => s + x.d.weight, 0);
    return w > 0 ? counted.reduce((s, x) => s + x.d.weight * (x.r.score as number), 0) / w : 0;
  };
  const capability = axisScore('capability');
  const investment = axisScore('investment');

  // How much of its axis each item can move, given every item answered (the full-form weights).
  const shareOf = (item: Item) => {
    const dim = dims.find((d) => d.id === item.dimension);
    if (!dim || item.weight === 0) return 0;
    const axisW = dims.filter((d) => d.axis === dim.axis).reduce((s, d) => s + d.weight, 0);
    const dimW = items.filter((i) => i.dimension === dim.id && i.type !== 'text').reduce((s, i) => s + i.weight, 0);
    return axisW > 0 && dimW > 0 ? (dim.weight / axisW) * (item.weight / dimW) : 0;
  };

  const itemResults: ItemResult[] = raw.map(({ item, score, status }) => ({
    id: item.id,
    dimension: item.dimension,
    status,
    score,
    axisShare: shareOf(item),
    needsEvidence: item.evidenceAtOrAbove !== undefined && score !== null && status === 'answered' && score >= item.evidenceAtOrAbove,
  }));

  const missingRequired = raw.filter((r) => r.item.required && r.status === 'unanswered').map((r) => r.item.id);
  const type = classify(instrument, capability, investment);

  const scored = itemResults.filter((r) => r.status !== 'unscored');
  const strengths = scored
    .filter((r) => r.score !== null && r.score > 0)
    .map((r) => ({ itemId: r.id, points: round1(r.axisShare * (r.score as number) * 100) }))
    .sort((a, b) => b.points - a.points)
    .slice(0, 5);
  const gaps = scored
    .map((r) => ({ itemId: r.id, points: round1(r.axisShare * (1 - (r.score ?? 0)) * 100) }))
    .filter((g) => g.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, 5);

  return {
    instrumentId: instrument.id,
    instrumentVersion: instrument.version,
    capability: round1(capability),
    investment: round1(investment),
    type,
    complete: missingRequired.length === 0,
    missingRequired,
    highInvestment: investment >= instrument.highInvestmentAt,
    dimensions: dimResults.map((d) => ({ ...d, score: d.score === null ? null : round1(d.score) })),
    items: itemResults,
    strengths,
    gaps,
    next: nextType(instrument, type, capability, investment, itemResults),
  };
}

export function classify(instrument: Instrument, capability: number, investment: number): CompanyType {
  const rule = instrument.typeRules.find((r) => capability >= r.minCapability && investment >= r.minInvestment);
  return rule?.type ?? 'weak';
}

function nextType(
  instrument: Instrument,
  type: CompanyType,
  capability: number,
  investment: number,
  items: ItemResult[],
): AssessmentResult['next'] {
  const idx = instrument.typeRules.findIndex((r) => r.type === type);
  const better = idx > 0 ? instrument.typeRules[idx - 1] : undefined;
  if (!better) return null;
  const capabilityNeeded = round1(Math.max(0, better.minCapability - capability));
  const investmentNeeded = round1(Math.max(0, better.minInvestment - investment));
  const axisOf = (dimId: string) => instrument.dimensions.find((d) => d.id === dimId)?.axis;
  const steps: GapStep[] = [];
  for (const [axis, needed] of [
    ['capability', capabilityNeeded],
    ['investment', investmentNeeded],
  ] as const) {
    let covered = 0;
    const candidates = items
      .filter((r) => axisOf(r.dimension) === axis && r.status !== 'unscored' && (r.score ?? 0) < 1)
      .map((r) => ({ r, gain: r.axisShare * (1 - (r.score ?? 0)) * 100 }))
      .sort((a, b) => b.gain - a.gain);
    for (const c of candidates) {
      if (covered >= needed) break;
      steps.push({ itemId: c.r.id, from: c.r.score, gain: round1(c.gain) });
      covered += c.gain;
    }
  }
  return { type: better.type, capabilityNeeded, investmentNeeded, steps };
}
