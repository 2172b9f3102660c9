/**
 * Electron main: app lifecycle, the window, start-up failures, and IPC registration. Everything else
 * lives in electron/services, which never imports `electron`.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, shell } from 'electron';
import i18next from 'i18next';
import path from 'node:path';
import { AppError } from '#shared/contract/errors';
import { resources } from '#shared/i18n/resources';
import { createAppServices, type AppServices } from '../services/app.ts';
import { dispatch } from '../services/dispatch.ts';
import { createHandlers } from '../services/handlers.ts';
import type { SecretProtector } from '../services/keystore.ts';
import { createLogger, type Logger } from '../services/logger.ts';
import { folderExporter } from '../services/exporter.ts';
import { dialogExporter } from './exporter.ts';
import { resolvePaths, type AppPaths } from './paths.ts';
import { hardenSessions } from './security.ts';

let services: AppServices | undefined;
let mainWindow: BrowserWindow | undefined;

async function startupFailure(err: unknown, paths: AppPaths, logger: Logger): Promise<void> {
  const lang = app.getLocale().startsWith('ko') ? 'ko' : 'en';
  const t = i18next.createInstance();
  await t.init({ resources, lng: lang, fallbackLng: 'ko', ns: ['messages'], defaultNS: 'messages', initAsync: false });
  const data = err instanceof AppError ? err.data : { messageKey: 'errors.internal', params: {} };
  logger.error({ err }, 'start-up failed');
  const choice = await dialog.showMessageBox({
    type: 'error',
    title: 'DX Mentor',
    message: t.t(data.messageKey, { ...data.params, file: paths.dbFile }),
    detail: t.t('errors.db.nothingLost', { file: paths.dbFile }),
    buttons: [t.t('errors.db.openFolder'), t.t('errors.db.quit')],
    defaultId: 1,
  });
  if (choice.response === 0) shell.showItemInFolder(paths.dbFile);
  app.quit();
}

function createWindow(paths: AppPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'DX Mentor',
    icon: path.join(app.getAppPath(), 'assets', 'icons', 'icon.png'),
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  if (!app.isPackaged && process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(paths.rendererIndex);
  return win;
}

/**
 * The OS key store for the signing key's password, where there is a real one: Keychain, DPAPI, or a Linux
 * secret service. Linux without one falls back to 'basic_text' (no protection): then the user's passphrase
 * protects the key instead.
 */
function osKeyStore(): SecretProtector | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (blob) => safeStorage.decryptString(blob) };
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const paths = resolvePaths({
    userData: app.getPath('userData'),
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    isPackaged: app.isPackaged,
    electronVersion: process.versions.electron,
    argv: process.argv,
    env: process.env,
  });
  const logger = createLogger({ file: paths.logFile });
  hardenSessions();
  try {
    services = createAppServices({
      dbFile: paths.dbFile,
      migrationsFolder: paths.migrationsFolder,
      logger,
      appVersion: app.getVersion(),
      nativeBinding: paths.nativeBinding,
      fontsDir: paths.fontsDir,
      // DX_EXPORT_DIR (automated runs only) saves exports to a folder instead of asking with a dialog.
      exporter: process.env.DX_EXPORT_DIR ? folderExporter(process.env.DX_EXPORT_DIR) : dialogExporter(() => mainWindow),
      secretProtector: osKeyStore(),
    });
  } catch (err) {
    await startupFailure(err, paths, logger);
    return;
  }
  const handlers = createHandlers(services);
  ipcMain.handle('dx:invoke', (event, name: unknown, input: unknown) => {
    // Only our own window's top frame may call the contract.
    if (!mainWindow || event.sender.id !== mainWindow.webContents.id || event.senderFrame !== mainWindow.webContents.mainFrame) {
      return { ok: false, error: { code: 'unknown_operation', messageKey: 'errors.unknownOperation', params: { name: String(name) } } };
    }
    return dispatch(handlers, name, input, logger);
  });
  services.mutations.onCommit((tables) => {
    mainWindow?.webContents.send('dx:event', 'data.changed', { tables: [...tables] });
    // Local changes leave the laptop soon after they are made (a pulled page does not start another round).
    if (!services?.syncRunner.status().running) services?.syncRunner.kick();
  });
  // A company removed from this laptop (no longer assigned to its pair): the open pages stop showing it.
  services.syncScope.onRemoved((tables) => mainWindow?.webContents.send('dx:event', 'data.changed', { tables: [...tables] }));
  services.syncRunner.start();
  mainWindow = createWindow(paths);
  // The full integrity check reads every page: run it once the window is up, not before.
  mainWindow.once('ready-to-show', () => {
    setTimeout(() => {
      const result = services?.database.checkIntegrity() ?? 'ok';
      if (result !== 'ok') {
        logger.error({ result }, 'integrity check failed');
        void startupFailure(new AppError({ code: 'db_unavailable', messageKey: 'errors.db.corrupt', params: { file: paths.dbFile } }), paths, logger);
      }
    }, 2000);
  });
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => services?.close());
}

void main();
