import { beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '#shared/domain/brn';
import type { OpInput } from '#shared/contract/index';
import { REGION_CODES } from '#shared/domain/regions';
import { companyData, mentorData, openApp, supplierData, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

/**
 * Korean company names chosen so that one- and two-syllable queries have known answers. Representatives
 * use syllables that appear in no company name, so they never add surprise matches.
 */
const COMPANIES: { name: string; region: string; ksic: string; employees: number | null; revenue?: number }[] = [
  { name: '대한정밀', region: '41', ksic: '29199', employees: 40, revenue: 3_000_000_000 },
  { name: '대한기계', region: '26', ksic: '29110', employees: 12, revenue: 900_000_000 },
  { name: '한국정밀공업', region: '41', ksic: '27212', employees: 120, revenue: 15_000_000_000 },
  { name: '정밀테크', region: '28', ksic: '27', employees: 8 },
  { name: '(주)대한정밀공업', region: '48', ksic: '29199', employees: 75, revenue: 7_000_000_000 },
  { name: '동해전자', region: '51', ksic: '26110', employees: 33 },
  { name: '서울금속', region: '11', ksic: '25', employees: 5 },
  { name: '부산조선', region: '26', ksic: '31', employees: 210, revenue: 40_000_000_000 },
  { name: '대구섬유', region: '27', ksic: '13', employees: 18 },
  { name: '인천화학', region: '28', ksic: '20', employees: 64 },
  { name: '광주광학', region: '29', ksic: '27', employees: 22 },
  { name: '대전로봇', region: '30', ksic: '29', employees: null },
  { name: '울산석유화학', region: '31', ksic: '19', employees: 480, revenue: 90_000_000_000 },
  { name: '세종바이오', region: '36', ksic: '21', employees: 15 },
  { name: '경기플라스틱', region: '41', ksic: '22', employees: 27 },
  { name: '충북반도체', region: '43', ksic: '26', employees: 95 },
  { name: '충남식품', region: '44', ksic: '10', employees: 41 },
  { name: '전남수산', region: '46', ksic: '10', employees: 16 },
  { name: '경북철강', region: '47', ksic: '24', employees: 150 },
  { name: '경남기계', region: '48', ksic: '29', employees: 55 },
  { name: '제주음료', region: '50', ksic: '11', employees: 9 },
  { name: '강원목재', region: '51', ksic: '16', employees: 11 },
  { name: '전북인쇄', region: '52', ksic: '18', employees: 7 },
  { name: '한빛소재', region: '41', ksic: '20', employees: null },
  { name: '미래엔지니어링', region: '11', ksic: '29', employees: 36 },
  { name: '삼진산업', region: '41', ksic: '25', employees: 48 },
  { name: '우리정공', region: '44', ksic: '29', employees: 29 },
  { name: '신흥주물', region: '47', ksic: '24', employees: 61 },
  { name: '태양금형', region: '48', ksic: '29', employees: 24 },
  { name: '하나가구', region: '41', ksic: '32', employees: 13 },
  { name: 'DH Precision', region: '41', ksic: '29', employees: 19 },
];
const REPS = ['홍길순', '오영희', '박민준', '최지우', '윤서연'];
/** Distinct nine-digit stems with no shared long runs, completed with their check digit. */
const brnOf = (i: number) => withCheckDigit(String(130_000_000 + i * 7_919_311).slice(0, 9));

let app: TestApp;
const ids = new Map<string, string>();
const brns = new Map<string, string>();
const inputs = new Map<string, OpInput<'companies.create'>>();

async function names(query: string, extra: Partial<OpInput<'companies.list'>> = {}): Promise<string[]> {
  const r = await app.ok('companies.list', { query, pageSize: 200, ...extra });
  expect(r.total, `total for ${JSON.stringify(query)}`).toBe(r.rows.length);
  return r.rows.map((x) => x.name);
}

const sorted = (xs: string[]) => [...xs].sort();

beforeAll(async () => {
  app = openApp();
  for (const [i, c] of COMPANIES.entries()) {
    const input = companyData({
      name: c.name,
      brn: brnOf(i),
      representative: REPS[i % REPS.length],
      region: c.region as OpInput<'companies.create'>['region'],
      ksicCode: c.ksic,
      employees: c.employees,
      address: '',
      industryName: '',
      financials: c.revenue ? [{ fiscalYear: 2023, revenue: c.revenue, operatingProfit: null }] : [],
    });
    const { id } = await app.ok('companies.create', input);
    ids.set(c.name, id);
    brns.set(c.name, brnOf(i));
    inputs.set(c.name, input);
  }
  // Suppliers and mentors share the index; they must never appear among companies.
  await app.ok('suppliers.create', supplierData({ name: '대한정밀솔루션', brn: withCheckDigit('555000111') }));
  await app.ok('mentors.create', mentorData({ name: '대한정밀' }));
});

describe('companies search', () => {
  it('finds by a two-syllable substring anywhere in the name', async () => {
    expect(sorted(await names('대한'))).toEqual(sorted(['대한정밀', '대한기계', '(주)대한정밀공업']));
    expect(sorted(await names('정밀'))).toEqual(sorted(['대한정밀', '한국정밀공업', '정밀테크', '(주)대한정밀공업']));
    expect(sorted(await names('유화'))).toEqual(['울산석유화학']);
  });

  it('finds by a single syllable', async () => {
    expect(sorted(await names('밀'))).toEqual(sorted(['대한정밀', '한국정밀공업', '정밀테크', '(주)대한정밀공업']));
    expect(sorted(await names('학'))).toEqual(sorted(['인천화학', '광주광학', '울산석유화학']));
    expect(sorted(await names('계'))).toEqual(sorted(['대한기계', '경남기계']));
  });

  it('finds by three or more syllables, including the middle of a word', async () => {
    expect(sorted(await names('대한정밀'))).toEqual(sorted(['대한정밀', '(주)대한정밀공업']));
    expect(sorted(await names('정밀공업'))).toEqual(sorted(['한국정밀공업', '(주)대한정밀공업']));
    expect(sorted(await names('한정밀'))).toEqual(sorted(['대한정밀', '(주)대한정밀공업']));
    expect(await names('석유화학')).toEqual(['울산석유화학']);
    expect(await names('대한정밀공업주식')).toEqual([]);
  });

  it('finds by initial consonants (초성)', async () => {
    expect(sorted(await names('ㄷㅎㅈㅁ'))).toEqual(sorted(['대한정밀', '(주)대한정밀공업']));
    expect(await names('ㅇㅅㅅㅇㅎㅎ')).toEqual(['울산석유화학']);
    expect(sorted(await names('ㄱㄱ'))).toEqual(sorted(['대한기계', '경남기계', '경기플라스틱', '하나가구']));
    expect(sorted(await names('ㄷㅎ'))).toEqual(sorted(['대한정밀', '대한기계', '(주)대한정밀공업', '동해전자']));
  });

  it('requires every term to match (AND), mixing short and long terms', async () => {
    expect(await names('대한 공업')).toEqual(['(주)대한정밀공업']);
    expect(await names('정밀 테크')).toEqual(['정밀테크']);
    expect(await names('대한 정밀공업')).toEqual(['(주)대한정밀공업']);
    expect(await names('ㄷㅎ 기계')).toEqual(['대한기계']);
    expect(await names('대한 테크')).toEqual([]);
  });

  it('searches the representative too', async () => {
    const byRep = COMPANIES.filter((_, i) => REPS[i % REPS.length] === '최지우').map((c) => c.name);
    expect(sorted(await names('최지우'))).toEqual(sorted(byRep));
    expect(sorted(await names('정밀 지우'))).toEqual(sorted(['정밀테크']));
  });

  it('finds by business registration number digits, whole or partial, with or without dashes', async () => {
    const brn = brns.get('경북철강') as string;
    expect(await names(brn)).toEqual(['경북철강']);
    expect(await names(`${brn.slice(0, 3)}-${brn.slice(3, 5)}-${brn.slice(5)}`)).toContain('경북철강');
    const tail = brn.slice(5);
    const expected = [...brns].filter(([, b]) => b.includes(tail)).map(([n]) => n);
    expect(sorted(await names(tail))).toEqual(sorted(expected));
    expect(expected).toContain('경북철강');
  });

  it('is case-insensitive for Latin names and finds them by short prefixes', async () => {
    expect(await names('precision')).toEqual(['DH Precision']);
    expect(await names('PREC')).toEqual(['DH Precision']);
    expect(await names('dh')).toEqual(['DH Precision']);
  });

  it('matches decomposed (NFD) Hangul typed on macOS', async () => {
    expect(sorted(await names('대한정밀'.normalize('NFD')))).toEqual(sorted(['대한정밀', '(주)대한정밀공업']));
  });

  it('treats FTS syntax and punctuation in the query as plain text', async () => {
    for (const q of ['"대한', '대한*', 'NEAR(대한 정밀)', '정밀 OR 기계', '-대한', '%', '_', "'; DROP TABLE organizations; --", '^대한', '대한:정밀', '{}[]()']) {
      const r = await app.call('companies.list', { query: q });
      expect(r.ok, q).toBe(true);
    }
    expect(sorted(await names('"대한"'))).toEqual(sorted(['대한정밀', '대한기계', '(주)대한정밀공업']));
    expect(await names('정밀 OR 기계')).toEqual([]);
  });

  it('lists everything for an empty or blank query', async () => {
    expect((await app.ok('companies.list', { query: '' })).total).toBe(COMPANIES.length);
    expect((await app.ok('companies.list', { query: '   ' })).total).toBe(COMPANIES.length);
    expect((await app.ok('companies.list', { query: '()' })).total).toBe(COMPANIES.length);
  });

  it('puts names that start with the query first, then sorts by name', async () => {
    expect(await names('정밀')).toEqual(['정밀테크', '(주)대한정밀공업', '대한정밀', '한국정밀공업']);
    expect(await names('정밀', { sort: { field: 'name', dir: 'desc' } })).toEqual(['정밀테크', '한국정밀공업', '대한정밀', '(주)대한정밀공업']);
  });

  it('never lists suppliers or mentors among companies, and vice versa', async () => {
    expect(await names('대한정밀솔루션')).toEqual([]);
    const s = await app.ok('suppliers.list', { query: '대한' });
    expect(s.rows.map((r) => r.name)).toEqual(['대한정밀솔루션']);
    const m = await app.ok('mentors.list', { query: '대한' });
    expect(m.rows.map((r) => r.name)).toEqual(['대한정밀']);
  });
});

describe('keeping the index current', () => {
  it('finds a renamed company by its new name and not by the old one', async () => {
    const name = '대구섬유';
    const id = ids.get(name) as string;
    await app.ok('companies.update', { ...(inputs.get(name) as OpInput<'companies.create'>), id, name: '새봄텍스타일' });
    expect(await names('새봄')).toEqual(['새봄텍스타일']);
    expect(await names('텍스타일')).toEqual(['새봄텍스타일']);
    expect(await names('ㅅㅂㅌㅅㅌㅇ')).toEqual(['새봄텍스타일']);
    for (const old of ['대구섬유', '섬유', '섬', 'ㄷㄱㅅㅇ', '대구']) expect(await names(old), old).toEqual([]);
    // renaming back restores the old answers
    await app.ok('companies.update', { ...(inputs.get(name) as OpInput<'companies.create'>), id });
    expect(await names('섬유')).toEqual(['대구섬유']);
    expect(await names('새봄')).toEqual([]);
  });

  it('hides an archived company from active results and shows it among archived ones', async () => {
    const id = ids.get('대한기계') as string;
    await app.ok('companies.archive', { id });
    try {
      expect(sorted(await names('대한'))).toEqual(sorted(['대한정밀', '(주)대한정밀공업']));
      expect(await names('대한', { archived: 'archived' })).toEqual(['대한기계']);
      expect(sorted(await names('대한', { archived: 'all' }))).toEqual(sorted(['대한정밀', '대한기계', '(주)대한정밀공업']));
      // the same through the filtered (SQL) path and without a query
      expect(sorted(await names('대한', { regions: [...REGION_CODES] }))).toEqual(sorted(['대한정밀', '(주)대한정밀공업']));
      expect(await names('대한', { archived: 'archived', regions: ['26'] })).toEqual(['대한기계']);
      expect(await names('', { archived: 'archived' })).toEqual(['대한기계']);
      expect((await app.ok('companies.list', {})).total).toBe(COMPANIES.length - 1);
      const row = (await app.ok('companies.list', { query: '대한기계', archived: 'archived' })).rows[0];
      expect(row?.deletedAt).not.toBeNull();
    } finally {
      await app.ok('companies.restore', { id });
    }
    expect(sorted(await names('대한'))).toEqual(sorted(['대한정밀', '대한기계', '(주)대한정밀공업']));
    expect(await names('대한', { archived: 'archived' })).toEqual([]);
  });
});

describe('filters, sorting and paging', () => {
  it('filters by region and KSIC division, alone and with a search', async () => {
    const byRegion = (r: string) => COMPANIES.filter((c) => c.region === r).map((c) => c.name);
    expect(sorted(await names('', { regions: ['41'] }))).toEqual(sorted(byRegion('41')));
    expect(sorted(await names('', { regions: ['26', '48'] }))).toEqual(sorted([...byRegion('26'), ...byRegion('48')]));
    const byKsic = COMPANIES.filter((c) => c.ksic.startsWith('29')).map((c) => c.name);
    expect(sorted(await names('', { ksic: ['29'] }))).toEqual(sorted(byKsic));
    expect(sorted(await names('정밀', { regions: ['41'] }))).toEqual(sorted(['대한정밀', '한국정밀공업']));
    expect(await names('정밀', { ksic: ['27'], regions: ['28'] })).toEqual(['정밀테크']);
    expect(await names('', { regions: ['36'], ksic: ['29'] })).toEqual([]);
  });

  it('pages through all companies by name with a stable total', async () => {
    const all = sorted(COMPANIES.map((c) => c.name));
    const seen: string[] = [];
    for (let page = 1; page <= 7; page++) {
      const r = await app.ok('companies.list', { page, pageSize: 5 });
      expect(r.total).toBe(COMPANIES.length);
      expect(r.rows.length).toBe(Math.min(5, COMPANIES.length - (page - 1) * 5));
      seen.push(...r.rows.map((x) => x.name));
    }
    expect(seen).toEqual(all);
    const past = await app.ok('companies.list', { page: 8, pageSize: 5 });
    expect(past).toEqual({ total: COMPANIES.length, rows: [] });
    const desc = await app.ok('companies.list', { pageSize: 200, sort: { field: 'name', dir: 'desc' } });
    expect(desc.rows.map((x) => x.name)).toEqual([...all].reverse());
  });

  it('pages through search results (index path and SQL path agree)', async () => {
    const fast: string[] = [];
    const slow: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const a = await app.ok('companies.list', { query: 'ㅈ', page, pageSize: 5 });
      const b = await app.ok('companies.list', { query: 'ㅈ', page, pageSize: 5, regions: [...REGION_CODES] });
      expect(a.total).toBe(b.total);
      fast.push(...a.rows.map((x) => x.name));
      slow.push(...b.rows.map((x) => x.name));
    }
    expect(fast).toEqual(slow);
    const everything = await names('ㅈ');
    expect(fast).toEqual(everything.slice(0, 15));
    expect(everything.length).toBeGreaterThan(5);
  });

  it('sorts by employees with unknown counts last, in both directions', async () => {
    const withCount = COMPANIES.filter((c) => c.employees !== null);
    const asc = await app.ok('companies.list', { pageSize: 200, sort: { field: 'employees', dir: 'asc' } });
    expect(asc.rows.map((r) => r.employees)).toEqual([...withCount.map((c) => c.employees), null, null].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b)));
    const desc = await app.ok('companies.list', { pageSize: 200, sort: { field: 'employees', dir: 'desc' } });
    expect(desc.rows.slice(0, 3).map((r) => r.name)).toEqual(['울산석유화학', '부산조선', '경북철강']);
    expect(desc.rows.slice(-2).map((r) => r.employees)).toEqual([null, null]);
    // ties and nulls are broken by name, so paging never repeats or skips a row
    expect(desc.rows.slice(-2).map((r) => r.name)).toEqual(['대전로봇', '한빛소재']);
  });

  it('sorts by latest revenue and shows it in the row', async () => {
    const r = await app.ok('companies.list', { pageSize: 200, sort: { field: 'revenue', dir: 'desc' } });
    expect(r.rows.slice(0, 6).map((x) => [x.name, x.latestRevenue, x.latestFiscalYear])).toEqual([
      ['울산석유화학', 90_000_000_000, 2023],
      ['부산조선', 40_000_000_000, 2023],
      ['한국정밀공업', 15_000_000_000, 2023],
      ['(주)대한정밀공업', 7_000_000_000, 2023],
      ['대한정밀', 3_000_000_000, 2023],
      ['대한기계', 900_000_000, 2023],
    ]);
    expect(r.rows[6]?.latestRevenue).toBeNull();
  });

  it('sorts by region with name as the tie-breaker', async () => {
    const r = await app.ok('companies.list', { pageSize: 200, sort: { field: 'region', dir: 'asc' } });
    const expected = [...COMPANIES].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    expect(r.rows.map((x) => x.name)).toEqual(expected.map((c) => c.name));
  });

  it('refuses queries longer than 100 characters', async () => {
    const e = await app.fail('companies.list', { query: '가'.repeat(101) });
    expect(e.fields).toEqual({ query: { key: 'validation.tooLong', params: { max: 100 } } });
  });
});

