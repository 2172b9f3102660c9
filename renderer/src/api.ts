/**
 * The renderer's typed client for the contract. It knows nothing about the transport: `window.dx` is the
 * Electron preload in the app and an HTTP bridge in the e2e harness.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { AppErrorData, Result } from '#shared/contract/errors';
import type { OpInput, OpName, OpOutput } from '#shared/contract/index';

export class ApiError extends Error {
  constructor(readonly data: AppErrorData) {
    super(data.messageKey);
    this.name = 'ApiError';
  }
}

export async function call<N extends OpName>(name: N, input: OpInput<N>): Promise<OpOutput<N>> {
  let result: Result<OpOutput<N>>;
  try {
    result = (await window.dx.invoke(name, input)) as Result<OpOutput<N>>;
  } catch {
    throw new ApiError({ code: 'internal', messageKey: 'errors.offline' });
  }
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

/** Reads through the contract; keeps showing the previous page while the next one loads. */
export function useOp<N extends OpName>(
  name: N,
  input: OpInput<N>,
  options: Omit<UseQueryOptions<OpOutput<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<OpOutput<N>, ApiError>({
    queryKey: [name, input],
    queryFn: () => call(name, input),
    placeholderData: keepPreviousData,
    ...options,
  });
}

/** Writes through the contract; every cached read is refreshed after a successful write. */
export function useOpMutation<N extends OpName>(name: N) {
  const qc = useQueryClient();
  return useMutation<OpOutput<N>, ApiError, OpInput<N>>({
    mutationFn: (input) => call(name, input),
    onSuccess: () => qc.invalidateQueries(),
  });
}
