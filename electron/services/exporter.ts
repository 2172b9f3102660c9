import fs from 'node:fs';
import path from 'node:path';

/**
 * Where exported files go. The app asks the user with a save dialog; tests and the e2e harness write into
 * a folder. Only files this exporter saved may be opened afterwards (the renderer never names paths).
 */
export interface FileExporter {
  /** Saves `data`; returns the path, or null when the user cancelled. */
  save(suggestedName: string, data: Buffer, filters: { name: string; extensions: string[] }[]): Promise<string | null>;
  open(file: string): Promise<void>;
}

export function folderExporter(dir: string, opener: (file: string) => Promise<void> = () => Promise.resolve()): FileExporter & { saved: Set<string> } {
  const saved = new Set<string>();
  return {
    saved,
    save(name, data) {
      fs.mkdirSync(dir, { recursive: true });
      const safe = name.replace(/[\\/:*?"<>|]+/g, '_');
      const file = path.join(dir, safe);
      fs.writeFileSync(file, data);
      saved.add(file);
      return Promise.resolve(file);
    },
    async open(file) {
      if (!saved.has(file)) throw new Error('not an exported file');
      await opener(file);
    },
  };
}
