import { defineConfig } from '@playwright/test';
import fs from 'node:fs';

/**
 * E2E specs run against the real renderer with the real handlers behind it: in Chromium through the
 * HTTP harness by default, or through Playwright's Electron launcher with DX_E2E_ELECTRON=1 (needs an
 * Electron binary). The Chromium used is Debian's (/usr/bin/chromium) or CHROME_PATH.
 */
const chrome = process.env.CHROME_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // The specs are whole user journeys; on a 2-core CI machine running two at once the longest take about a minute.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1360, height: 880 },
    locale: 'ko-KR',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(chrome ? { executablePath: chrome } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
