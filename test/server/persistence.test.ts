import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/app.ts';
import { AccountService } from '../../server/accounts.ts';
import { openDatabase } from '../../server/db/index.ts';
import { ADMIN, call, login } from './helpers.ts';

/** The zero-setup default: a PGlite data folder that keeps its data, migrated once, across restarts. */
describe('file-backed PGlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dxm-server-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps accounts across a restart and does not re-run migrations or re-create the administrator', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    const boot = await new AccountService(first.db, () => new Date()).ensureBootstrapAdmin(ADMIN.email, undefined);
    expect(boot.created).toBe(true);
    expect(boot.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const app = await buildServer({ database: { kind: 'open', database: first }, logger: false });
    const token = await login(app, ADMIN.email, boot.generatedPassword as string);
    expect((await call(app, 'POST', '/api/admin/organizations', { token, body: { name: '대구테크노파크', kind: 'regional_tp', region: '27' } })).status).toBe(201);
    await app.close();
    await first.close();

    const app2 = await buildServer({ database: { kind: 'pglite', dataDir: dir }, logger: false });
    try {
      expect((await app2.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const token2 = await login(app2, ADMIN.email, boot.generatedPassword as string);
      const orgs = await call<{ rows: { name: string }[] }>(app2, 'GET', '/api/admin/organizations', { token: token2 });
      expect(orgs.body.rows.map((o) => o.name)).toContain('대구테크노파크');
    } finally {
      await app2.close();
    }
    const third = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const boot2 = await new AccountService(third.db, () => new Date()).ensureBootstrapAdmin('other@test.kr', 'another-password');
      expect(boot2).toEqual({ created: false, generatedPassword: null });
      const applied: unknown = await third.db.execute('select count(*)::int as n from drizzle.__drizzle_migrations');
      expect((applied as { rows: { n: number }[] }).rows[0]?.n).toBe(fs.readdirSync(path.join(import.meta.dirname, '../../server/db/migrations')).filter((f) => f.endsWith('.sql')).length);
    } finally {
      await third.close();
    }
  }, 60_000);
});
