import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/** server/ may import shared/, Node and npm packages only; shared/ never imports server/ (architecture.md). */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{ ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { project: null, projectService: false } } }],
});

async function rulesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('server/ boundaries', () => {
  it.each([
    ['server/bad.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['server/bad.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n"],
    ['server/bad.ts', "import { companies } from '#db/schema';\nexport const x = companies;\n"],
    ['server/bad.ts', "import { companies } from '../db/schema.ts';\nexport const x = companies;\n"],
    ['server/routes/bad.ts', "import { CertificateService } from '../../electron/services/certificates.ts';\nexport const x = CertificateService;\n"],
    ['server/routes/bad.ts', "import { App } from '../../renderer/src/App.tsx';\nexport const x = App;\n"],
    ['server/db/deep/bad.ts', "import { x } from '../../../db/index.ts';\nexport const y = x;\n"],
    ['shared/domain/bad.ts', "import { buildServer } from '../../server/app.ts';\nexport const x = buildServer;\n"],
    // '#db/*' subpath imports are caught too (a plain group pattern starting with '#' matches nothing).
    ['shared/domain/bad.ts', "import { companies } from '#db/schema';\nexport const x = companies;\n"],
    ['renderer/src/pages/Bad.tsx', "import { companies } from '#db/schema';\nexport const x = companies;\n"],
  ])('%s may not import what %j imports', async (file, code) => {
    expect(await rulesFor(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['server/bad.ts', "import { REGIONS } from '#shared/domain/regions';\nimport crypto from 'node:crypto';\nimport Fastify from 'fastify';\nexport const x = [REGIONS, crypto, Fastify];\n"],
    ['server/routes/ok.ts', "import { parse } from '../validation.ts';\nimport { users } from '../db/schema.ts';\nexport const x = [parse, users];\n"],
  ])('%s may import what %j imports', async (file, code) => {
    expect(await rulesFor(file, code)).not.toContain('no-restricted-imports');
  });
});
