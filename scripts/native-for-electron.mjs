// Builds better-sqlite3 for Electron's ABI into .native/electron-<version>/ without touching
// node_modules, so `npm test` (plain Node) and `npm start` (Electron) both work, in either order.
// The main process loads .native/electron-<version>/build/Release/better_sqlite3.node through
// better-sqlite3's `nativeBinding` option (electron/main/paths.ts). Packaged apps are rebuilt by
// electron-builder instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const say = (msg) => process.stdout.write(`[native] ${msg}\n`);

let electronVersion;
try {
  electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
} catch {
  say('electron is not installed (npm install first).');
  process.exit(1);
}
const target = path.join(root, '.native', `electron-${electronVersion}`);
const binary = path.join(target, 'build', 'Release', 'better_sqlite3.node');
if (fs.existsSync(binary)) {
  say(`better-sqlite3 for Electron ${electronVersion} is ready.`);
  process.exit(0);
}

say(`building better-sqlite3 for Electron ${electronVersion} into ${path.relative(root, target)} (once, about a minute)…`);
const source = path.dirname(require.resolve('better-sqlite3/package.json'));
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
for (const entry of ['binding.gyp', 'src', 'deps', 'lib', 'package.json']) {
  fs.cpSync(path.join(source, entry), path.join(target, entry), { recursive: true });
}
/** npm passes its own config (e.g. nodedir pointing at Node's headers) to scripts: target Electron instead. */
function electronEnv() {
  const env = { ...process.env, npm_config_runtime: 'electron', npm_config_target: electronVersion };
  delete env.npm_config_nodedir;
  return env;
}

let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
}
const result = spawnSync(
  process.execPath,
  [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
  { cwd: target, stdio: 'inherit', env: electronEnv() },
);
if (result.status !== 0 || !fs.existsSync(binary)) {
  fs.rmSync(target, { recursive: true, force: true });
  say('could not build better-sqlite3 for Electron. It needs the Electron headers (downloaded from electronjs.org)');
  say('and a C++ toolchain (python3, make, g++ / Visual Studio Build Tools). The tests do not need this step.');
  process.exit(1);
}
say('done.');
