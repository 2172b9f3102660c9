import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validationError } from '#shared/contract/validation';
import type { FieldError } from '#shared/contract/errors';
import { withCheckDigit } from '#shared/domain/brn';
import { MAX_KRW } from '#shared/schemas/common';
import { mentorInput, type MentorInput } from '#shared/schemas/mentors';
import { companyInput, orgListInput, supplierInput, type CompanyInput, type SupplierInput } from '#shared/schemas/organizations';

const VALID_BRN = '220-81-62517';

function company(over: Partial<CompanyInput> = {}): CompanyInput {
  return {
    brn: VALID_BRN,
    name: '대한정밀',
    representative: '김철수',
    region: '41',
    address: '',
    ksicCode: '29199',
    industryName: '',
    employees: 25,
    foundedOn: '2010-05-01',
    notes: '',
    financials: [],
    contacts: [],
    ...over,
  };
}

/** Field errors exactly as the boundary reports them (null when the input is valid). */
function fieldsOf(schema: z.ZodType, input: unknown): Record<string, FieldError> | null {
  const r = schema.safeParse(input);
  return r.success ? null : (validationError(r.error).fields ?? {});
}

const nextYear = new Date().getUTCFullYear() + 1;

describe('companyInput', () => {
  it('accepts a complete company and normalises the number to 10 digits and trims texts', () => {
    const r = companyInput.parse(company({ name: '  대한정밀  ', brn: ' 220-81-62517 ' }));
    expect(r.brn).toBe('2208162517');
    expect(r.name).toBe('대한정밀');
  });

  it('refuses a number with a wrong check digit with validation.brn.checksum', () => {
    expect(fieldsOf(companyInput, company({ brn: '220-81-62518' }))).toEqual({ brn: { key: 'validation.brn.checksum' } });
  });

  it('reports only the length (not also the checksum) for a number that is not 10 digits', () => {
    expect(fieldsOf(companyInput, company({ brn: '220-81-625' }))).toEqual({ brn: { key: 'validation.brn.length' } });
    expect(fieldsOf(companyInput, company({ brn: '' }))?.brn?.key).toBe('validation.required');
  });

  it('refuses an over-long name with validation.tooLong and its limit, and accepts exactly the limit', () => {
    expect(fieldsOf(companyInput, company({ name: '가'.repeat(101) }))).toEqual({ name: { key: 'validation.tooLong', params: { max: 100 } } });
    expect(fieldsOf(companyInput, company({ name: '가'.repeat(100) }))).toBeNull();
    // the limit applies after trimming
    expect(fieldsOf(companyInput, company({ name: ` ${'가'.repeat(100)} ` }))).toBeNull();
    expect(fieldsOf(companyInput, company({ notes: 'x'.repeat(5001) }))?.notes?.key).toBe('validation.tooLong');
  });

  it('refuses a blank name as required', () => {
    expect(fieldsOf(companyInput, company({ name: '   ' }))).toEqual({ name: { key: 'validation.required', params: { min: 1 } } });
  });

  it('refuses out-of-range money with validation.tooLarge / tooSmall', () => {
    const big = fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: MAX_KRW + 1, operatingProfit: 0 }] }));
    expect(big).toEqual({ 'financials.0.revenue': { key: 'validation.tooLarge', params: { max: MAX_KRW } } });
    const loss = fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: 0, operatingProfit: -MAX_KRW - 1 }] }));
    expect(loss).toEqual({ 'financials.0.operatingProfit': { key: 'validation.tooSmall', params: { min: -MAX_KRW } } });
    expect(fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: MAX_KRW, operatingProfit: -MAX_KRW }] }))).toBeNull();
  });

  it('refuses money that is not a whole number of 원 or not a number', () => {
    expect(fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: 1.5, operatingProfit: null }] }))).toEqual({
      'financials.0.revenue': { key: 'validation.integer' },
    });
    expect(
      fieldsOf(companyInput, { ...company(), financials: [{ fiscalYear: 2023, revenue: '100', operatingProfit: null }] })?.['financials.0.revenue']?.key,
    ).toBe('validation.number');
  });

  it('refuses the same fiscal year twice, pointing at the second', () => {
    const f = fieldsOf(
      companyInput,
      company({
        financials: [
          { fiscalYear: 2022, revenue: 1, operatingProfit: 1 },
          { fiscalYear: 2023, revenue: 1, operatingProfit: 1 },
          { fiscalYear: 2022, revenue: 2, operatingProfit: 2 },
        ],
      }),
    );
    expect(f).toEqual({ 'financials.2.fiscalYear': { key: 'validation.duplicateYear' } });
  });

  it('allows a negative operating profit (a loss) but not a negative revenue', () => {
    expect(fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: 5 * 10 ** 8, operatingProfit: -3 * 10 ** 7 }] }))).toBeNull();
    expect(fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: -1, operatingProfit: 0 }] }))).toEqual({
      'financials.0.revenue': { key: 'validation.tooSmall', params: { min: 0 } },
    });
  });

  it('allows unknown revenue and profit (null) but requires the fiscal year', () => {
    expect(fieldsOf(companyInput, company({ financials: [{ fiscalYear: 2023, revenue: null, operatingProfit: null }] }))).toBeNull();
    expect(fieldsOf(companyInput, { ...company(), financials: [{ revenue: 1, operatingProfit: 1 }] })).toEqual({
      'financials.0.fiscalYear': { key: 'validation.number' },
    });
  });

  it('keeps fiscal years between 1950 and next year', () => {
    const year = (fiscalYear: number) => fieldsOf(companyInput, company({ financials: [{ fiscalYear, revenue: 1, operatingProfit: 1 }] }));
    expect(year(1950)).toBeNull();
    expect(year(nextYear)).toBeNull();
    expect(year(1949)?.['financials.0.fiscalYear']?.key).toBe('validation.tooSmall');
    expect(year(nextYear + 1)?.['financials.0.fiscalYear']?.key).toBe('validation.tooLarge');
  });

  it('accepts only manufacturing KSIC codes (divisions 10–34, 2–5 digits)', () => {
    for (const ok of ['10', '29199', '3400', '26']) expect(fieldsOf(companyInput, company({ ksicCode: ok })), ok).toBeNull();
    for (const bad of ['58221', '09', '35', '2', '291999', 'ab', '']) {
      expect(fieldsOf(companyInput, company({ ksicCode: bad })), bad).toEqual({ ksicCode: { key: 'validation.ksic' } });
    }
  });

  it('accepts only the 17 region codes', () => {
    expect(fieldsOf(companyInput, company({ region: '11' }))).toBeNull();
    expect(fieldsOf(companyInput, { ...company(), region: '99' })).toEqual({ region: { key: 'validation.required' } });
  });

  it('checks dates, employees, emails and phone numbers', () => {
    expect(fieldsOf(companyInput, company({ foundedOn: '2024-02-30' }))).toEqual({ foundedOn: { key: 'validation.date' } });
    expect(fieldsOf(companyInput, company({ foundedOn: '2024-2-3' }))).toEqual({ foundedOn: { key: 'validation.date' } });
    expect(fieldsOf(companyInput, company({ foundedOn: '2024-02-29', employees: null }))).toBeNull();
    expect(fieldsOf(companyInput, company({ employees: -1 }))?.employees?.key).toBe('validation.tooSmall');
    const contact = { name: '이영희', role: '', phone: '031-123-4567', email: 'lee@example.kr' };
    expect(fieldsOf(companyInput, company({ contacts: [contact] }))).toBeNull();
    expect(fieldsOf(companyInput, company({ contacts: [{ ...contact, email: 'not-an-email' }] }))).toEqual({ 'contacts.0.email': { key: 'validation.email' } });
    expect(fieldsOf(companyInput, company({ contacts: [{ ...contact, phone: '전화번호' }] }))).toEqual({ 'contacts.0.phone': { key: 'validation.phone' } });
    expect(fieldsOf(companyInput, company({ contacts: [{ ...contact, email: '', phone: '' }] }))).toBeNull();
  });

  it('reports every invalid field at once', () => {
    const f = fieldsOf(companyInput, company({ brn: '1234567890', name: '', representative: '' }));
    expect(Object.keys(f ?? {}).sort()).toEqual(['brn', 'name', 'representative']);
  });

  it('drops keys that are not part of the form (bookkeeping columns cannot be smuggled in)', () => {
    const r = companyInput.parse({ ...company(), id: 'x', deletedAt: '2020-01-01', originDevice: 'evil' });
    expect(r).not.toHaveProperty('deletedAt');
    expect(r).not.toHaveProperty('originDevice');
    expect(r).not.toHaveProperty('id');
  });
});

