import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { hashEnrolmentCode, normalizeEnrolmentCode, randomEnrolmentCode, sameDigest, sha256Hex } from '../../server/auth/secrets.ts';
import { configFromEnv, describeDatabase } from '../../server/config.ts';
import { escapeHtml } from '../../server/verify-page.ts';

const FAST = { N: 1024, r: 8, p: 1 };

describe('scrypt passwords', () => {
  it('stores parameters and a random salt with the hash, and verifies', async () => {
    const a = await hashPassword('correct horse battery', FAST);
    const b = await hashPassword('correct horse battery', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const stored = await hashPassword('비밀번호-한글도-됩니다', { N: 2048, r: 4, p: 2 });
    expect(stored.startsWith('scrypt$2048$4$2$')).toBe(true);
    expect(await verifyPassword('비밀번호-한글도-됩니다', stored)).toBe(true);
    // NFC and NFD spellings of the same Korean text are the same password.
    expect(await verifyPassword('비밀번호-한글도-됩니다'.normalize('NFD'), stored)).toBe(true);
  });

  it('treats malformed or hostile stored hashes as a mismatch, never a crash', async () => {
    for (const bad of ['', 'plain', 'scrypt$1024$8$1$$', 'bcrypt$1$2$3$4$5', 'scrypt$99999999$8$1$c2FsdA==$aGFzaA==', 'scrypt$x$8$1$c2FsdA==$aGFzaA==']) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});

describe('random credentials', () => {
  it('makes readable enrolment codes and accepts them however they are typed', () => {
    const code = randomEnrolmentCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(Array.from({ length: 50 }, randomEnrolmentCode)).size).toBe(50);
    expect(normalizeEnrolmentCode('ab1o-il00 ')).toBe('AB101100');
    expect(hashEnrolmentCode(code.toLowerCase().replace(/-/g, ' '))).toBe(hashEnrolmentCode(code));
    expect(hashEnrolmentCode(code)).not.toContain(code.replace(/-/g, ''));
  });

  it('compares digests exactly', () => {
    expect(sameDigest(sha256Hex('a'), sha256Hex('a'))).toBe(true);
    expect(sameDigest(sha256Hex('a'), sha256Hex('b'))).toBe(false);
    expect(sameDigest(sha256Hex('a'), 'abcd')).toBe(false);
    expect(sameDigest('', '')).toBe(false);
  });
});

describe('configuration from the environment', () => {
  it('defaults to embedded PGlite in .data/server on 127.0.0.1:8787', () => {
    const c = configFromEnv({}, '/srv/app');
    expect(c).toMatchObject({ port: 8787, host: '127.0.0.1', database: { kind: 'pglite', dataDir: '/srv/app/.data/server' }, adminPassword: undefined, trustProxy: false });
    expect(configFromEnv({ SERVER_DATA_DIR: '/var/lib/dxm' }, '/srv/app').database).toEqual({ kind: 'pglite', dataDir: '/var/lib/dxm' });
  });

  it('selects PostgreSQL with DATABASE_URL and refuses nonsense', () => {
    const c = configFromEnv({ DATABASE_URL: 'postgres://dx:pw@db:5432/dx', PORT: '9000', HOST: '0.0.0.0', ADMIN_BOOTSTRAP_PASSWORD: 'a-long-password' });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', database: { kind: 'postgres', url: 'postgres://dx:pw@db:5432/dx' }, adminPassword: 'a-long-password' });
    expect(describeDatabase(c.database)).toBe('PostgreSQL at postgres://dx:***@db:5432/dx');
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => configFromEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => configFromEnv({ ADMIN_BOOTSTRAP_PASSWORD: 'short' })).toThrow(/12/);
  });
});

describe('escapeHtml', () => {
  it('escapes every character that can end a text node or an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`=</a>`)).toBe('&#60;a href&#61;&#34;x&#34; onclick&#61;&#39;y&#39;&#62;&#38;&#96;&#61;&#60;/a&#62;');
  });
});
