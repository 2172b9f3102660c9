/**
 * Realistic synthetic registries for demos and benchmarks, written through the same services and mutation
 * layer as the app (so the change log is complete). Deterministic for a given seed.
 */
import { withCheckDigit } from '#shared/domain/brn';
import { KSIC_DIVISIONS } from '#shared/domain/ksic';
import { AFFILIATION_TYPES, type AffiliationType } from '#shared/domain/mentors';
import { REGIONS, type RegionCode } from '#shared/domain/regions';
import { TECH_FIELD_CODES } from '#shared/domain/tech-fields';
import { companyInput, supplierInput } from '#shared/schemas/organizations';
import { mentorInput } from '#shared/schemas/mentors';
import { supplierDiagnosisV1 } from '#shared/instruments/supplier-diagnosis-v1';
import { itemsOf } from '#shared/scoring/diagnosis';
import { diagnoses, diagnosisAnswers } from '#db/schema';
import type { AppServices } from '../electron/services/app.ts';

/** A 1×1 PNG: demo diagnoses carry a placeholder consultant signature image, marked as demo data by the name. */
const DEMO_SIGNATURE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const CONSULTANTS = ['정민호 컨설턴트', '한지원 컨설턴트', '오세훈 컨설턴트', '류경아 컨설턴트'];

