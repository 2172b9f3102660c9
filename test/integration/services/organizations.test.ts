import { describe, expect, it } from 'vitest';
import type { OpInput } from '#shared/contract/index';
import { companyData, count, logOf, openApp, snapshot, supplierData, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const EOK = 100_000_000;

type CompanyForm = OpInput<'companies.create'>;

async function createCompany(app: TestApp, over: Partial<CompanyForm> = {}) {
  const form = companyData(over);
  const { id } = await app.ok('companies.create', form);
  return { id, form };
}

function financialRows(app: TestApp, orgId: string) {
  return app.sqlite
    .prepare('SELECT id, fiscal_year, revenue, operating_profit, deleted_at FROM financials WHERE org_id = ? ORDER BY fiscal_year')
    .all(orgId) as { id: string; fiscal_year: number; revenue: number | null; operating_profit: number | null; deleted_at: string | null }[];
}

describe('company detail', () => {
  it('round-trips every field of the form', async () => {
    const app = openApp();
    const { id, form } = await createCompany(app, {
      name: '  대한정밀  ',
      brn: '220-81-62517',
      address: '경기도 안산시 단원구 1',
      notes: '메모\n두 줄',
      employees: null,
      foundedOn: null,
      contacts: [{ name: '이영희', role: '공장장', phone: '031-123-4567', email: 'lee@example.kr' }],
    });
    const d = await app.ok('companies.get', { id });
    expect(d).toMatchObject({
      id,
      kind: 'company',
      brn: '2208162517',
      name: '대한정밀',
      representative: form.representative,
      region: form.region,
      address: '경기도 안산시 단원구 1',
      ksicCode: form.ksicCode,
      industryName: form.industryName,
      employees: null,
      foundedOn: null,
      notes: '메모\n두 줄',
      techFields: [],
      buildRecordCount: null,
      financials: [],
      vcInvestments: [],
      pair: null,
      deletedAt: null,
    });
    expect(d.contacts).toEqual([{ id: expect.any(String) as string, name: '이영희', role: '공장장', phone: '031-123-4567', email: 'lee@example.kr' }]);
  });

  it('stores money as exact integer 원, including very large amounts and losses', async () => {
    const app = openApp();
    const big = 999_999_999_999_999;
    const { id } = await createCompany(app, {
      financials: [
        { fiscalYear: 2023, revenue: big, operatingProfit: -big },
        { fiscalYear: 2022, revenue: 0, operatingProfit: null },
      ],
    });
    const d = await app.ok('companies.get', { id });
    expect(d.financials.map(({ fiscalYear, revenue, operatingProfit }) => ({ fiscalYear, revenue, operatingProfit }))).toEqual([
      { fiscalYear: 2023, revenue: big, operatingProfit: -big },
      { fiscalYear: 2022, revenue: 0, operatingProfit: null },
    ]);
    expect(app.sqlite.prepare("SELECT typeof(revenue) FROM financials WHERE fiscal_year = 2023").pluck().get()).toBe('integer');
  });
});

describe('financial years through the form diff', () => {
  it('saves, updates and removes years; a removed year is a tombstone, and only changed fields are logged', async () => {
    const app = openApp();
    const { id, form } = await createCompany(app, {
      financials: [
        { fiscalYear: 2022, revenue: 10 * EOK, operatingProfit: 1 * EOK },
        { fiscalYear: 2023, revenue: 12 * EOK, operatingProfit: -5_000_000 },
      ],
    });
    const [y2022, y2023] = financialRows(app, id);
    expect([y2022?.fiscal_year, y2023?.fiscal_year]).toEqual([2022, 2023]);
    const list1 = await app.ok('companies.list', { query: '' });
    expect(list1.rows[0]).toMatchObject({ latestRevenue: 12 * EOK, latestFiscalYear: 2023 });

    const log2023Before = logOf(app.sqlite, 'financials', y2023!.id).length;
    // The form no longer has 2022, changes 2023's revenue (year matched, no id sent) and adds 2024.
    await app.ok('companies.update', {
      ...form,
      id,
      financials: [
        { fiscalYear: 2023, revenue: 13 * EOK, operatingProfit: -5_000_000 },
        { fiscalYear: 2024, revenue: 15 * EOK, operatingProfit: 2 * EOK },
      ],
    });
    const d = await app.ok('companies.get', { id });
    expect(d.financials.map((f) => [f.fiscalYear, f.revenue, f.operatingProfit])).toEqual([
      [2024, 15 * EOK, 2 * EOK],
      [2023, 13 * EOK, -5_000_000],
    ]);
    // 2023 kept its row id; 2022 is archived, not deleted
    expect(d.financials.find((f) => f.fiscalYear === 2023)?.id).toBe(y2023!.id);
    const rows = financialRows(app, id);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.fiscal_year === 2022)?.deleted_at).not.toBeNull();

    const log2023 = logOf(app.sqlite, 'financials', y2023!.id).slice(log2023Before);
    expect(log2023.map((e) => [e.field, e.value])).toEqual([['revenue', String(13 * EOK)]]);
    expect(logOf(app.sqlite, 'financials', y2022!.id).at(-1)).toMatchObject({ field: 'deleted_at', base: null });
    // the organization row itself did not change
    expect(logOf(app.sqlite, 'organizations', id)).toHaveLength(11);

    const list2 = await app.ok('companies.list', { query: '' });
    expect(list2.rows[0]).toMatchObject({ latestRevenue: 15 * EOK, latestFiscalYear: 2024 });
  });

  it('re-adding a removed year restores its row instead of creating a second one', async () => {
    const app = openApp();
    const { id, form } = await createCompany(app, { financials: [{ fiscalYear: 2022, revenue: 1, operatingProfit: 1 }] });
    const original = financialRows(app, id)[0]!.id;
    await app.ok('companies.update', { ...form, id, financials: [] });
    expect((await app.ok('companies.get', { id })).financials).toEqual([]);
    await app.ok('companies.update', { ...form, id, financials: [{ fiscalYear: 2022, revenue: 2, operatingProfit: 1 }] });
    const rows = financialRows(app, id);
    expect(rows).toEqual([{ id: original, fiscal_year: 2022, revenue: 2, operating_profit: 1, deleted_at: null }]);
    const tail = logOf(app.sqlite, 'financials', original).slice(-2).map((e) => [e.field, e.value]);
    expect(tail).toEqual([
      ['revenue', '2'],
      ['deleted_at', null],
    ]);
  });

  it('a latest year with unknown revenue is still the latest year', async () => {
    const app = openApp();
    await createCompany(app, {
      financials: [
        { fiscalYear: 2022, revenue: 5 * EOK, operatingProfit: null },
        { fiscalYear: 2023, revenue: null, operatingProfit: null },
      ],
    });
    const row = (await app.ok('companies.list', {})).rows[0];
    expect(row).toMatchObject({ latestFiscalYear: 2023, latestRevenue: null });
  });
});

