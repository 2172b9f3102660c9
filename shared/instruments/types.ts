/**
 * Instruments are versioned data: sections, items, answer types, weights, skip conditions and the
 * classification rules. An assessment stores the instrument id and version it was made with, so a newer
 * version never changes an old result.
 */
export interface L10n {
  ko: string;
  en: string;
}

/** An item is not applicable (and scores 0) when the answer to `item` is one of `in`. */
export interface SkipCondition {
  item: string;
  in: readonly (string | number)[];
}

interface ItemBase {
  id: string;
  dimension: string;
  text: L10n;
  help?: L10n;
  required: boolean;
  /** Relative weight inside its dimension; 0 for items that are recorded but not scored. */
  weight: number;
  skipIf?: SkipCondition;
  /** Answers scoring at or above this share (0–1) need an evidence photo or document. */
  evidenceAtOrAbove?: number;
  presetComments?: readonly L10n[];
}

/** 1–5 scale with anchored descriptions of what a 1, 3 and 5 look like on the floor. */
export interface ScaleItem extends ItemBase {
  type: 'scale';
  anchors: { 1: L10n; 2?: L10n; 3: L10n; 4?: L10n; 5: L10n };
}

/** yes / partly / no. */
export interface YesPartlyNoItem extends ItemBase {
  type: 'ypn';
}

/** A number with a unit; bands turn it into a score (the highest band whose `atLeast` it reaches). */
export interface NumberItem extends ItemBase {
  type: 'number';
  unit: 'percent' | 'krw' | 'people' | 'count';
  min: number;
  max: number;
  bands: readonly { atLeast: number; score: number }[];
}

/** A list of practices, each already done, planned or neither (done counts fully, planned half). */
export interface DonePlannedItem extends ItemBase {
  type: 'donePlanned';
  options: readonly { id: string; text: L10n }[];
}

/** Free text (recorded, not scored). */
export interface TextItem extends ItemBase {
  type: 'text';
}

export type Item = ScaleItem | YesPartlyNoItem | NumberItem | DonePlannedItem | TextItem;

export type Axis = 'capability' | 'investment';

export interface Dimension {
  id: string;
  axis: Axis;
  /** Relative weight inside its axis. */
  weight: number;
  text: L10n;
}

export interface Section {
  id: string;
  text: L10n;
  items: readonly Item[];
}

export type CompanyType = 'excellent' | 'average' | 'weak';

/** First matching rule wins; the last rule (0, 0) catches everything. */
export interface TypeRule {
  type: CompanyType;
  minCapability: number;
  minInvestment: number;
}

export interface Instrument {
  id: string;
  version: number;
  title: L10n;
  dimensions: readonly Dimension[];
  sections: readonly Section[];
  typeRules: readonly TypeRule[];
  /** Investment score from which the consulting-and-finance route is recommended. */
  highInvestmentAt: number;
  /** Comments offered on every item (items may add their own). */
  presetComments?: readonly L10n[];
}

export type DonePlannedAnswer = { done: readonly string[]; planned: readonly string[] };
export type YesPartlyNo = 'yes' | 'partly' | 'no';
/** A scale level (1–5) or number, a {@link YesPartlyNo} or free text, or a done/planned pair. */
export type Answer = number | string | DonePlannedAnswer;
export type Answers = Readonly<Record<string, Answer | null | undefined>>;
