/**
 * Fraud red flags (domain brief §6; the patterns seen in real enforcement): payback of the private
 * contribution, shoddy builds, inflated software labour cost, false documents. Each rule says which data
 * raised it. A flag is a prompt to look — the mentor records a finding — never an automatic verdict.
 */
import { addDays } from './dates.ts';
import { gradesBilledAboveDeclared, type GradeCounts } from './projects.ts';
import type { UsageDay } from './utilisation.ts';

export const RED_FLAG_RULES = [
  'near_zero_use_after_inspection',
  'grades_above_declared',
  'labour_vs_scope',
  'photo_reused_other_company',
  'photo_before_contract',
  'screenshot_same_supplier_sites',
  'document_after_submission',
] as const;
export type RedFlagRule = (typeof RED_FLAG_RULES)[number];

export interface RedFlag {
  rule: RedFlagRule;
  /** Parameters for the rule's translated explanation (what data raised it). */
  params: Record<string, string | number>;
}

export interface PhotoElsewhere {
  sha256: string;
  match: 'same' | 'near';
  companyName: string;
  otherCompany: boolean;
  sharedSupplier: string | null;
}

export interface RedFlagInput {
  today: string;
  project: {
    contractOn: string | null;
    finalInspectionOn: string | null;
    swLabourKrw: number | null;
    scopeUnits: number | null;
    gradesBilled: GradeCounts;
    gradesDeclared: GradeCounts;
  };
  usage: readonly UsageDay[];
  photos: readonly { fileName: string; sha256: string; takenAt: string | null }[];
  documents: readonly { title: string; datedOn: string; submittedOn: string }[];
  /**
   * Other records holding one of the project's photos (by the photo's sha256): the same bytes, or a
   * near-duplicate image; at another company, or at another project of a shared supplier.
   */
  photoElsewhere: readonly PhotoElsewhere[];
  /** Labour per scope unit (KRW) of the other projects that report both figures. */
  peerLabourPerUnit: readonly number[];
}

/** Log-in days in the 90 days after final inspection at or below this count mean the system is hardly used. */
export const NEAR_ZERO_DAYS = 3;
/** Labour per delivered unit above this multiple of the median of peers is out of line. */
export const LABOUR_MULTIPLE = 2;
export const MIN_LABOUR_PEERS = 5;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function redFlags(input: RedFlagInput): RedFlag[] {
  const out: RedFlag[] = [];
  const p = input.project;

  if (p.finalInspectionOn && input.today >= addDays(p.finalInspectionOn, 30)) {
    const from = addDays(p.finalInspectionOn, 1);
    const to = addDays(p.finalInspectionOn, 90) < input.today ? addDays(p.finalInspectionOn, 90) : input.today;
    const days = input.usage.filter((d) => d.kind === 'login' && d.day >= from && d.day <= to).length;
    const hasImport = input.usage.some((d) => d.kind === 'login');
    if (hasImport && days <= NEAR_ZERO_DAYS) out.push({ rule: 'near_zero_use_after_inspection', params: { days, from, to } });
  }

  const over = gradesBilledAboveDeclared(p.gradesBilled, p.gradesDeclared)[0];
  if (over) out.push({ rule: 'grades_above_declared', params: { grade: over.grade, billed: over.billed, covered: over.covered } });

  if (p.swLabourKrw !== null && p.swLabourKrw > 0 && p.scopeUnits !== null) {
    if (p.scopeUnits === 0) out.push({ rule: 'labour_vs_scope', params: { perUnit: p.swLabourKrw, median: 0, units: 0 } });
    else if (input.peerLabourPerUnit.length >= MIN_LABOUR_PEERS) {
      const perUnit = Math.round(p.swLabourKrw / p.scopeUnits);
      const m = median(input.peerLabourPerUnit);
      if (perUnit > m * LABOUR_MULTIPLE) out.push({ rule: 'labour_vs_scope', params: { perUnit, median: Math.round(m), units: p.scopeUnits } });
    }
  }

  for (const photo of input.photos) {
    const other = input.photoElsewhere.find((x) => x.sha256 === photo.sha256 && x.otherCompany);
    if (other) out.push({ rule: 'photo_reused_other_company', params: { file: photo.fileName, company: other.companyName, match: other.match } });
    const site = input.photoElsewhere.find((x) => x.sha256 === photo.sha256 && x.sharedSupplier !== null);
    if (site) out.push({ rule: 'screenshot_same_supplier_sites', params: { file: photo.fileName, company: site.companyName, supplier: site.sharedSupplier as string, match: site.match } });
    if (p.contractOn && photo.takenAt && photo.takenAt.slice(0, 10) < p.contractOn) {
      out.push({ rule: 'photo_before_contract', params: { file: photo.fileName, takenOn: photo.takenAt.slice(0, 10), contractOn: p.contractOn } });
    }
  }

  for (const d of input.documents) {
    if (d.datedOn > d.submittedOn) out.push({ rule: 'document_after_submission', params: { title: d.title, datedOn: d.datedOn, submittedOn: d.submittedOn } });
  }
  return out;
}
