import type { DiagnosisArea, DiagnosisInstrument, DiagnosisItem, EvidenceKind } from './diagnosis-types.ts';
import type { L10n } from './types.ts';

const l = (ko: string, en: string): L10n => ({ ko, en });

type Row = [id: string, weight: number, text: [string, string], a1: [string, string], a3: [string, string], a5: [string, string], evidence: EvidenceKind[], inDepthOnly?: boolean];

function items(area: DiagnosisArea, rows: Row[]): DiagnosisItem[] {
  return rows.map(([id, weight, text, a1, a3, a5, evidence, inDepthOnly]) => ({
    id,
    area,
    type: 'scale',
    required: !inDepthOnly,
    weight,
    text: l(...text),
    anchors: { 1: l(...a1), 3: l(...a3), 5: l(...a5) },
    evidence,
    ...(inDepthOnly ? { inDepthOnly } : {}),
  }));
}

/**
 * Supplier capability diagnosis, version 1: 37 items over management (경영), technology (기술) and project
 * management (프로젝트 관리), weights summing to 100, points out of 1,000 and grades Level 1 … Level 5 with − / +
 * steps (Level 2+ and above count as excellent). The programme publishes no item list; this is the product's.
 */
export const supplierDiagnosisV1: DiagnosisInstrument = {
  id: 'supplier-diagnosis',
  version: 1,
  title: l('기술 공급기업 역량진단', 'Technology supplier capability diagnosis'),
  areas: [
    { id: 'management', text: l('경영', 'Management') },
    { id: 'technology', text: l('기술', 'Technology') },
    { id: 'project', text: l('프로젝트 관리', 'Project management') },
  ],
  grades: [
    { label: 'Level 1', min: 900, excellent: true },
    { label: 'Level 2+', min: 850, excellent: true },
    { label: 'Level 2', min: 800 },
    { label: 'Level 2-', min: 750 },
    { label: 'Level 3+', min: 700 },
    { label: 'Level 3', min: 650 },
    { label: 'Level 3-', min: 600 },
    { label: 'Level 4+', min: 550 },
    { label: 'Level 4', min: 500 },
    { label: 'Level 4-', min: 450 },
    { label: 'Level 5', min: 0 },
  ],
  items: [
    ...items('management', [
      ['m_revenue_trend', 2.5, ['최근 3년 매출 추이', 'Revenue trend over 3 years'], ['감소', 'Falling'], ['정체', 'Flat'], ['지속 성장', 'Steady growth'], ['document']],
      ['m_profitability', 2.5, ['수익성(영업이익률)', 'Profitability (operating margin)'], ['적자', 'Loss-making'], ['0~5%', '0–5%'], ['10% 이상', '10% or more'], ['document']],
      ['m_financial_health', 2.5, ['재무 안정성(부채비율·유동성)', 'Financial health (debt, liquidity)'], ['자본잠식 또는 유동성 위기', 'Impaired capital or liquidity crisis'], ['업종 평균 수준', 'Industry average'], ['업종 평균보다 우수', 'Better than the industry'], ['document']],
      ['m_ceo_commitment', 2.5, ['대표의 스마트제조 사업 의지', 'CEO commitment to the smart-manufacturing business'], ['부수 사업', 'A side business'], ['주력 사업 중 하나', 'One of the main lines'], ['핵심 사업·중장기 계획 보유', 'Core business with a mid-term plan'], ['document']],
      ['m_organisation', 2.5, ['사업 조직(영업·개발·PM·AS 분리)', 'Organisation (sales, development, PM, after-service)'], ['역할 구분 없음', 'No separation of roles'], ['일부 분리', 'Partly separated'], ['전담 조직과 책임자', 'Dedicated teams with leads'], ['document']],
      ['m_staff_size', 2.5, ['기술 인력 규모', 'Technical staff'], ['5명 미만', 'Fewer than 5'], ['10~29명', '10–29'], ['50명 이상', '50 or more'], ['document']],
      ['m_staff_qualification', 2.5, ['기술 인력의 자격·경력', 'Qualifications and experience of technical staff'], ['확인 불가', 'Cannot be verified'], ['일부 자격 보유', 'Some certified staff'], ['등급·자격이 문서로 확인됨', 'Grades and certificates documented'], ['document']],
      ['m_staff_retention', 2.5, ['핵심 인력 유지(이직률)', 'Key staff retention (turnover)'], ['이직률 30% 이상', 'Turnover 30% or more'], ['10~20%', '10–20%'], ['5% 미만', 'Under 5%'], ['document']],
      ['m_certifications', 2.5, ['기업 인증(벤처·이노비즈·GS 등)', 'Company certifications (venture, Inno-Biz, GS…)'], ['없음', 'None'], ['1~2개', '1–2'], ['다수·유효', 'Several, current'], ['document']],
      ['m_quality_system', 2.5, ['품질경영 체계(ISO 9001 등)', 'Quality management system (ISO 9001…)'], ['없음', 'None'], ['문서만 있음', 'On paper only'], ['인증·내부 감사 운영', 'Certified with internal audits'], ['document', 'demo']],
      ['m_security_policy', 2.5, ['정보보호 정책과 고객 데이터 관리', 'Information security and customer data handling'], ['없음', 'None'], ['기본 정책', 'Basic policy'], ['인증(ISMS 등)·점검 기록', 'Certified (ISMS…) with checks on record'], ['document']],
      ['m_compliance', 2.5, ['사업 수행 성실성(제재·분쟁 이력, 성실수행서약)', 'Integrity (sanctions, disputes, sincerity pledge)'], ['제재 이력 있음', 'Sanctioned before'], ['분쟁 이력 있음', 'Disputes on record'], ['이력 없음·서약 이행', 'Clean record, pledge kept'], ['document']],
    ]),
    ...items('technology', [
      ['t_own_product', 3, ['자체 제품(솔루션) 보유', 'Own product (solution)'], ['타사 제품 재판매', 'Resells others’ products'], ['일부 자체 개발', 'Partly own'], ['자체 제품·로드맵 보유', 'Own product with a roadmap'], ['demo', 'document']],
      ['t_product_maturity', 3, ['제품 성숙도(버전 관리·릴리스)', 'Product maturity (versioning, releases)'], ['현장마다 새로 개발', 'Rebuilt for every site'], ['공통 모듈 일부', 'Some shared modules'], ['표준 제품 + 설정으로 구축', 'Standard product configured per site'], ['demo']],
      ['t_rnd_investment', 3, ['R&D 투자 비중', 'R&D investment share'], ['매출 1% 미만', 'Under 1% of revenue'], ['3~5%', '3–5%'], ['10% 이상', '10% or more'], ['document']],
      ['t_rnd_organisation', 3, ['연구소·전담부서', 'R&D centre or department'], ['없음', 'None'], ['전담부서', 'Dedicated department'], ['인정 기업부설연구소', 'Recognised corporate R&D centre'], ['document']],
      ['t_patents', 3, ['특허·SW 등록', 'Patents and software registrations'], ['없음', 'None'], ['1~4건', '1–4'], ['10건 이상·제품 적용', '10 or more, used in products'], ['document']],
      ['t_ai', 3, ['AI 적용 역량', 'AI capability'], ['없음', 'None'], ['시범 적용', 'Pilots'], ['현장 운영 사례 다수', 'Several sites in operation'], ['demo', 'reference_site']],
      ['t_digital_twin', 3, ['디지털트윈 역량', 'Digital-twin capability'], ['없음', 'None'], ['3D 모니터링', '3D monitoring'], ['시뮬레이션·예측 연동', 'Simulation and prediction linked'], ['demo', 'reference_site']],
      ['t_big_data', 3, ['빅데이터 수집·분석 역량', 'Big-data collection and analysis'], ['없음', 'None'], ['수집·대시보드', 'Collection and dashboards'], ['분석 모델 운영', 'Analytical models in operation'], ['demo']],
      ['t_interoperability', 3, ['표준·상호운용성(AAS, OPC UA 등)', 'Standards and interoperability (AAS, OPC UA…)'], ['독자 규격만', 'Proprietary only'], ['일부 표준 지원', 'Some standards'], ['AAS·OPC UA 등 표준 인터페이스 제공', 'AAS, OPC UA and other standard interfaces'], ['demo', 'document']],
      ['t_integration', 2, ['설비·타 시스템 연동(PLC·ERP 등)', 'Integration with equipment and other systems (PLC, ERP…)'], ['수작업 연계', 'Manual hand-over'], ['주요 시스템 연동', 'Main systems integrated'], ['표준 커넥터 다수', 'Many standard connectors'], ['demo']],
      ['t_security', 2, ['제품 보안(권한·암호화·취약점 관리)', 'Product security (access, encryption, vulnerabilities)'], ['미흡', 'Weak'], ['기본 기능', 'Basic features'], ['정기 점검·패치 체계', 'Regular checks and patching'], ['demo', 'document']],
      ['t_cloud', 2, ['클라우드·구독형 제공', 'Cloud or subscription delivery'], ['불가', 'Not offered'], ['일부 제공', 'Partly'], ['SaaS 운영 중', 'SaaS in operation'], ['demo'], true],
      ['t_roadmap', 2, ['기술 로드맵과 중기 전략', 'Technology roadmap and mid-term strategy'], ['없음', 'None'], ['내부 계획', 'Internal plan'], ['문서화·투자 계획 연계', 'Documented and tied to investment'], ['document'], true],
    ]),
    ...items('project', [
      ['p_methodology', 3, ['구축 방법론(단계·산출물)', 'Build methodology (phases, deliverables)'], ['없음', 'None'], ['내부 관행', 'Internal practice'], ['문서화·모든 프로젝트 적용', 'Documented and used on every project'], ['document']],
      ['p_requirements', 3, ['요구사항 분석과 합의', 'Requirements analysis and sign-off'], ['구두 합의', 'Verbal'], ['요구사항 목록', 'A requirements list'], ['추적표·변경관리', 'Traceability and change control'], ['document']],
      ['p_planning', 3, ['일정·인력 계획과 관리', 'Schedule and staffing plan'], ['계획 없음', 'No plan'], ['초기 계획만', 'Initial plan only'], ['주간 점검·지연 관리', 'Weekly tracking of delays'], ['document']],
      ['p_testing', 3, ['시험·검수(테스트 계획·결과)', 'Testing and acceptance (plans, results)'], ['없음', 'None'], ['검수 체크리스트', 'Acceptance checklist'], ['단계별 시험·결함 관리', 'Staged tests and defect tracking'], ['document', 'demo']],
      ['p_stabilisation', 3, ['안정화 지원(6개월)', 'Stabilisation support (6 months)'], ['지원 없음', 'None'], ['요청 시 방문', 'On request'], ['안정화 계획·정기 점검', 'Stabilisation plan and regular checks'], ['document', 'reference_site']],
      ['p_training', 3, ['운영자 교육', 'Operator training'], ['없음', 'None'], ['1회 교육', 'One session'], ['역할별 교육·매뉴얼', 'Role-based training and manuals'], ['document']],
      ['p_after_service', 3, ['무상 AS(1년)와 처리 체계', 'Free after-service (1 year) and handling'], ['체계 없음', 'No process'], ['전화 대응', 'Phone support'], ['접수·처리 기한 관리(SLA)', 'Tickets with resolution times (SLA)'], ['document', 'demo']],
      ['p_utilisation', 3, ['구축 후 활용도(접속·자재 입출고 기록)', 'Use after the build (log-ins and material records)'], ['확인 불가', 'Cannot be verified'], ['일부 현장 활용', 'Used at some sites'], ['대부분 현장 상시 활용', 'In daily use at most sites'], ['reference_site']],
      ['p_satisfaction', 3, ['고객 만족도', 'Customer satisfaction'], ['불만 다수', 'Frequent complaints'], ['보통', 'Average'], ['재구매·추천 다수', 'Repeat orders and referrals'], ['document', 'reference_site']],
      ['p_build_record', 3, ['구축 실적(최근 3년)', 'Build record (last 3 years)'], ['5건 미만', 'Fewer than 5'], ['10~29건', '10–29'], ['50건 이상', '50 or more'], ['document']],
      ['p_reference_sites', 3, ['방문 가능한 참조 현장', 'Reference sites open to visits'], ['없음', 'None'], ['1~2곳', '1–2'], ['업종별 다수', 'Several per industry'], ['reference_site']],
      ['p_labour_cost', 2, ['투입 인력·인건비 산정의 적정성', 'Soundness of staffing and labour-cost estimates'], ['근거 없음', 'No basis'], ['등급만 기재', 'Grades only'], ['투입 기록과 등급이 일치', 'Records match the grades billed'], ['document'], true],
    ]),
  ],
};
