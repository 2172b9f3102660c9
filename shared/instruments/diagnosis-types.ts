/**
 * The supplier capability diagnosis (기술 공급기업 역량진단) is a weighted checklist: items in areas, weights
 * summing to 100, points out of 1,000 and a grade scale with − / + steps. Versioned data like every
 * instrument; the grading rules are data too.
 */
import type { L10n, ScaleItem } from './types.ts';

export type DiagnosisArea = 'management' | 'technology' | 'project';
export type EvidenceKind = 'document' | 'demo' | 'reference_site';

export interface DiagnosisItem extends Omit<ScaleItem, 'dimension'> {
  area: DiagnosisArea;
  /** What the consultant looks at to score it. */
  evidence: readonly EvidenceKind[];
  /** Only asked on the in-depth track (심층진단). */
  inDepthOnly?: boolean;
}

export interface Grade {
  /** e.g. "Level 2+"; the list runs from best to worst. */
  label: string;
  /** Minimum points (of 1,000). */
  min: number;
  /** The grade counts as excellent (우수) for the portal and programmes. */
  excellent?: boolean;
}

export interface DiagnosisInstrument {
  id: string;
  version: number;
  title: L10n;
  areas: readonly { id: DiagnosisArea; text: L10n }[];
  items: readonly DiagnosisItem[];
  /** Best first; the last has min 0. */
  grades: readonly Grade[];
}