describe('mentor search', () => {
  it('finds mentors and pairs by name, 초성 and affiliation, hiding archived mentors', async () => {
    const p = await app.ok('mentors.create', mentorData({ name: '김공정', affiliationName: '한국폴리텍대학' }));
    const a = await app.ok('mentors.create', mentorData({ name: '이에이', expertise: 'ai', affiliationName: 'KAIST' }));
    await app.ok('pairs.create', { processMentorId: p.id, aiMentorId: a.id });
    expect((await app.ok('mentors.list', { query: '공정' })).rows.map((r) => r.name)).toEqual(['김공정']);
    expect((await app.ok('mentors.list', { query: 'ㄱㄱㅈ' })).rows.map((r) => r.name)).toEqual(['김공정']);
    expect((await app.ok('mentors.list', { query: '폴리텍' })).rows.map((r) => r.name)).toEqual(['김공정']);
    expect((await app.ok('mentors.list', { query: 'kaist' })).rows.map((r) => r.name)).toEqual(['이에이']);
    expect((await app.ok('pairs.list', { query: '에이' })).rows.map((r) => [r.processMentor, r.aiMentor])).toEqual([['김공정', '이에이']]);
    expect((await app.ok('pairs.list', { query: '없는사람' })).rows).toEqual([]);
    await app.ok('mentors.archive', { id: a.id });
    expect((await app.ok('mentors.list', { query: '이에이' })).rows).toEqual([]);
    expect((await app.ok('mentors.list', { query: '이에이', archived: 'archived' })).rows.map((r) => r.name)).toEqual(['이에이']);
  });
});
