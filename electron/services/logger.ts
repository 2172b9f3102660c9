import { pino, type Logger as PinoLogger } from 'pino';

/** The logger every service takes. Never `console` in product code. */
export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'child'>;

/** Logs JSON lines to `file` (the app's log folder), or to stderr when no file is given. */
export function createLogger(options: { file?: string; level?: string } = {}): Logger {
  const level = options.level ?? process.env.DX_LOG_LEVEL ?? 'info';
  if (options.file) {
    return pino({ level }, pino.destination({ dest: options.file, mkdir: true, sync: false }));
  }
  return pino({ level }, pino.destination(2));
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
