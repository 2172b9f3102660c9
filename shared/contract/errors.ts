/**
 * Errors that cross the contract boundary. Handlers never throw raw errors to the renderer: every
 * failure becomes an {@link AppErrorData} whose `messageKey` is an i18n key the renderer translates.
 */
export type ErrorCode =
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'db_unavailable'
  | 'unknown_operation'
  | 'internal';

/** A field-level problem: the i18n key and its interpolation values. */
export interface FieldError {
  key: string;
  params?: Record<string, string | number>;
}

export interface AppErrorData {
  code: ErrorCode;
  /** i18n key of the overall message, e.g. `errors.validation`. */
  messageKey: string;
  params?: Record<string, string | number>;
  /** Field path (dot-joined, e.g. `financials.0.revenue`) → problem. */
  fields?: Record<string, FieldError>;
}

export class AppError extends Error {
  readonly data: AppErrorData;
  constructor(data: AppErrorData) {
    super(data.messageKey);
    this.name = 'AppError';
    this.data = data;
  }
}

export function notFound(entity: string): AppError {
  return new AppError({ code: 'not_found', messageKey: 'errors.notFound', params: { entity } });
}

export function fieldConflict(field: string, key: string, params?: Record<string, string | number>): AppError {
  return new AppError({
    code: 'conflict',
    messageKey: key,
    params,
    fields: { [field]: { key, params } },
  });
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };
