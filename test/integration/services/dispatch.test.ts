import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '#shared/contract/errors';
import { OP_NAMES } from '#shared/contract/index';
import { companyData, count, hasMessage, journal, mentorData, openApp, snapshot, supplierData, track, useCleanup } from '../fixtures.ts';

useCleanup();

describe('validation at the boundary', () => {
  it('returns field errors for an invalid payload and writes nothing', async () => {
    const app = openApp();
    await app.ok('companies.create', companyData());
    const before = snapshot(app.sqlite);
    const logBefore = count(app.sqlite, 'change_log');
    const rowsBefore = count(app.sqlite, 'organizations');

    const r = await app.call('companies.create', {
      ...companyData(),
      brn: '123-45-67890',
      name: '',
      financials: [{ fiscalYear: 2023, revenue: -1, operatingProfit: 0 }],
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'validation',
        messageKey: 'errors.validation',
        fields: {
          brn: { key: 'validation.brn.checksum' },
          name: { key: 'validation.required', params: { min: 1 } },
          'financials.0.revenue': { key: 'validation.tooSmall', params: { min: 0 } },
        },
      },
    });
    expect(count(app.sqlite, 'change_log')).toBe(logBefore);
    expect(count(app.sqlite, 'organizations')).toBe(rowsBefore);
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('refuses an invalid update without touching the stored row', async () => {
    const app = openApp();
    const input = companyData({ name: '원래이름' });
    const { id } = await app.ok('companies.create', input);
    const before = snapshot(app.sqlite);
    const e = await app.fail('companies.update', { ...input, id, name: '새이름', employees: -5 });
    expect(e.code).toBe('validation');
    expect(e.fields).toEqual({ employees: { key: 'validation.tooSmall', params: { min: 0 } } });
    expect(snapshot(app.sqlite)).toEqual(before);
    expect((await app.ok('companies.get', { id })).name).toBe('원래이름');
  });

  it('reports missing fields as required and wrong types as such', async () => {
    const app = openApp();
    const before = snapshot(app.sqlite);
    const e = await app.fail('mentors.create', { name: '김멘토' });
    expect(e.code).toBe('validation');
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(['affiliationName', 'affiliationType', 'email', 'expertise', 'phone', 'region']);
    expect(e.fields?.affiliationName).toEqual({ key: 'validation.required' });
    const t = await app.fail('companies.get', { id: 42 });
    expect(t.fields).toEqual({ id: { key: 'validation.type' } });
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('handles payloads that are not objects', async () => {
    const app = openApp();
    for (const payload of ['nonsense', 42, [], true]) {
      const e = await app.fail('companies.create', payload);
      expect(e.code, JSON.stringify(payload)).toBe('validation');
      expect(e.fields?._?.key).toBe('validation.type');
    }
    // a missing payload is an empty object: fine for operations without input
    expect(await app.call('dashboard.summary', undefined)).toMatchObject({ ok: true });
    expect(await app.call('companies.list', null)).toMatchObject({ ok: true, value: { total: 0, rows: [] } });
  });

  it('ignores keys that are not part of an operation (bookkeeping cannot be smuggled in)', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', { ...companyData(), deletedAt: '2020-01-01T00:00:00.000Z', id: 'mine', originDevice: 'evil' } as never);
    expect(id).not.toBe('mine');
    const row = app.sqlite.prepare('SELECT deleted_at, origin_device FROM organizations WHERE id = ?').get(id);
    expect(row).toEqual({ deleted_at: null, origin_device: app.services.settings.deviceId() });
  });

  it('every validation key returned is translated', async () => {
    const app = openApp();
    const e = await app.fail('companies.create', { ...companyData(), brn: '1', name: 'x'.repeat(200), ksicCode: '58', foundedOn: '2024-02-31' });
    expect(Object.keys(e.fields ?? {}).length).toBeGreaterThanOrEqual(4);
    for (const f of Object.values(e.fields ?? {})) expect(hasMessage(f.key), f.key).toBe(true);
    expect(hasMessage(e.messageKey)).toBe(true);
  });
});

describe('operation names', () => {
  it('refuses names that are not in the contract, including prototype keys, and writes nothing', async () => {
    const app = openApp();
    const before = snapshot(app.sqlite);
    for (const name of ['companies.drop', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'companies', 42, null, undefined]) {
      const r = await app.call(name as string, { id: 'x' });
      expect(r, String(name)).toEqual({ ok: false, error: { code: 'unknown_operation', messageKey: 'errors.unknownOperation', params: { name: String(name) } } });
    }
    expect(snapshot(app.sqlite)).toEqual(before);
    expect(hasMessage('errors.unknownOperation')).toBe(true);
  });

  it('answers every operation in the contract (none throws raw errors across the boundary)', async () => {
    const app = openApp();
    for (const name of OP_NAMES) {
      const r = await app.call(name, {});
      if (!r.ok) {
        expect(['validation', 'not_found', 'conflict'], `${name}: ${JSON.stringify(r.error)}`).toContain(r.error.code);
        expect(hasMessage(r.error.messageKey), r.error.messageKey).toBe(true);
      }
    }
  });
});

describe('business registration number conflicts', () => {
  it('refuses a duplicate number on field brn, whatever its formatting', async () => {
    const app = openApp();
    await app.ok('companies.create', companyData({ brn: '2208162517', name: '네이버정밀' }));
    const before = snapshot(app.sqlite);
    const e = await app.fail('companies.create', companyData({ brn: '220-81-62517', name: '다른회사' }));
    expect(e).toEqual({
      code: 'conflict',
      messageKey: 'validation.brn.duplicate',
      params: { name: '네이버정밀' },
      fields: { brn: { key: 'validation.brn.duplicate', params: { name: '네이버정밀' } } },
    });
    expect(snapshot(app.sqlite)).toEqual(before);
  });

  it('says when the other company is archived (validation.brn.duplicateArchived)', async () => {
    const app = openApp();
    const { id } = await app.ok('companies.create', companyData({ brn: '2208162517', name: '보관된회사' }));
    await app.ok('companies.archive', { id });
    const e = await app.fail('companies.create', companyData({ brn: '2208162517' }));
    expect(e.code).toBe('conflict');
    expect(e.fields).toEqual({ brn: { key: 'validation.brn.duplicateArchived', params: { name: '보관된회사' } } });
    expect(hasMessage('validation.brn.duplicateArchived')).toBe(true);
    // after restoring it, it is an ordinary duplicate
    await app.ok('companies.restore', { id });
    expect((await app.fail('companies.create', companyData({ brn: '2208162517' }))).fields?.brn?.key).toBe('validation.brn.duplicate');
  });

  it('refuses changing a company’s number to another company’s, but keeping its own is fine', async () => {
    const app = openApp();
    await app.ok('companies.create', companyData({ brn: '2208162517', name: 'A' }));
    const b = companyData({ brn: '1248100998', name: 'B' });
    const { id } = await app.ok('companies.create', b);
    expect((await app.fail('companies.update', { ...b, id, brn: '220-81-62517' })).fields?.brn?.key).toBe('validation.brn.duplicate');
    expect((await app.ok('companies.get', { id })).brn).toBe('1248100998');
    await app.ok('companies.update', { ...b, id, brn: '124-81-00998', name: 'B2' });
    expect((await app.ok('companies.get', { id })).name).toBe('B2');
  });

  it('keeps companies and suppliers as separate registries (one firm may be both)', async () => {
    const app = openApp();
    await app.ok('companies.create', companyData({ brn: '2208162517' }));
    await app.ok('suppliers.create', supplierData({ brn: '2208162517' }));
    expect((await app.fail('suppliers.create', supplierData({ brn: '2208162517' }))).fields?.brn?.key).toBe('validation.brn.duplicate');
  });
});

describe('errors from handlers', () => {
  it('not found is a typed error', async () => {
    const app = openApp();
    const e = await app.fail('companies.get', { id: 'no-such-id' });
    expect(e).toMatchObject({ code: 'not_found', messageKey: 'errors.notFound' });
    const s = await app.ok('suppliers.create', supplierData());
    // a supplier is not a company
    expect((await app.fail('companies.get', { id: s.id })).code).toBe('not_found');
    expect((await app.fail('companies.archive', { id: s.id })).code).toBe('not_found');
    expect((await app.fail('mentors.archive', { id: 'no-such-id' })).code).toBe('not_found');
  });

  it('an unexpected error becomes errors.internal without leaking its message', async () => {
    const app = openApp({
      handlers: (h) => ({
        ...h,
        'dashboard.summary': () => {
          throw new Error('SELECT secret FROM internals');
        },
      }),
    });
    const r = await app.call('dashboard.summary', {});
    expect(r).toEqual({ ok: false, error: { code: 'internal', messageKey: 'errors.internal' } });
    expect(JSON.stringify(r)).not.toContain('secret');
  });

  it('an AppError thrown by a handler crosses unchanged', async () => {
    const app = openApp({
      handlers: (h) => ({
        ...h,
        'dashboard.summary': () => {
          throw new AppError({ code: 'locked', messageKey: 'errors.locked' });
        },
      }),
    });
    expect(await app.call('dashboard.summary', {})).toEqual({ ok: false, error: { code: 'locked', messageKey: 'errors.locked' } });
  });

  it('a write that collides with another program (SQLITE_BUSY_SNAPSHOT) reports busy, not an internal error', async () => {
    const conn: { other?: Database.Database } = {};
    const app = openApp({
      handlers: (h, s) => ({
        ...h,
        // A deferred read-then-write transaction outside the mutation layer (which takes the write lock up
        // front): another program commits between its read and its write.
        'settings.setLanguage': ({ language }) =>
          s.database.sqlite.transaction(() => {
            s.database.sqlite.prepare('SELECT count(*) FROM meta').get();
            conn.other?.exec("INSERT INTO meta(key, value) VALUES ('other', 'x')");
            s.settings.set('language', language);
            return { language };
          })(),
      }),
    });
    conn.other = track(new Database(app.file, { timeout: 100 }));
    const r = await app.call('settings.setLanguage', { language: 'en' });
    expect(r).toEqual({ ok: false, error: { code: 'db_unavailable', messageKey: 'errors.db.busy' } });
    expect(await app.ok('settings.get', {})).toEqual({ language: 'ko' });
    expect(app.sqlite.prepare("SELECT value FROM meta WHERE key = 'other'").pluck().get()).toBe('x');
  });
});

describe('settings and app info', () => {
  it('keeps the language across a restart and reports build facts', async () => {
    const app = openApp();
    expect(await app.ok('settings.get', {})).toEqual({ language: 'ko' });
    expect(await app.ok('settings.setLanguage', { language: 'en' })).toEqual({ language: 'en' });
    expect((await app.fail('settings.setLanguage', { language: 'fr' })).fields?.language?.key).toBe('validation.choice');
    const info = await app.ok('app.info', {});
    expect(info).toMatchObject({ version: 'test', dbPath: app.file, schemaVersion: journal().entries.length, deviceId: app.services.settings.deviceId() });
    app.close();
    const again = openApp({ dir: app.dir });
    expect(await again.ok('settings.get', {})).toEqual({ language: 'en' });
    expect((await again.ok('app.info', {})).deviceId).toBe(info.deviceId);
  });
});

describe('dashboard', () => {
  it('counts active records, unassigned companies and regions', async () => {
    const app = openApp();
    const c1 = await app.ok('companies.create', companyData({ region: '26' }));
    await app.ok('companies.create', companyData({ region: '26' }));
    const c3 = await app.ok('companies.create', companyData({ region: '11' }));
    await app.ok('suppliers.create', supplierData({ region: '11' }));
    const p = await app.ok('mentors.create', mentorData());
    const a = await app.ok('mentors.create', mentorData({ expertise: 'ai', name: '최인공' }));
    const pair = await app.ok('pairs.create', { processMentorId: p.id, aiMentorId: a.id });
    await app.ok('pairs.assign', { companyId: c1.id, pairId: pair.id });
    await app.ok('companies.archive', { id: c3.id });

    const s = await app.ok('dashboard.summary', {});
    expect(s).toMatchObject({ companies: 2, suppliers: 1, mentors: 2, pairs: 1, unassignedCompanies: 1, recentChanges: 2 });
    expect(s.byRegion).toHaveLength(17);
    expect(s.byRegion.find((r) => r.region === '26')).toEqual({ region: '26', companies: 2, suppliers: 0 });
    expect(s.byRegion.find((r) => r.region === '11')).toEqual({ region: '11', companies: 0, suppliers: 1 });
  });

  it('counts as recent only companies added or changed in the last 7 days', async () => {
    let now = Date.now() - 30 * 86_400_000;
    const app = openApp({ now: () => now });
    const old = companyData({ name: '오래된회사' });
    const { id } = await app.ok('companies.create', old);
    await app.ok('companies.create', companyData({ name: '또오래된회사' }));
    expect((await app.ok('dashboard.summary', {})).recentChanges).toBe(0);
    now = Date.now();
    await app.ok('companies.update', { ...old, id, name: '이름바꾼회사' });
    await app.ok('companies.create', companyData({ name: '새회사' }));
    expect((await app.ok('dashboard.summary', {})).recentChanges).toBe(2);
  });
});
