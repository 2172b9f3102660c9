import type { CompanyType, L10n } from '../instruments/types.ts';

const l = (ko: string, en: string): L10n => ({ ko, en });

/**
 * What each company type is steered to (the strategy paper's table, domain brief §1): the goal and the
 * support programmes; plus the finance route for companies with large own investment capacity.
 */
export const TYPE_GUIDANCE: Record<CompanyType, { label: L10n; goal: L10n; programmes: readonly { id: string; text: L10n; note?: L10n }[]; interpretation: L10n }> = {
  excellent: {
    label: l('우수', 'Excellent'),
    goal: l('선도모델 육성', 'Grow into a leading model'),
    programmes: [
      { id: 'autonomous_factory', text: l('자율형공장', 'Autonomous factory'), note: l('AI·디지털트윈 기반: 디지털트윈, 예지보전, 품질보증, 공정최적화, 에너지 절감', 'AI and digital twin: design twin, predictive maintenance, quality assurance, process optimisation, energy saving') },
      { id: 'digital_collaboration', text: l('디지털협업공장', 'Digital collaboration factory'), note: l('가치사슬 내 5개 이상 기업 컨소시엄', 'A consortium of at least 5 value-chain companies') },
      { id: 'virtual_manufacturing', text: l('가상제조기술개발', 'Virtual manufacturing R&D') },
    ],
    interpretation: l(
      'DX 추진역량과 투자여력을 모두 갖춘 준비된 기업입니다. AI·디지털트윈 기반 선도모델로 육성하는 것이 적합합니다.',
      'A ready company with both DX capability and investment capacity; suited to becoming an AI and digital-twin leading model.',
    ),
  },
  average: {
    label: l('보통', 'Average'),
    goal: l('고도화 기업으로 성장', 'Grow into an advanced company'),
    programmes: [
      { id: 'intelligent_advanced', text: l('지능형공장(고도화)', 'Intelligent factory (advanced)'), note: l('데이터 실시간 분석·제어가 가능한 고도화 공장', 'Real-time data analysis and control') },
      { id: 'win_win_factory', text: l('대·중소 상생형 공장', 'Large–SME win-win factory'), note: l('비용 분담 대기업 30% : 중소기업 40% : 정부 30%', 'Cost split large company 30% : SME 40% : government 30%') },
      { id: 'growth_package', text: l('기업성장 패키지', 'Growth package'), note: l('내일채움공제, 정책금융, 수출바우처(최대 1.2억원), BM 지원', 'Tomorrow Fund, policy finance, export voucher up to ₩120M, business model support') },
    ],
    interpretation: l(
      '기초 데이터 관리는 갖추었으나 실시간 분석·제어로 나아갈 역량 강화가 필요합니다. 고도화 공장 구축과 성장 지원을 연계하세요.',
      'Basic data management is in place; capability needs strengthening to reach real-time analysis and control. Link advanced-factory builds with growth support.',
    ),
  },
  weak: {
    label: l('취약', 'Weak'),
    goal: l('기초 단계 기업 지원', 'Basic-stage support'),
    programmes: [
      { id: 'robots_automation', text: l('로봇·자동화', 'Robots and automation'), note: l('생산환경 개선과 인력난 해소', 'Better working conditions and relief from labour shortages') },
      { id: 'intelligent_basic', text: l('지능형공장(기초, 자체)', 'Intelligent factory (basic, self-built)'), note: l('수기 생산정보(생산·품질·재고)의 디지털화', 'Digitising hand-kept production, quality and inventory data') },
      { id: 'private_level_confirmation', text: l('민간 수준확인 및 컨설팅', 'Private level confirmation and consulting') },
    ],
    interpretation: l(
      '생산정보가 아직 수기·개별 파일 중심입니다. 로봇·자동화와 기초 디지털화부터 시작해 데이터를 모으는 것이 우선입니다.',
      'Production information is still largely kept by hand or in separate files. Start with robots, automation and basic digitalisation to collect data.',
    ),
  },
};

/** For a company with large own investment capacity: consulting for self-driven innovation and finance. */
export const FINANCE_ROUTE = {
  consulting: l('자발적 혁신을 위한 컨설팅', 'Consulting for self-driven innovation'),
  finance: [
    { id: 'new_growth_fund', text: l('정책자금: 신성장기반자금', 'Policy fund: New Growth Foundation Fund (신성장기반자금)') },
    { id: 'smart_mfg_guarantee', text: l('보증: 스마트제조서비스 보증', 'Guarantee: Smart Manufacturing Service guarantee') },
    { id: 'smart_innovation_guarantee', text: l('보증: 스마트·혁신성장 보증', 'Guarantee: Smart and Innovation Growth guarantee') },
  ],
} as const;

/** Advanced-factory programmes select in two stages (domain brief §3). */
export const TWO_STAGE_SELECTION = l(
  '고도화 지원은 2단계로 선정합니다: 지역 추천 → 1단계에서 지원 규모의 1.5배수 후보 선정 → 기업별 전략 수립 후 2단계 최종 선정.',
  'Advanced-factory support selects in two stages: regional recommendation → stage 1 picks candidates at 1.5× the places → final selection in stage 2 after each candidate’s strategy is drawn up.',
);

/** KPIs recorded as the baseline at assessment and compared after the build (domain brief §2, §4). */
export const KPI_DEFINITIONS = [
  { id: 'productivity', unit: 'percent_index', text: l('생산성(시간당 생산량)', 'Productivity (output per hour)') },
  { id: 'defect_rate', unit: 'percent', text: l('불량률(%)', 'Defect rate (%)') },
  { id: 'lead_time', unit: 'days', text: l('납기 리드타임(일)', 'Delivery lead time (days)') },
  { id: 'unit_cost', unit: 'krw', text: l('제조원가(단위당, 원)', 'Manufacturing cost per unit (KRW)') },
  { id: 'employment', unit: 'people', text: l('고용(명)', 'Employment (people)') },
  { id: 'accidents', unit: 'count', text: l('산업재해(건/년)', 'Industrial accidents (per year)') },
  { id: 'energy', unit: 'kwh', text: l('에너지 사용량(kWh/월)', 'Energy use (kWh per month)') },
] as const;
