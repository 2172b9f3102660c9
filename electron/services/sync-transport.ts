/**
 * How the sync client reaches the central service: an interface with an HTTP implementation (the real
 * server) and an in-memory one (tests; the same shared merge rule, no accounts), Joplin-style.
 */
import { mergeField, type FieldHead } from '#shared/sync/merge';
import { pullResponse, pushResponse, type ChangeOp, type ConflictRecord, type PullResponse, type PushResponse, type ServerOp } from '#shared/sync/protocol';

export interface SyncTransport {
  push(ops: ChangeOp[]): Promise<PushResponse>;
  pull(after: number, limit: number): Promise<PullResponse>;
}

/** A transport failure that is worth retrying (network down, server restarting, 5xx, 429). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpTransportOptions {
  baseUrl: string;
  /** Returns a valid access token (exchanging the device credentials when needed). */
  token(): Promise<string>;
  /** Called when the server says the token is no longer valid, before one retry. */
  invalidateToken?(): void;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function httpTransport(opts: HttpTransportOptions): SyncTransport {
  const f = opts.fetch ?? fetch;
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown, retried = false): Promise<unknown> => {
    let res: Response;
    try {
      res = await f(new URL(path, opts.baseUrl), {
        method,
        headers: { authorization: `Bearer ${await opts.token()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new TransportError(`network: ${err instanceof Error ? err.message : String(err)}`, true);
    }
    if (res.status === 401 && !retried && opts.invalidateToken) {
      opts.invalidateToken();
      return request(method, path, body, true);
    }
    if (!res.ok) throw new TransportError(`HTTP ${res.status}: ${await res.text().catch(() => '')}`.slice(0, 500), res.status >= 500 || res.status === 429 || res.status === 408, res.status);
    return res.json();
  };
  return {
    async push(ops) {
      return pushResponse.parse(await request('POST', '/api/sync/push', { ops }));
    },
    async pull(after, limit) {
      return pullResponse.parse(await request('GET', `/api/sync/pull?after=${after}&limit=${limit}`));
    },
  };
}

/**
 * The central service's merge in memory: stores each op once, keeps the per-field head with the shared
 * rule, records conflicts, stamps a sequence. No authorisation (the real server's job, tested there).
 */
export class MemoryServer {
  readonly log: ServerOp[] = [];
  readonly conflicts: ConflictRecord[] = [];
  private readonly byOpId = new Map<string, number>();
  readonly heads = new Map<string, FieldHead>();

  pushSync(ops: ChangeOp[]): PushResponse {
    const results: PushResponse['results'] = [];
    for (const op of ops) {
      const known = this.byOpId.get(op.opId);
      if (known !== undefined) {
        results.push({ opId: op.opId, status: 'accepted', seq: known, duplicate: true });
        continue;
      }
      const seq = this.log.length + 1;
      this.log.push({ ...op, seq });
      this.byOpId.set(op.opId, seq);
      const key = `${op.tbl}\u0000${op.rowId}\u0000${op.field}`;
      const d = mergeField(this.heads.get(key), op);
      if (d.conflict) {
        this.conflicts.push({ id: `c${this.conflicts.length + 1}`, tbl: op.tbl, rowId: op.rowId, field: op.field, kept: d.conflict.kept, other: d.conflict.other, seq, resolvedSeq: null });
      } else if (!d.duplicate) {
        // An op that saw the head ends the field's open conflicts: someone decided.
        for (const c of this.conflicts) if (c.resolvedSeq === null && c.tbl === op.tbl && c.rowId === op.rowId && c.field === op.field && op.base === this.heads.get(key)?.hlc) c.resolvedSeq = seq;
      }
      if (d.apply) this.heads.set(key, { value: op.value, hlc: op.hlc, opId: op.opId, deviceId: op.deviceId, userId: op.userId });
      results.push({ opId: op.opId, status: 'accepted', seq, duplicate: false });
    }
    return { results };
  }

  pullSync(after: number, limit: number): PullResponse {
    const ops = this.log.slice(after, after + limit);
    const cursor = ops.length ? (ops[ops.length - 1] as ServerOp).seq : after;
    return {
      ops,
      conflicts: this.conflicts.filter((c) => (c.seq > after && c.seq <= cursor) || (c.resolvedSeq !== null && c.resolvedSeq > after && c.resolvedSeq <= cursor)),
      cursor,
      more: cursor < this.log.length,
    };
  }

  transport(): SyncTransport {
    return {
      push: (ops) => Promise.resolve(this.pushSync(structuredClone(ops))),
      pull: (after, limit) => Promise.resolve(structuredClone(this.pullSync(after, limit))),
    };
  }
}
