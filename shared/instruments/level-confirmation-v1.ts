/**
 * Private level confirmation (민간 수준확인), version 1, as data: shaped like the national smart-factory
 * diagnosis model — four fields (management system, process, systems and automation, performance), areas
 * under them, a step 0–5 per area, points out of 1,000 — yielding both scales the programme uses: the
 * built-system level (기초 / 중간1 / 중간2 / 고도화) and the capability Level 1–5. The weights and thresholds
 * are the product's (the national model's item list is not public); they are stated on the result page.
 */
import type { L10n } from './types.ts';

const l = (ko: string, en: string): L10n => ({ ko, en });

export type LevelField = 'management' | 'process' | 'systems' | 'performance';

export interface LevelArea {
  id: string;
  field: LevelField;
  /** Points at step 5 (the area's share of 1,000). */
  points: number;
  text: L10n;
  /** What steps 1, 3 and 5 look like. */
  steps: { 1: L10n; 3: L10n; 5: L10n };
}

export interface LevelInstrument {
  id: string;
  version: number;
  title: L10n;
  fields: readonly { id: LevelField; text: L10n }[];
  areas: readonly LevelArea[];
  /** Capability levels, best first; the last has min 0. */
  capability: readonly { level: 1 | 2 | 3 | 4 | 5; min: number }[];
  /** Built-system level by capability level. */
  built: Readonly<Record<1 | 2 | 3 | 4 | 5, 'basic' | 'intermediate1' | 'intermediate2' | 'advanced'>>;
  /** Months a certificate stays valid. */
  validityMonths: number;
  /** What the confirmation is good for. */
  uses: readonly L10n[];
}

const area = (id: string, field: LevelField, points: number, text: [string, string], s1: [string, string], s3: [string, string], s5: [string, string]): LevelArea => ({
  id,
  field,
  points,
  text: l(...text),
  steps: { 1: l(...s1), 3: l(...s3), 5: l(...s5) },
});