describe('contacts', () => {
  it('edits by id, removes by omission (tombstone) and adds new ones, keeping their order', async () => {
    // a clock that ticks on every reading, so creation order is unambiguous
    let t = Date.parse('2025-06-01T09:00:00.000Z');
    const app = openApp({ now: () => (t += 1) });
    const { id, form } = await createCompany(app, {
      contacts: [
        { name: '이영희', role: '공장장', phone: '', email: '' },
        { name: '박민수', role: '대리', phone: '', email: '' },
      ],
    });
    const [lee, park] = (await app.ok('companies.get', { id })).contacts;
    expect([lee?.name, park?.name]).toEqual(['이영희', '박민수']);

    await app.ok('companies.update', {
      ...form,
      id,
      contacts: [
        { id: lee!.id, name: '이영희', role: '전무', phone: '010-1234-5678', email: '' },
        { name: '최신입', role: '사원', phone: '', email: '' },
      ],
    });
    const after = (await app.ok('companies.get', { id })).contacts;
    expect(after.map((c) => [c.name, c.role])).toEqual([
      ['이영희', '전무'],
      ['최신입', '사원'],
    ]);
    expect(after[0]?.id).toBe(lee!.id);
    expect(app.sqlite.prepare('SELECT deleted_at FROM contacts WHERE id = ?').pluck().get(park!.id)).not.toBeNull();
    expect(count(app.sqlite, 'contacts', 'org_id = ?', id)).toBe(3);
    expect(logOf(app.sqlite, 'contacts', lee!.id).slice(-2).map((e) => e.field)).toEqual(['role', 'phone']);
  });

  it('ignores a contact id that belongs to another company (adds a new contact instead)', async () => {
    const app = openApp();
    const a = await createCompany(app, { contacts: [{ name: '갑', role: '', phone: '', email: '' }] });
    const b = await createCompany(app);
    const foreign = (await app.ok('companies.get', { id: a.id })).contacts[0]!.id;
    await app.ok('companies.update', { ...b.form, id: b.id, contacts: [{ id: foreign, name: '을', role: '', phone: '', email: '' }] });
    expect((await app.ok('companies.get', { id: a.id })).contacts.map((c) => c.name)).toEqual(['갑']);
    expect((await app.ok('companies.get', { id: b.id })).contacts.map((c) => c.name)).toEqual(['을']);
  });
});

