/**
 * The boundary: every call from the renderer (over IPC, or HTTP in the e2e harness) passes through
 * `dispatch`, which parses the input with the contract's zod schema before the handler runs and turns
 * every failure into a typed, translatable error. Nothing is written when validation fails.
 */
import { AppError, type AppErrorData, type Result } from '#shared/contract/errors';
import { validationError } from '#shared/contract/validation';
import { contract, isOpName, type OpName } from '#shared/contract/index';
import type { Handlers } from './handlers.ts';
import type { Logger } from './logger.ts';

export async function dispatch(handlers: Handlers, name: unknown, input: unknown, logger: Logger): Promise<Result<unknown>> {
  if (!isOpName(name)) {
    return { ok: false, error: { code: 'unknown_operation', messageKey: 'errors.unknownOperation', params: { name: String(name) } } };
  }
  // reportInput: without it zod 4 leaves `input` off issues, and a wrong type would be reported as "required".
  const parsed = contract[name].input.safeParse(input ?? {}, { reportInput: true });
  if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
  try {
    const handler = handlers[name] as (i: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorData(err, name, logger) };
  }
}

function toErrorData(err: unknown, name: OpName, logger: Logger): AppErrorData {
  if (err instanceof AppError) {
    logger.info({ op: name, error: err.data }, 'operation refused');
    return err.data;
  }
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err).code) : '';
  // Extended codes too (SQLITE_BUSY_SNAPSHOT: another connection committed between this transaction's read and write).
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    logger.warn({ op: name, err }, 'database busy');
    return { code: 'db_unavailable', messageKey: 'errors.db.busy' };
  }
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR')) {
    logger.error({ op: name, err }, 'database write failed');
    return { code: 'db_unavailable', messageKey: 'errors.db.write' };
  }
  logger.error({ op: name, err }, 'operation failed');
  return { code: 'internal', messageKey: 'errors.internal' };
}
