/**
 * The post-build checklist (사후관리 점검표), version 1, as data: stabilisation, free after-service, operator
 * training, real utilisation (log-ins AND material receiving/issuing), the supplier still in business,
 * outcomes against the KPI baseline, the sincerity pledge and consent to publish (domain brief §4).
 */
import { KPI_DEFINITIONS } from '../domain/programmes.ts';
import type { L10n } from './types.ts';

const l = (ko: string, en: string): L10n => ({ ko, en });

export interface CheckItem {
  id: string;
  section: 'stabilisation' | 'after_service' | 'training' | 'utilisation' | 'supplier' | 'outcomes' | 'documents';
  type: 'ypn' | 'yn' | 'number' | 'date' | 'text';
  unit?: 'count' | 'people' | 'per_week' | 'per_month' | 'percent_index' | 'percent' | 'days' | 'krw' | 'kwh';
  text: L10n;
  help?: L10n;
  /** Asked only when the answer to `item` is one of `in`. */
  showIf?: { item: string; in: readonly string[] };
  required: boolean;
}

export interface CheckInstrument {
  id: string;
  version: number;
  title: L10n;
  sections: readonly { id: CheckItem['section']; text: L10n }[];
  items: readonly CheckItem[];
}

/** KPIs where a lower value is better (defects, lead time, cost, accidents, energy). */
export const LOWER_IS_BETTER = new Set(['defect_rate', 'lead_time', 'unit_cost', 'accidents', 'energy']);

const kpiUnit = (u: string): CheckItem['unit'] => (u === 'percent_index' || u === 'percent' || u === 'days' || u === 'krw' || u === 'kwh' || u === 'people' || u === 'count' ? u : 'count');

export const postbuildV1: CheckInstrument = {
  id: 'postbuild-check',
  version: 1,
  title: l('구축 후 사후관리 점검', 'Post-build check'),
  sections: [
    { id: 'stabilisation', text: l('안정화(6개월)', 'Stabilisation (6 months)') },
    { id: 'after_service', text: l('무상 AS(1년)', 'Free after-service (1 year)') },
    { id: 'training', text: l('운영자 교육', 'Operator training') },
    { id: 'utilisation', text: l('실제 활용도(접속·자재 입출고)', 'Real use (log-ins and material in/out)') },
    { id: 'supplier', text: l('공급기업', 'Supplier') },
    { id: 'outcomes', text: l('성과지표(기준값 대비)', 'Outcomes (against the baseline)') },
    { id: 'documents', text: l('서약·공개 동의', 'Pledge and consent') },
  ],
  items: [
    { id: 'stab_completed', section: 'stabilisation', type: 'ypn', required: true, text: l('안정화가 완료되었다', 'Stabilisation is complete') },
    { id: 'as_requests', section: 'after_service', type: 'number', unit: 'count', required: true, text: l('무상 AS 요청 건수', 'Free after-service requests') },
    { id: 'as_resolved', section: 'after_service', type: 'number', unit: 'count', required: true, text: l('그중 해결된 건수', 'Of which resolved') },
    { id: 'training_held', section: 'training', type: 'ypn', required: true, text: l('운영자 교육을 실시했다', 'Operator training was held') },
    { id: 'training_people', section: 'training', type: 'number', unit: 'people', required: false, text: l('교육 인원', 'People trained') },
    {
      id: 'use_active_users',
      section: 'utilisation',
      type: 'number',
      unit: 'people',
      required: true,
      text: l('실사용자 수(최근 30일 접속)', 'Active users (logged in, last 30 days)'),
      help: l('MES/ERP 접속 기록을 가져오면 자동으로 채워집니다.', 'Filled in when the MES/ERP log-in export is imported.'),
    },
    { id: 'use_logins_week', section: 'utilisation', type: 'number', unit: 'per_week', required: true, text: l('주당 접속 횟수', 'Log-ins per week') },
    {
      id: 'use_material_tx_month',
      section: 'utilisation',
      type: 'number',
      unit: 'per_month',
      required: true,
      text: l('월 자재 입출고 건수(시스템 기록)', 'Material in/out transactions per month (in the system)'),
      help: l('접속만 있고 자재 입출고 기록이 없으면 실제로 쓰지 않는 시스템입니다.', 'Log-ins without material transactions mean the system is not really used.'),
    },
    { id: 'supplier_in_business', section: 'supplier', type: 'yn', required: true, text: l('공급기업이 영업 중이다', 'The supplier is still in business') },
    { id: 'onsite_diagnosis_on', section: 'supplier', type: 'date', required: true, showIf: { item: 'supplier_in_business', in: ['no'] }, text: l('전문가 현장진단 일자', 'Expert on-site diagnosis date') },
    { id: 'as_training_scheduled_on', section: 'supplier', type: 'date', required: true, showIf: { item: 'supplier_in_business', in: ['no'] }, text: l('AS·운영자 교육 예정일', 'After-service and operator training scheduled for') },
    ...KPI_DEFINITIONS.flatMap((k): CheckItem[] => [
      { id: `kpi_${k.id}_target`, section: 'outcomes', type: 'number', unit: kpiUnit(k.unit), required: false, text: l(`${k.text.ko} — 목표`, `${k.text.en} — target`) },
      { id: `kpi_${k.id}_achieved`, section: 'outcomes', type: 'number', unit: kpiUnit(k.unit), required: false, text: l(`${k.text.ko} — 달성`, `${k.text.en} — achieved`) },
    ]),
    { id: 'pledge_on_file', section: 'documents', type: 'yn', required: true, text: l('성실수행서약서가 제출되어 있다', 'The sincerity pledge (성실수행서약서) is on file') },
    { id: 'publish_consent', section: 'documents', type: 'yn', required: true, text: l('우수사례 공개에 동의했다', 'Consents to publication as a use case') },
    { id: 'datasets', section: 'documents', type: 'text', required: false, showIf: { item: 'publish_consent', in: ['yes'] }, text: l('공개할 제조 데이터셋 목록', 'Manufacturing datasets to publish') },
  ],
};
