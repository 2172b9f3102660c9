import type Database from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import type { Language } from '#shared/contract/app';

/** Device-local settings and identity, in the `meta` table (never synced). */
export class Settings {
  constructor(private readonly sqlite: Database.Database) {}

  get(key: string): string | undefined {
    return (this.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  set(key: string, value: string): void {
    this.sqlite
      .prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  /** A value created once and kept for the life of the database (device id, local user id). */
  getOrCreate(key: string, make: () => string): string {
    const existing = this.get(key);
    if (existing) return existing;
    const value = make();
    this.set(key, value);
    return value;
  }

  deviceId(): string {
    return this.getOrCreate('device_id', () => uuidv7().replace(/-/g, '').slice(-16));
  }

  /** The local user until enrolment with the central service gives a server identity. */
  userId(): string {
    return this.getOrCreate('user_id', uuidv7);
  }

  language(): Language {
    return this.get('language') === 'en' ? 'en' : 'ko';
  }
}