describe('suppliers', () => {
  it('stores technology fields, builds and VC investments, and filters by technology field (all must match)', async () => {
    const app = openApp();
    const ai = await app.ok('suppliers.create', supplierData({ name: '에이아이랩', techFields: ['vision', 'ai'], buildRecordCount: 12 }));
    await app.ok('suppliers.create', supplierData({ name: '엠이에스소프트', techFields: ['mes', 'erp'] }));
    await app.ok('suppliers.create', supplierData({ name: '비전웍스', techFields: ['vision'] }));
    // a company with the same words is never a supplier
    await app.ok('companies.create', companyData({ name: '에이아이랩' }));

    const d = await app.ok('suppliers.get', { id: ai.id });
    expect(d).toMatchObject({ kind: 'supplier', techFields: ['ai', 'vision'], buildRecordCount: 12 });
    const names = async (techFields: OpInput<'suppliers.list'>['techFields']) =>
      (await app.ok('suppliers.list', { techFields })).rows.map((r) => r.name).sort();
    expect(await names(['ai'])).toEqual(['에이아이랩']);
    expect(await names(['vision'])).toEqual(['비전웍스', '에이아이랩']);
    expect(await names(['ai', 'vision'])).toEqual(['에이아이랩']);
    expect(await names(['mes', 'ai'])).toEqual([]);
    expect(await names([])).toEqual(['비전웍스', '에이아이랩', '엠이에스소프트']);
    expect((await app.ok('suppliers.list', { techFields: ['vision'], query: '비전' })).rows.map((r) => r.name)).toEqual(['비전웍스']);
    const row = (await app.ok('suppliers.list', { query: '에이아이랩' })).rows[0];
    expect(row?.techFields).toEqual(['ai', 'vision']);
  });

  it('reordering the same technology fields is not a change', async () => {
    const app = openApp();
    const form = supplierData({ techFields: ['vision', 'ai'] });
    const { id } = await app.ok('suppliers.create', form);
    const before = snapshot(app.sqlite);
    await app.ok('suppliers.update', { ...form, id, techFields: ['ai', 'vision'] });
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('saves, edits and removes VC investments through the form, newest first', async () => {
    const app = openApp();
    const form = supplierData({
      vcInvestments: [
        { amount: 3 * EOK, investedOn: '2023-03-01', investor: '한국벤처' },
        { amount: 5 * EOK, investedOn: '2024-07-15', investor: '서울투자' },
      ],
    });
    const { id } = await app.ok('suppliers.create', form);
    const d = await app.ok('suppliers.get', { id });
    expect(d.vcInvestments.map((v) => [v.investedOn, v.amount, v.investor])).toEqual([
      ['2024-07-15', 5 * EOK, '서울투자'],
      ['2023-03-01', 3 * EOK, '한국벤처'],
    ]);
    const [newest, oldest] = d.vcInvestments;
    await app.ok('suppliers.update', { ...form, id, vcInvestments: [{ ...newest!, amount: 6 * EOK }] });
    const d2 = await app.ok('suppliers.get', { id });
    expect(d2.vcInvestments).toEqual([{ ...newest!, amount: 6 * EOK }]);
    expect(app.sqlite.prepare('SELECT deleted_at FROM vc_investments WHERE id = ?').pluck().get(oldest!.id)).not.toBeNull();
    expect(count(app.sqlite, 'vc_investments')).toBe(2);
  });

  it('a company form cannot give a company technology fields or investments', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', { ...companyData(), techFields: ['ai'], vcInvestments: [{ amount: 1, investedOn: '2024-01-01', investor: '' }] } as never);
    const d = await app.ok('companies.get', { id });
    expect(d.techFields).toEqual([]);
    expect(d.vcInvestments).toEqual([]);
    expect(count(app.sqlite, 'vc_investments')).toBe(0);
  });
});

describe('archive and restore', () => {
  it('archived companies stay readable and restorable', async () => {
    const app = openApp();
    const { id } = await createCompany(app, { financials: [{ fiscalYear: 2023, revenue: 1, operatingProfit: 1 }] });
    await app.ok('companies.archive', { id });
    const d = await app.ok('companies.get', { id });
    expect(d.deletedAt).not.toBeNull();
    expect(d.financials).toHaveLength(1);
    expect((await app.ok('companies.list', {})).total).toBe(0);
    await app.ok('companies.restore', { id });
    expect((await app.ok('companies.get', { id })).deletedAt).toBeNull();
    expect((await app.ok('companies.list', {})).total).toBe(1);
  });

  it('unknown ids are not found and write nothing', async () => {
    const app = openApp();
    const before = snapshot(app.sqlite);
    for (const op of ['companies.archive', 'companies.restore', 'suppliers.archive', 'companies.get']) {
      expect((await app.fail(op, { id: 'missing' })).code, op).toBe('not_found');
    }
    expect((await app.fail('companies.update', { ...companyData(), id: 'missing' })).code).toBe('not_found');
    expect(snapshot(app.sqlite)).toEqual(before);
  });
});
