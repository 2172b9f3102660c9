/**
 * The assessment as a table for the central office (CSV/XLSX): one row per item with the summary columns
 * repeated, so the file can be stacked with others and filtered. Pure data shaping.
 */
import { findItem } from '../instruments/index.ts';
import type { Instrument } from '../instruments/types.ts';
import type { OrgDetail } from '../schemas/organizations.ts';
import type { AssessmentResult } from '../scoring/assessment.ts';
import { answerText, type Translate } from './assessment.ts';

export interface AssessmentTable {
  sheetSummary: [string, string | number | null][];
  columns: string[];
  rows: (string | number | null)[][];
}

export function assessmentTable(input: {
  lang: string;
  t: Translate;
  instrument: Instrument;
  company: OrgDetail;
  assessment: { id: string; finalizedAt: string | null; typeOverride: string | null; overrideReason: string; answers: Record<string, { value: unknown; comment: string }>; result: AssessmentResult };
}): AssessmentTable {
  const { lang, t, instrument, company, assessment: a } = input;
  const pick = (x: { ko: string; en: string }) => (lang.startsWith('ko') ? x.ko : x.en);
  const base: (string | number | null)[] = [
    a.id,
    company.brn,
    company.name,
    company.region,
    `${instrument.id}@${instrument.version}`,
    a.finalizedAt,
    a.result.capability,
    a.result.investment,
    a.result.type,
    a.typeOverride,
  ];
  const rows = instrument.sections.flatMap((section) =>
    section.items.map((item) => {
      const r = a.result.items.find((x) => x.id === item.id);
      const value = a.answers[item.id]?.value;
      return [
        ...base,
        section.id,
        item.id,
        pick(item.text),
        value === undefined || value === null ? null : JSON.stringify(value),
        answerText(findItem(instrument, item.id) ?? item, value, lang, t),
        r?.score === null || r?.score === undefined ? null : Math.round(r.score * 1000) / 10,
        r?.status ?? null,
        a.answers[item.id]?.comment ?? '',
      ];
    }),
  );
  return {
    sheetSummary: [
      ['assessment_id', a.id],
      ['brn', company.brn],
      ['company', company.name],
      ['instrument', `${instrument.id}@${instrument.version}`],
      ['finalized_at', a.finalizedAt],
      ['capability', a.result.capability],
      ['investment', a.result.investment],
      ['type', a.result.type],
      ['type_override', a.typeOverride],
      ['override_reason', a.overrideReason],
      ['complete', a.result.complete ? 'yes' : 'no'],
    ],
    columns: ['assessment_id', 'brn', 'company', 'region', 'instrument', 'finalized_at', 'capability', 'investment', 'type', 'type_override', 'section', 'item_id', 'item', 'answer_json', 'answer', 'item_score', 'status', 'comment'],
    rows,
  };
}
