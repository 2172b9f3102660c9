import type { z } from 'zod';
import type { AppErrorData, FieldError } from './errors.ts';

/**
 * Turns zod issues into the contract's field errors (i18n keys with parameters). Used at the boundary in
 * main and by the renderer's forms, so a field shows the same message whichever side caught it.
 */
function issueToField(issue: z.core.$ZodIssue): FieldError {
  if (issue.message.startsWith('validation.')) {
    const params: Record<string, string | number> = {};
    if ('maximum' in issue && (typeof issue.maximum === 'number' || typeof issue.maximum === 'bigint')) params.max = Number(issue.maximum);
    if ('minimum' in issue && (typeof issue.minimum === 'number' || typeof issue.minimum === 'bigint')) params.min = Number(issue.minimum);
    return Object.keys(params).length ? { key: issue.message, params } : { key: issue.message };
  }
  switch (issue.code) {
    case 'invalid_type':
      return { key: issue.input === undefined ? 'validation.required' : 'validation.type' };
    case 'too_big':
      return { key: 'validation.tooLarge', params: { max: Number(issue.maximum) } };
    case 'too_small':
      return { key: 'validation.tooSmall', params: { min: Number(issue.minimum) } };
    case 'invalid_value':
      return { key: 'validation.choice' };
    default:
      return { key: 'validation.invalid' };
  }
}

export function validationError(error: z.ZodError): AppErrorData {
  const fields: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_';
    fields[path] ??= issueToField(issue);
  }
  return { code: 'validation', messageKey: 'errors.validation', fields };
}