export interface SeedOptions {
  seed: number;
  companies: number;
  suppliers: number;
  mentors: number;
  /** Rows per transaction. */
  batch?: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

export interface SeedResult {
  companies: number;
  suppliers: number;
  diagnoses: number;
  mentors: number;
  pairs: number;
  assigned: number;
}

/** mulberry32: small, fast, good enough for demo data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGION_WEIGHTS: Record<RegionCode, number> = {
  '41': 30, '48': 12, '47': 9, '26': 7, '28': 7, '44': 6, '43': 5, '27': 5, '11': 4,
  '31': 3, '52': 3, '46': 3, '29': 2, '30': 2, '51': 1.5, '36': 0.5, '50': 0.5,
};
const CITIES: Record<RegionCode, string[]> = {
  '11': ['금천구', '구로구', '성동구', '영등포구'], '26': ['강서구', '사상구', '기장군', '사하구'], '27': ['달서구', '북구', '달성군'],
  '28': ['남동구', '서구', '부평구'], '29': ['광산구', '북구'], '30': ['대덕구', '유성구'], '31': ['울주군', '북구', '남구'],
  '36': ['세종시'], '41': ['안산시', '시흥시', '화성시', '평택시', '김포시', '파주시', '용인시', '이천시'], '43': ['청주시', '충주시', '음성군', '진천군'],
  '44': ['천안시', '아산시', '당진시', '서산시'], '46': ['광양시', '여수시', '영암군'], '47': ['구미시', '포항시', '경산시', '칠곡군'],
  '48': ['창원시', '김해시', '양산시', '거제시', '진주시'], '50': ['제주시'], '51': ['원주시', '춘천시', '강릉시'], '52': ['전주시', '군산시', '익산시', '완주군'],
};
const KSIC_WEIGHTS: Record<string, number> = { '25': 14, '29': 13, '22': 9, '26': 8, '30': 8, '10': 7, '20': 6, '28': 6, '24': 5, '27': 4 };
const PREFIX = ['대한', '한국', '동양', '세일', '삼진', '대성', '한일', '신흥', '우진', '태광', '동아', '성진', '금강', '청운', '영진', '미래', '제일', '한성', '대원', '유진', '진성', '광명', '일신', '명성', '삼화', '동일', '신성', '보성', '천일', '경동', '고려', '남양', '서진', '태성', '해성', '효성', '성우', '동신', '한솔', '새한'];
const CORE = ['정밀', '기계', '금속', '산업', '테크', '전자', '화학', '플라스틱', '공업', '엔지니어링', '메탈', '오토텍', '전기', '소재', '식품', '섬유', '인더스트리', '정공', '기공', '하이텍'];
const SUPPLIER_CORE = ['소프트', '솔루션', '시스템즈', '데이터', '로보틱스', '테크', '아이티', '인포텍', '스마트', '에이아이', '오토메이션', '넷'];
const FAMILY = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황', '안', '송', '류', '홍'];
const GIVEN = ['민준', '서연', '도윤', '지우', '현우', '수빈', '영호', '정희', '성민', '미경', '재훈', '혜진', '동현', '은지', '상철', '경수', '지훈', '유나', '태호', '순자', '병철', '명숙'];
const ROLES = ['공장장', '생산관리 과장', '품질팀장', '경영지원 부장', '기술연구소장', '전산 담당'];
const MEISTER_FROM = ['前 삼성전자 생산기술', '前 현대자동차 품질', '前 LG전자 제조혁신', '前 포스코 설비', '前 SK하이닉스 공정', '前 두산 스마트팩토리'];
const INSTITUTES = ['KAIST', 'GIST', 'DGIST', 'UNIST'];

export function createGenerator(seed: number) {
  const rand = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const weighted = <K extends string>(weights: Record<K, number>, fallback: readonly K[] = []): K => {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    if (fallback.length && rand() < 0.04) return pick(fallback);
    let r = rand() * total;
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return (entries.at(-1) as [K, number])[0];
  };
  const usedBrn = new Set<string>();
  const brn = (corporate: boolean) => {
    for (;;) {
      const office = String(int(101, 899));
      const kind = corporate ? pick(['81', '86', '87']) : String(int(1, 79)).padStart(2, '0');
      const serial = String(int(0, 9999)).padStart(4, '0');
      const full = withCheckDigit(office + kind + serial);
      if (!usedBrn.has(full)) {
        usedBrn.add(full);
        return full;
      }
    }
  };
  const person = () => pick(FAMILY) + pick(GIVEN);
  const phone = () => `010-${int(2000, 9999)}-${String(int(0, 9999)).padStart(4, '0')}`;
  const region = () => weighted(REGION_WEIGHTS, REGIONS.map((r) => r.code));
  const address = (code: RegionCode) => {
    const r = REGIONS.find((x) => x.code === code) ?? REGIONS[0];
    return `${r.ko} ${pick(CITIES[code])} ${pick(['산단', '공단', '테크노'])}${int(1, 12)}로 ${int(1, 300)}`;
  };
  const ksic = () => weighted(KSIC_WEIGHTS, KSIC_DIVISIONS.map((d) => d.code)) + String(int(100, 999));
  const financials = (employees: number) => {
    const perHead = (1 + rand() * 3) * 100_000_000;
    let revenue = Math.round((employees * perHead) / 1_000_000) * 1_000_000;
    return [2025, 2024, 2023].map((fiscalYear) => {
      const margin = (rand() * 16 - 4) / 100;
      const row = { fiscalYear, revenue, operatingProfit: Math.round((revenue * margin) / 1_000_000) * 1_000_000 };
      revenue = Math.round((revenue / (0.9 + rand() * 0.25)) / 1_000_000) * 1_000_000;
      return row;
    });
  };
  const employees = () => Math.min(299, 5 + Math.floor(Math.exp(rand() * 4.6)));
  const contacts = (domain: string) =>
    Array.from({ length: int(1, 2) }, () => ({ name: person(), role: pick(ROLES), phone: phone(), email: `${pick(['info', 'plant', 'qa', 'admin'])}${int(1, 99)}@${domain}.co.kr` }));

  return {
    company() {
      const r = region();
      const name = `${rand() < 0.35 ? '(주)' : ''}${pick(PREFIX)}${rand() < 0.15 ? pick(PREFIX) : ''}${pick(CORE)}`;
      const emp = employees();
      return companyInput.parse({
        brn: brn(rand() < 0.8),
        name,
        representative: person(),
        region: r,
        address: address(r),
        ksicCode: ksic(),
        industryName: '',
        employees: emp,
        foundedOn: `${int(1975, 2022)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
        notes: '',
        financials: financials(emp),
        contacts: contacts(`c${int(1000, 99999)}`),
      });
    },
    supplier(now: Date) {
      const r = region();
      const emp = Math.min(299, 8 + Math.floor(Math.exp(rand() * 4.2)));
      const fields = [...new Set(Array.from({ length: int(1, 3) }, () => pick(TECH_FIELD_CODES)))];
      const vc = rand() < 0.2
        ? Array.from({ length: int(1, 3) }, () => {
            const d = new Date(now.getTime() - int(30, 5 * 365) * 86_400_000);
            return { amount: int(1, 50) * 100_000_000, investedOn: d.toISOString().slice(0, 10), investor: pick(['한국벤처투자', 'KB인베스트먼트', '스틱벤처스', '컴퍼니케이', 'DSC인베스트먼트']) };
          })
        : [];
      return supplierInput.parse({
        brn: brn(true),
        name: `${rand() < 0.5 ? '(주)' : ''}${pick(PREFIX)}${pick(SUPPLIER_CORE)}`,
        representative: person(),
        region: r,
        address: address(r),
        ksicCode: pick(['26', '28', '29']) + String(int(100, 999)),
        industryName: '',
        employees: emp,
        foundedOn: `${int(1995, 2022)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
        notes: '',
        financials: financials(emp),
        contacts: contacts(`s${int(1000, 99999)}`),
        techFields: fields,
        buildRecordCount: int(0, 220),
        vcInvestments: vc,
      });
    },
    mentor(expertise: 'process' | 'ai', affiliationType: AffiliationType) {
      const affiliationName =
        affiliationType === 'meister' ? pick(MEISTER_FROM) : affiliationType === 'kaist_institute' ? pick(INSTITUTES) : affiliationType === 'polytechnic' ? `한국폴리텍대학 ${pick(['서울정수', '인천', '창원', '구미', '광주', '대전', '울산'])}캠퍼스` : pick(['스마트제조혁신추진단', '테크노파크', '생산기술연구원']);
      return mentorInput.parse({ name: person(), affiliationType, affiliationName, expertise, region: region(), phone: phone(), email: `mentor${int(100, 99999)}@dxmentor.kr` });
    },
    int,
    pick,
  };
}

/** Writes the demo registries in batches; each batch is one transaction. */
export function seedDemo(services: AppServices, options: SeedOptions): SeedResult {
  const gen = createGenerator(options.seed);
  const batch = options.batch ?? 1000;
  const now = new Date();
  const inBatches = (total: number, what: string, make: (i: number) => void) => {
    for (let start = 0; start < total; start += batch) {
      services.mutations.transaction(() => {
        for (let i = start; i < Math.min(total, start + batch); i++) make(i);
      });
      options.onProgress?.(what, Math.min(total, start + batch), total);
    }
  };

  const companyIds: { id: string; region: string }[] = [];
  inBatches(options.companies, 'companies', () => {
    const c = gen.company();
    companyIds.push({ id: services.organizations.create('company', c), region: c.region });
  });
  const supplierIds: string[] = [];
  inBatches(options.suppliers, 'suppliers', () => {
    supplierIds.push(services.organizations.create('supplier', gen.supplier(now)));
  });

  // Every fourth supplier (at most 400) has a finalised capability diagnosis; some also an earlier one, so
  // levels, the level sort and re-diagnosis comparisons have something to show.
  const diagnosed = supplierIds.filter((_, i) => i % 4 === 0).slice(0, 400);
  inBatches(diagnosed.length, 'diagnoses', (i) => {
    const supplierId = diagnosed[i] as string;
    const base = gen.int(2, 4);
    const rounds = gen.int(1, 3) === 1 ? 2 : 1;
    for (let round = 0; round < rounds; round++) {
      const track = gen.int(1, 4) === 1 ? 'in_depth' : 'basic';
      const year = now.getFullYear() - rounds + round;
      const id = services.mutations.transaction((tx) => {
        const d = tx.insert(diagnoses, {
          orgId: supplierId,
          track,
          instrumentId: supplierDiagnosisV1.id,
          instrumentVersion: supplierDiagnosisV1.version,
          consultantName: gen.pick(CONSULTANTS),
          diagnosedOn: `${year}-${String(gen.int(3, 10)).padStart(2, '0')}-${String(gen.int(1, 28)).padStart(2, '0')}`,
          strategy: track === 'in_depth' ? '클라우드 전환과 AI 모듈 상품화, 2년 내 우수 등급 목표' : '',
        });
        for (const item of itemsOf(supplierDiagnosisV1, track)) {
          tx.insert(diagnosisAnswers, { diagnosisId: d, itemId: item.id, score: Math.max(1, Math.min(5, base + round + gen.int(-1, 1))) });
        }
        return d;
      });
      if (track === 'in_depth') services.diagnoses.suggestPlan(id);
      services.diagnoses.finalize(id, [{ role: 'consultant', name: '데모 서명', png: DEMO_SIGNATURE }]);
    }
  });

  const mentors: { id: string; expertise: 'process' | 'ai'; region: string }[] = [];
  const affiliationWeights: AffiliationType[] = ['meister', 'meister', 'meister', 'meister', 'kaist_institute', 'kaist_institute', 'polytechnic', 'polytechnic', 'polytechnic', 'other'];
  inBatches(options.mentors, 'mentors', (i) => {
    const expertise = i % 2 === 0 ? 'process' : 'ai';
    const m = gen.mentor(expertise, gen.pick(affiliationWeights.filter((a) => AFFILIATION_TYPES.includes(a))));
    mentors.push({ id: services.mentors.create(m), expertise, region: m.region });
  });

  // Pair process and AI experts, preferring the same region.
  const free = { process: mentors.filter((m) => m.expertise === 'process'), ai: mentors.filter((m) => m.expertise === 'ai') };
  const pairs: { id: string; region: string }[] = [];
  services.mutations.transaction(() => {
    for (const p of [...free.process]) {
      const idx = free.ai.findIndex((a) => a.region === p.region);
      const [ai] = free.ai.splice(idx >= 0 ? idx : 0, 1);
      if (!ai) break;
      pairs.push({ id: services.mentors.createPair(p.id, ai.id), region: p.region });
    }
  });

  // Each pair takes up to 40 companies of its region (not every company has a pair yet).
  let assigned = 0;
  const byRegion = new Map<string, string[]>();
  for (const c of companyIds) byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), c.id]);
  const today = now.toISOString().slice(0, 10);
  inBatches(pairs.length, 'assignments', (i) => {
    const pair = pairs[i] as { id: string; region: string };
    const pool = byRegion.get(pair.region) ?? [];
    for (const companyId of pool.splice(0, 40)) {
      services.mentors.assign(companyId, pair.id, today);
      assigned++;
    }
  });

  return { companies: companyIds.length, suppliers: options.suppliers, diagnoses: diagnosed.length, mentors: mentors.length, pairs: pairs.length, assigned };
}
