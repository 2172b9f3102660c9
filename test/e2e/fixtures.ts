/**
 * The `app` fixture: one running DX Mentor with its own database file, and a way to restart it.
 * Default transport: the HTTP harness (test/e2e/harness/server.ts) in a child process + Chromium.
 * DX_E2E_ELECTRON=1: the real Electron app through Playwright's Electron launcher (same specs).
 */
import { _electron, test as base, type Browser, type BrowserContext, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bridgeScript } from './harness/bridge.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface AppHandle {
  page: Page;
  dbFile: string;
  /** Stops the app (gracefully, or with SIGKILL when `crash`) and starts it again on the same database. */
  restart(options?: { crash?: boolean }): Promise<Page>;
  close(): Promise<void>;
}

export function startHarness(dbFile: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'test/e2e/harness/server.ts'), '--db', dbFile, '--port', '0'], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`harness did not start: ${out}${err}`)), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /HARNESS_READY (\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!/HARNESS_READY/.test(out)) reject(new Error(`harness exited with ${code}: ${err}`));
    });
  });
}

export function stop(child: ChildProcess, crash: boolean): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(crash ? 'SIGKILL' : 'SIGTERM');
  });
}

async function harnessApp(browser: Browser, dbFile: string): Promise<AppHandle> {
  let server = await startHarness(dbFile);
  let context: BrowserContext;
  const open = async () => {
    context = await browser.newContext();
    await context.addInitScript(bridgeScript);
    const page = await context.newPage();
    await page.goto(server.url);
    // The app has booted (settings read, language chosen) once the first page heading shows.
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return page;
  };
  const handle: AppHandle = {
    page: await open(),
    dbFile,
    async restart(options) {
      await context.close();
      await stop(server.child, Boolean(options?.crash));
      server = await startHarness(dbFile);
      handle.page = await open();
      return handle.page;
    },
    async close() {
      await context.close();
      await stop(server.child, false);
    },
  };
  return handle;
}

async function electronApp(dbFile: string): Promise<AppHandle> {
  let app: ElectronApplication;
  const launch = async () => {
    app = await _electron.launch({ args: [repo, `--db=${dbFile}`], cwd: repo, env: { ...process.env, DX_EXPORT_DIR: path.join(path.dirname(dbFile), 'exports') } });
    const page = await app.firstWindow();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return page;
  };
  const handle: AppHandle = {
    page: await launch(),
    dbFile,
    async restart(options) {
      if (options?.crash) app.process().kill('SIGKILL');
      else await app.close();
      handle.page = await launch();
      return handle.page;
    },
    async close() {
      await app.close();
    },
  };
  return handle;
}

export const test = base.extend<{ app: AppHandle; secondApp: AppHandle }>({
  app: async ({ browser }, use, testInfo) => {
    const dbFile = testInfo.outputPath('dx-mentor.db');
    const handle = process.env.DX_E2E_ELECTRON ? await electronApp(dbFile) : await harnessApp(browser, dbFile);
    await use(handle);
    await handle.close();
  },
  /** A second laptop: another running app with its own database (the colleague's). */
  secondApp: async ({ browser }, use, testInfo) => {
    const dbFile = testInfo.outputPath('second', 'dx-mentor.db');
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    const handle = process.env.DX_E2E_ELECTRON ? await electronApp(dbFile) : await harnessApp(browser, dbFile);
    await use(handle);
    await handle.close();
  },
});

export { expect } from '@playwright/test';
