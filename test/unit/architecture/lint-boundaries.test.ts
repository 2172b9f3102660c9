import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * The architecture's import table is enforced by lint: each case is a file a developer might write.
 * The files do not exist, so type-aware rules are switched off for them; the boundary rules are not.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { project: null, projectService: false } } }],
});

async function rulesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('folder boundaries', () => {
  it.each([
    ['renderer/src/pages/Bad.tsx', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['renderer/src/pages/Bad.tsx', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['renderer/src/pages/Bad.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['shared/domain/bad.ts', "import path from 'node:path';\nexport const x = path;\n"],
    ['shared/domain/bad.ts', "import { sql } from 'drizzle-orm';\nexport const x = sql;\n"],
    ['electron/services/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s may not import what %j imports', async (file, code) => {
    expect(await rulesFor(file, code)).toContain('no-restricted-imports');
  });

  it('lets the renderer use shared/ code', async () => {
    const rules = await rulesFor('renderer/src/pages/Good.tsx', "import { formatBrn } from '#shared/domain/brn';\nexport const x = formatBrn('2208162517');\n");
    expect(rules).not.toContain('no-restricted-imports');
  });

  it('refuses bare user-visible text in JSX', async () => {
    const rules = await rulesFor('renderer/src/pages/Bare.tsx', 'export function Bare() {\n  return <p>저장했습니다</p>;\n}\n');
    expect(rules).toContain('i18next/no-literal-string');
  });

  it('refuses committed .only in tests', async () => {
    const rules = await rulesFor('test/unit/x.test.ts', "import { it } from 'vitest';\nit.only('x', () => undefined);\n");
    expect(rules).toContain('no-restricted-properties');
  });
});
