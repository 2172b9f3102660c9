// @ts-check
/**
 * Lint rules, including the architecture's import boundaries (../shared/architecture.md):
 * a wrong import (a renderer file importing node:fs or better-sqlite3, shared/ importing Node, a service
 * importing electron) fails `npm test`.
 */
import js from '@eslint/js';
import i18next from 'eslint-plugin-i18next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['assert', 'buffer', 'child_process', 'crypto', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'url', 'util', 'worker_threads', 'zlib'];
const node = (extra = []) => [...NODE_BUILTINS, ...NODE_BUILTINS.map((m) => `node:${m}`), ...extra];
const nodePattern = { group: ['node:*'], message: 'Node APIs are not available here.' };

const restrict = (paths, patterns = []) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message: 'Not allowed in this folder (see architecture.md).' })), patterns }],
});

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'bench/results/**', 'db/migrations/**', 'test-results/**', 'playwright-report/**', '.tmp/**', '.data/**', 'assets/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['tsconfig.e2e.json', 'tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.server.json'], tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: '.only must not be committed.' },
        { object: 'it', property: 'only', message: '.only must not be committed.' },
        { object: 'test', property: 'only', message: '.only must not be committed.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, i18next },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(node(['electron', 'better-sqlite3', 'drizzle-orm', 'pino']), [
        nodePattern,
        { group: ['drizzle-orm/*', '**/electron/**', '**/db/**', '**/server/**'], message: 'The renderer sees only shared/ and window.dx.' },
        // In a group, '#db/*' reads as a gitignore comment and matches nothing; a regex does.
        { regex: '^#(db|server)/', message: 'The renderer sees only shared/ and window.dx.' },
      ]),
      // No bare user-visible text in JSX: every string goes through i18next.
      'i18next/no-literal-string': ['error', { mode: 'jsx-text-only', words: { exclude: ['DX Mentor', '—', '·', '[0-9.,:%()/ -]+'] } }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(node(['electron', 'better-sqlite3', 'drizzle-orm', 'react', 'react-dom', 'pino']), [
      nodePattern,
      { group: ['drizzle-orm/*', 'react/*', '../../*', '**/electron/**', '**/renderer/**', '**/db/**', '**/server/**'], message: 'shared/ imports nothing outside shared/ and nothing platform-specific.' },
      { regex: '^#(db|server)/', message: 'shared/ imports nothing outside shared/ and nothing platform-specific.' },
    ]),
  },
  {
    files: ['electron/services/**/*.ts'],
    rules: restrict(['electron'], [{ group: ['electron/*', '**/renderer/**'], message: 'Services run in plain Node: paths, keys and clocks are passed in.' }]),
  },
  {
    files: ['db/**/*.ts'],
    rules: restrict(node(['electron', 'react', 'pino', 'better-sqlite3']), [nodePattern, { group: ['**/electron/**', '**/renderer/**', '**/server/**'], message: 'db/ imports only drizzle and shared/.' }]),
  },
  // server/ sees shared/ (through #shared/*), Node and npm packages; never the desktop app's code. A relative
  // import that climbs out of server/ is refused whatever it names, so `../db` inside server/ stays allowed.
  ...[1, 2, 3, 4].map((depth) => ({
    files: [`server/${'*/'.repeat(depth - 1)}*.ts`],
    rules: restrict(['electron', 'better-sqlite3', 'react', 'react-dom'], [
      // A group entry '#db/*' would be a gitignore comment and match nothing, hence the regex.
      { regex: '^#db/', message: 'server/ imports only shared/ (#shared/*), Node and npm packages.' },
      { group: ['electron/*', 'drizzle-orm/better-sqlite3', 'drizzle-orm/better-sqlite3/*', 'react/*', '**/electron/**', '**/renderer/**'], message: 'server/ imports only shared/ (#shared/*), Node and npm packages.' },
      { group: [`${'../'.repeat(depth)}*`], message: 'server/ imports only shared/ (#shared/*), Node and npm packages; no relative path out of server/.' },
    ]),
  })),
  {
    files: ['test/**', 'bench/**', 'scripts/**', '*.config.ts'],
    rules: { 'no-console': 'off' },
  },
);