export const levelConfirmationV1: LevelInstrument = {
  id: 'level-confirmation',
  version: 1,
  title: l('스마트공장 민간 수준확인', 'Smart-factory private level confirmation'),
  fields: [
    { id: 'management', text: l('추진체계', 'Management system') },
    { id: 'process', text: l('프로세스', 'Process') },
    { id: 'systems', text: l('시스템·자동화', 'Systems and automation') },
    { id: 'performance', text: l('성과', 'Performance') },
  ],
  areas: [
    area('lead_strategy', 'management', 50, ['리더십과 전략', 'Leadership and strategy'], ['목표 없음', 'No goals'], ['목표와 계획', 'Goals and a plan'], ['전사 전략·투자·점검', 'Company-wide strategy, investment and reviews']),
    area('org_people', 'management', 50, ['조직과 인력', 'Organisation and people'], ['담당 없음', 'No one in charge'], ['전담자', 'A dedicated person'], ['전담 조직·교육 체계', 'A dedicated team and training']),
    area('planning', 'process', 80, ['생산계획', 'Production planning'], ['수기 계획', 'Planned by hand'], ['시스템 계획·실적 연계', 'Planned in a system, linked to actuals'], ['실시간 최적 계획', 'Real-time optimised planning']),
    area('operations', 'process', 80, ['생산·공정 관리', 'Production and process control'], ['구두 지시', 'Verbal orders'], ['작업지시·실적 시스템 관리', 'Work orders and actuals in a system'], ['공정 자동 제어·최적화', 'Automatic control and optimisation']),
    area('quality', 'process', 80, ['품질관리', 'Quality control'], ['사후 검사', 'Inspection after the fact'], ['공정 검사·이력 관리', 'In-process inspection with history'], ['예측·자동 판정', 'Predictive, automatic judgement']),
    area('materials', 'process', 80, ['자재·물류', 'Materials and logistics'], ['장부 관리', 'Kept in ledgers'], ['바코드·입출고 시스템', 'Barcodes and an in/out system'], ['실시간 재고·자동 발주', 'Real-time stock and automatic ordering']),
    area('maintenance', 'process', 80, ['설비보전', 'Equipment maintenance'], ['고장 후 수리', 'Repair after failure'], ['예방보전 계획', 'Preventive maintenance plan'], ['예지보전', 'Predictive maintenance']),
    area('information', 'systems', 150, ['정보시스템(MES·ERP 등)', 'Information systems (MES, ERP…)'], ['없음·엑셀', 'None or spreadsheets'], ['주요 업무 시스템화·연동', 'Core work in linked systems'], ['전 업무 통합·실시간', 'All work integrated in real time']),
    area('automation', 'systems', 150, ['설비 자동화와 데이터 수집', 'Automation and equipment data'], ['수동 설비', 'Manual equipment'], ['주요 설비 자동 수집', 'Data collected from key equipment'], ['설비 간 자동 연계·제어', 'Equipment linked and controlled automatically']),
    area('analytics', 'systems', 100, ['데이터 분석·AI', 'Data analysis and AI'], ['분석 없음', 'No analysis'], ['대시보드·통계 분석', 'Dashboards and statistics'], ['AI 모델 운영', 'AI models in operation']),
    area('outcomes', 'performance', 100, ['성과지표 개선', 'KPI improvement'], ['측정 안 함', 'Not measured'], ['측정·일부 개선', 'Measured, some improvement'], ['목표 초과 달성', 'Targets exceeded']),
  ],
  capability: [
    { level: 5, min: 900 },
    { level: 4, min: 750 },
    { level: 3, min: 600 },
    { level: 2, min: 450 },
    { level: 1, min: 0 },
  ],
  built: { 1: 'basic', 2: 'basic', 3: 'intermediate1', 4: 'intermediate2', 5: 'advanced' },
  validityMonths: 24,
  uses: [
    l('중소기업 공공조달 적격심사에서 가점 자료로 제출', 'Extra points in SME public-procurement qualification'),
    l('스마트공장 고도화 지원사업 신청 시 현재 수준 증빙', 'Evidence of the current level when applying for advanced-factory support'),
    l('자체 구축 성과의 대외 증빙(거래처·금융기관)', 'Proof of a self-built factory to customers and lenders'),
  ],
};

export interface LevelResult {
  points: number;
  capabilityLevel: 1 | 2 | 3 | 4 | 5;
  builtLevel: 'basic' | 'intermediate1' | 'intermediate2' | 'advanced';
  fields: { id: LevelField; points: number; max: number }[];
  areas: { id: string; step: number | null; points: number; max: number }[];
  missing: string[];
  complete: boolean;
}

/** Each area's step (0–5) gives step/5 of its points; the total decides both scales. */
export function scoreLevel(instrument: LevelInstrument, steps: Readonly<Record<string, number | null | undefined>>): LevelResult {
  const round1 = (n: number) => Math.round(n * 10) / 10;
  const areas = instrument.areas.map((a) => {
    const s = steps[a.id];
    const step = typeof s === 'number' && s >= 0 && s <= 5 ? Math.round(s) : null;
    return { id: a.id, step, points: round1(((step ?? 0) / 5) * a.points), max: a.points };
  });
  const points = round1(areas.reduce((s, a) => s + a.points, 0));
  const capabilityLevel = (instrument.capability.find((c) => points >= c.min) ?? instrument.capability.at(-1))?.level ?? 1;
  const missing = areas.filter((a) => a.step === null).map((a) => a.id);
  return {
    points,
    capabilityLevel,
    builtLevel: instrument.built[capabilityLevel],
    fields: instrument.fields.map((f) => {
      const inField = instrument.areas.filter((a) => a.field === f.id);
      return { id: f.id, points: round1(areas.filter((a) => inField.some((x) => x.id === a.id)).reduce((s, a) => s + a.points, 0)), max: inField.reduce((s, a) => s + a.points, 0) };
    }),
    areas,
    missing,
    complete: missing.length === 0,
  };
}
