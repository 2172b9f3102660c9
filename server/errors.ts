/**
 * Error bodies of the HTTP API. They have the desktop contract's shape (`{ code, messageKey, params?, fields? }`,
 * shared/contract/errors.ts) so the app can show them translated the same way; the codes add what HTTP needs
 * (authentication, permission, rate limits). Nothing else ever leaves the server: no messages of internal
 * errors, no stack traces.
 */
import type { z } from 'zod';
import type { AppErrorData, ErrorCode, FieldError } from '#shared/contract/errors';
import { validationError } from '#shared/contract/validation';

export type ServerErrorCode =
  | ErrorCode
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'token_expired'
  | 'device_revoked'
  | 'account_disabled'
  | 'forbidden'
  | 'enrolment_code_invalid'
  | 'enrolment_code_expired'
  | 'enrolment_code_used'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'out_of_order';

export interface ApiErrorBody extends Omit<AppErrorData, 'code'> {
  code: ServerErrorCode;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.messageKey);
    this.name = 'ApiError';
  }
}

export const apiError = (statusCode: number, code: ServerErrorCode, messageKey: string, extra: Pick<ApiErrorBody, 'params' | 'fields'> = {}) =>
  new ApiError(statusCode, { code, messageKey, ...extra });

export const invalid = (error: z.ZodError) => new ApiError(400, validationError(error));

export const fieldsError = (statusCode: number, code: ServerErrorCode, messageKey: string, fields: Record<string, FieldError>) => new ApiError(statusCode, { code, messageKey, fields });

export const notFound = (entity: string) => apiError(404, 'not_found', 'errors.notFound', { params: { entity } });
export const forbidden = () => apiError(403, 'forbidden', 'errors.auth.forbidden');
export const unauthenticated = () => apiError(401, 'unauthenticated', 'errors.auth.required');
