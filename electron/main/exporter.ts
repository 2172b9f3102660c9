import { dialog, shell, type BrowserWindow } from 'electron';
import fs from 'node:fs';
import type { FileExporter } from '../services/exporter.ts';

/** Exports through the system save dialog; only files saved here can be opened again. */
export function dialogExporter(window: () => BrowserWindow | undefined): FileExporter {
  const saved = new Set<string>();
  return {
    async save(suggestedName, data, filters) {
      const win = window();
      const options = { defaultPath: suggestedName, filters };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      fs.writeFileSync(r.filePath, data);
      saved.add(r.filePath);
      return r.filePath;
    },
    async open(file) {
      if (!saved.has(file)) throw new Error('not an exported file');
      const error = await shell.openPath(file);
      if (error) throw new Error(error);
    },
  };
}
