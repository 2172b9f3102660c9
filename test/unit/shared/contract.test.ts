import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract, isOpName, OP_NAMES } from '#shared/contract/index';

describe('contract', () => {
  it('names operations as domain.verb and gives each an input and output schema', () => {
    expect(OP_NAMES.length).toBeGreaterThan(20);
    for (const name of OP_NAMES) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(typeof contract[name].input.safeParse).toBe('function');
      expect(typeof contract[name].output.safeParse).toBe('function');
    }
  });

  it('refuses names that are not operations, including prototype keys', () => {
    expect(isOpName('companies.list')).toBe(true);
    for (const bad of ['constructor', '__proto__', 'toString', 'companies.drop', '', 42, null]) expect(isOpName(bad)).toBe(false);
  });

  it('has exactly one handler per operation in main', () => {
    const src = fs.readFileSync('electron/services/handlers.ts', 'utf8');
    for (const name of OP_NAMES) expect(src.split(`'${name}':`).length - 1, name).toBe(1);
  });
});
