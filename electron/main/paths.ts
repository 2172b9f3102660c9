import fs from 'node:fs';
import path from 'node:path';

/** Where the app's files live; computed once from Electron's facts, passed to services as plain paths. */
export interface AppPaths {
  dbFile: string;
  migrationsFolder: string;
  fontsDir: string;
  logFile: string;
  nativeBinding?: string;
  preload: string;
  rendererIndex: string;
}

export function resolvePaths(opts: {
  userData: string;
  appPath: string;
  resourcesPath: string;
  isPackaged: boolean;
  electronVersion: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}): AppPaths {
  const flag = opts.argv.find((a) => a.startsWith('--db='));
  const dbFile = flag ? path.resolve(flag.slice(5)) : opts.env.DX_DB_PATH ? path.resolve(opts.env.DX_DB_PATH) : path.join(opts.userData, 'dx-mentor.db');
  const migrationsFolder = opts.isPackaged ? path.join(opts.resourcesPath, 'migrations') : path.join(opts.appPath, 'db', 'migrations');
  // In development better-sqlite3 is built for Electron into .native/ (scripts/native-for-electron.mjs) so that
  // node_modules keeps the Node build the tests use. Packaged apps get an Electron build from electron-builder.
  const devBinding = path.join(opts.appPath, '.native', `electron-${opts.electronVersion}`, 'build', 'Release', 'better_sqlite3.node');
  return {
    dbFile,
    migrationsFolder,
    fontsDir: opts.isPackaged ? path.join(opts.resourcesPath, 'fonts') : path.join(opts.appPath, 'assets', 'fonts'),
    logFile: path.join(opts.userData, 'logs', 'main.log'),
    nativeBinding: !opts.isPackaged && fs.existsSync(devBinding) ? devBinding : undefined,
    preload: path.join(opts.appPath, 'out', 'preload', 'index.cjs'),
    rendererIndex: path.join(opts.appPath, 'out', 'renderer', 'index.html'),
  };
}
