/**
 * Where an organisation stands in the programme (domain brief §5, §6): fraud sanctions and the VC link.
 *
 * Sanctions: a fraud finding excludes the organisation for {@link EXCLUSION_YEARS} years from the decision
 * (the decision day through the same calendar day five years later, counted as 민법 제160조 does) and the
 * subsidy is clawed back; a second finding bars it for good (Two Strike Out); one finding at an organisation
 * with several projects puts all its projects under special inspection.
 *
 * VC link: at least {@link VC_LINK_MIN_KRW} of VC investment in the last {@link VC_LINK_YEARS} years and at
 * least one technology-intensive field lets a supplier join advanced-factory builds.
 */
import { addDays, addYears } from './dates.ts';
import { TECH_FIELDS } from './tech-fields.ts';

export const EXCLUSION_YEARS = 5;
export const VC_LINK_MIN_KRW = 500_000_000;
export const VC_LINK_YEARS = 3;

export const FRAUD_KINDS = ['payback', 'shoddy_build', 'inflated_labour', 'false_documents', 'other'] as const;
export type FraudKind = (typeof FRAUD_KINDS)[number];

export interface SanctionRecord {
  kind: FraudKind;
  decidedOn: string;
}

export type Standing =
  | { state: 'clear'; findings: number; specialInspection: boolean }
  | { state: 'excluded'; findings: number; until: string; specialInspection: boolean }
  | { state: 'barred'; findings: number; specialInspection: true };

/** The last day of the exclusion a decision on `decidedOn` imposes. */
export function exclusionEnds(decidedOn: string): string {
  return addYears(decidedOn, EXCLUSION_YEARS);
}

/** Standing on `today` from the organisation's findings (archived ones excluded by the caller). */
export function standing(findings: readonly SanctionRecord[], today: string): Standing {
  const decided = findings.filter((f) => f.decidedOn <= today);
  if (decided.length >= 2) return { state: 'barred', findings: decided.length, specialInspection: true };
  const specialInspection = decided.length > 0;
  const active = decided.map((f) => exclusionEnds(f.decidedOn)).filter((end) => today <= end);
  if (active.length > 0) return { state: 'excluded', findings: decided.length, until: active.sort().at(-1) as string, specialInspection };
  return { state: 'clear', findings: decided.length, specialInspection };
}

/** Whether the organisation may be picked for a project on `today`. */
export function mayBePicked(s: Standing): boolean {
  return s.state === 'clear';
}

export interface VcInvestment {
  amount: number;
  investedOn: string;
}

export interface VcLink {
  eligible: boolean;
  /** Sum of investments inside the window. */
  recentKrw: number;
  /** First day of the window. */
  since: string;
  intensiveFields: string[];
  reasons: { key: 'vcLink.amountOk' | 'vcLink.amountShort' | 'vcLink.fieldOk' | 'vcLink.fieldMissing'; params: Record<string, string | number> }[];
}

export function vcLink(investments: readonly VcInvestment[], techFields: readonly string[], today: string): VcLink {
  // Three years back means the day after the same date three years ago, through today.
  const since = addDays(addYears(today, -VC_LINK_YEARS), 1);
  const recentKrw = investments.filter((i) => i.investedOn >= since && i.investedOn <= today).reduce((s, i) => s + i.amount, 0);
  const intensive = new Set<string>(TECH_FIELDS.filter((f) => f.intensive).map((f) => f.code));
  const intensiveFields = techFields.filter((f) => intensive.has(f));
  const amountOk = recentKrw >= VC_LINK_MIN_KRW;
  const fieldOk = intensiveFields.length > 0;
  return {
    eligible: amountOk && fieldOk,
    recentKrw,
    since,
    intensiveFields,
    reasons: [
      amountOk
        ? { key: 'vcLink.amountOk', params: { amount: recentKrw, min: VC_LINK_MIN_KRW, years: VC_LINK_YEARS } }
        : { key: 'vcLink.amountShort', params: { amount: recentKrw, min: VC_LINK_MIN_KRW, years: VC_LINK_YEARS, short: VC_LINK_MIN_KRW - recentKrw } },
      fieldOk ? { key: 'vcLink.fieldOk', params: { count: intensiveFields.length } } : { key: 'vcLink.fieldMissing', params: {} },
    ],
  };
}
