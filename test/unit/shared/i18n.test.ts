import fs from 'node:fs';
import path from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { NAMESPACES, resources } from '#shared/i18n/resources';

function keys(obj: unknown, prefix = ''): string[] {
  if (typeof obj !== 'object' || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function valueAt(obj: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), obj);
}

describe('translations', () => {
  it.each(NAMESPACES)('Korean and English have exactly the same keys in %s', (ns) => {
    const ko = keys(resources.ko[ns]).sort();
    const en = keys(resources.en[ns]).sort();
    expect(en.filter((k) => !ko.includes(k))).toEqual([]);
    expect(ko.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('has no empty texts', () => {
    for (const lang of ['ko', 'en'] as const) {
      for (const ns of NAMESPACES) {
        for (const k of keys(resources[lang][ns])) expect(String(valueAt(resources[lang][ns], k)).trim(), `${lang}:${ns}:${k}`).not.toBe('');
      }
    }
  });

  it('every translation key used in the renderer exists in both languages', () => {
    const root = path.resolve('renderer/src');
    const files = fs.readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'));
    const used = new Set<string>();
    for (const f of files) {
      const src = fs.readFileSync(path.join(root, f), 'utf8');
      // Static keys only: t('a.b') and t('ns:a.b'); dynamic keys (template strings) are checked below.
      for (const m of src.matchAll(/\bt\(\s*'([a-zA-Z0-9_.:]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(50);
    for (const lang of ['ko', 'en'] as const) {
      const t = i18next.createInstance();
      void t.init({ resources, lng: lang, ns: [...NAMESPACES], defaultNS: 'common', fallbackNS: ['registry', 'messages'], initAsync: false });
      for (const key of used) {
        const [ns, k] = key.includes(':') ? (key.split(':') as [string, string]) : [undefined, key];
        // The key must lead to a text, not to a group of texts (t() would show "returned an object").
        const isText = (n: (typeof NAMESPACES)[number], k2: string) => typeof valueAt(resources[lang][n], k2) === 'string' || typeof valueAt(resources[lang][n], `${k2}_other`) === 'string';
        const exists = ns ? t.exists(k, { ns }) && isText(ns as (typeof NAMESPACES)[number], k) : NAMESPACES.some((n) => isText(n, key));
        expect(exists, `${lang}: ${key}`).toBe(true);
      }
    }
  });

  it('every error and validation key the code can return is translated', () => {
    const sources = ['shared', 'electron/services'].flatMap((dir) =>
      fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => fs.readFileSync(path.join(dir, f), 'utf8')),
    );
    const found = new Set<string>();
    for (const src of sources) for (const m of src.matchAll(/'((?:errors|validation)\.[a-zA-Z0-9_.]+)'/g)) found.add(m[1] as string);
    expect(found.size).toBeGreaterThan(20);
    for (const key of found) {
      if (key.endsWith('.')) continue;
      for (const lang of ['ko', 'en'] as const) expect(valueAt(resources[lang].messages, key), `${lang}: ${key}`).toBeTypeOf('string');
    }
  });

  it('domain lists have a translation for every code', () => {
    for (const lang of ['ko', 'en'] as const) {
      for (const code of ['mes', 'erp', 'ai', 'digital_twin', 'big_data', 'robotics', 'iot']) {
        expect(valueAt(resources[lang].registry, `tech.${code}`)).toBeTypeOf('string');
      }
    }
  });
});