describe('supplierInput', () => {
  const supplier = (over: Partial<SupplierInput> = {}): SupplierInput => ({
    ...company(),
    brn: withCheckDigit('104814312'),
    techFields: ['ai', 'mes'],
    buildRecordCount: 12,
    vcInvestments: [{ amount: 5 * 10 ** 8, investedOn: '2024-01-15', investor: '한국벤처' }],
    ...over,
  });

  it('accepts technology fields, builds and VC investments', () => {
    expect(fieldsOf(supplierInput, supplier())).toBeNull();
  });

  it('refuses unknown technology fields, zero investments and bad dates', () => {
    expect(fieldsOf(supplierInput, { ...supplier(), techFields: ['blockchain'] })).toEqual({ 'techFields.0': { key: 'validation.choice' } });
    expect(fieldsOf(supplierInput, supplier({ vcInvestments: [{ amount: 0, investedOn: '2024-01-15', investor: '' }] }))).toEqual({
      'vcInvestments.0.amount': { key: 'validation.tooSmall', params: { min: 1 } },
    });
    expect(fieldsOf(supplierInput, supplier({ vcInvestments: [{ amount: 1, investedOn: '2024-13-01', investor: '' }] }))).toEqual({
      'vcInvestments.0.investedOn': { key: 'validation.date' },
    });
  });
});

describe('orgListInput', () => {
  it('fills defaults and refuses bad paging', () => {
    expect(orgListInput.parse({})).toMatchObject({ query: '', archived: 'active', page: 1, pageSize: 50, sort: { field: 'name', dir: 'asc' } });
    expect(orgListInput.safeParse({ page: 0 }).success).toBe(false);
    expect(orgListInput.safeParse({ pageSize: 1000 }).success).toBe(false);
    expect(fieldsOf(orgListInput, { query: 'x'.repeat(101) })).toEqual({ query: { key: 'validation.tooLong', params: { max: 100 } } });
  });
});

describe('mentorInput', () => {
  const mentor: MentorInput = { name: '박공정', affiliationType: 'meister', affiliationName: '', expertise: 'process', region: '41', phone: '', email: '' };

  it('accepts a mentor and requires an expertise of process or ai', () => {
    expect(fieldsOf(mentorInput, mentor)).toBeNull();
    expect(fieldsOf(mentorInput, { ...mentor, expertise: 'quality' })).toEqual({ expertise: { key: 'validation.required' } });
    expect(fieldsOf(mentorInput, { ...mentor, name: '가'.repeat(51) })).toEqual({ name: { key: 'validation.tooLong', params: { max: 50 } } });
  });
});
