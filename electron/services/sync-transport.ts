/**
 * How the sync client reaches the central service: an interface with an HTTP implementation (the real
 * server) and an in-memory one (tests; the same shared merge rule, no accounts), Joplin-style.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { deleteRace, mergeField, TOMBSTONE_FIELD, unseen, type FieldHead } from '#shared/sync/merge';
import { z } from 'zod';
import { DIGEST_BUCKETS, DigestTree, differingBuckets, recordKey } from '#shared/sync/digest';
import {
  BLOB_HOLDER_PROOF_PREFIX,
  conflictRecord,
  digestResponse,
  pullResponse,
  PUSH_WINDOW,
  pushResponse,
  recordsResponse,
  scopeResponse,
  serverOp,
  type ChangeOp,
  type ConflictRecord,
  type DigestRequest,
  type DigestResponse,
  type PullResponse,
  type PushChain,
  type PushResponse,
  type RecordRef,
  type RecordsResponse,
  type ScopeResponse,
  type ServerOp,
} from '#shared/sync/protocol';

const snapshotPage = z.object({ ops: z.array(serverOp), conflicts: z.array(conflictRecord), cursor: z.number().int(), next: z.object({ tbl: z.string(), rowId: z.string() }).nullable() });

export interface SyncTransport {
  /** One batch; `chain` names it and the batch it follows (see PushChain). A transport that sends one batch at a time may leave it out. */
  push(ops: ChangeOp[], chain?: PushChain): Promise<PushResponse>;
  /** How many push batches may be on their way at once (absent: one at a time). */
  pushWindow?: number;
  pull(after: number, limit: number): Promise<PullResponse>;
  /** The current state of one organisation's records (a company newly assigned to this laptop's pair). */
  snapshot?(orgId: string, after: { tbl: string; rowId: string } | null, cursor: number | null): Promise<SnapshotPage>;
  /** Compares this laptop's bucket digests with the server's (divergence checks, sync-divergence.ts). */
  digest?(request: DigestRequest): Promise<DigestResponse>;
  /** The server's current heads of these records (at most MAX_RECORDS_REQUEST), with their open conflicts. */
  records?(refs: RecordRef[]): Promise<RecordsResponse>;
  /** The organisations this laptop may still hold (null: no restriction); it removes the others (sync-scope.ts). */
  scope?(): Promise<ScopeResponse>;
  blobs?: BlobTransport;
  /** The service's time as its last answer gave it (ms), or null: how far this laptop's clock is off. */
  serverDate?(): number | null;
}

export interface SnapshotPage {
  ops: ServerOp[];
  conflicts: ConflictRecord[];
  cursor: number;
  next: { tbl: string; rowId: string } | null;
}

export interface BlobStatus {
  size: number;
  chunkSize: number;
  chunks: number;
  received: number[];
  complete: boolean;
  /** Whether this laptop's account uploaded the bytes or proved it holds them (absent: the service does not say). */
  held?: boolean;
}

/** Attachment bytes by content hash, in chunks (see server/routes/blobs.ts). */
export interface BlobTransport {
  /** null: the server has never heard of it. */
  status(sha256: string): Promise<BlobStatus | null>;
  begin(sha256: string, size: number): Promise<BlobStatus>;
  putChunk(sha256: string, idx: number, data: Buffer): Promise<void>;
  complete(sha256: string): Promise<BlobStatus>;
  /** Proves this laptop holds the bytes another account uploaded (`proof`: see BLOB_HOLDER_PROOF_PREFIX). */
  prove(sha256: string, proof: string): Promise<BlobStatus>;
  getChunk(sha256: string, idx: number): Promise<Buffer>;
}

/** A transport failure that is worth retrying (network down, server restarting, 5xx, 429). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** The service's error code (`code` of its JSON error body), when it gave one. */
    readonly code?: string,
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
  timeoutMs?: number;
}

/** The proof that a laptop holds a file's bytes (not only knows its hash): see BLOB_HOLDER_PROOF_PREFIX. */
export const holderProof = (bytes: Buffer): string => crypto.createHash('sha256').update(BLOB_HOLDER_PROOF_PREFIX).update(bytes).digest('hex');

interface HttpAnswer {
  status: number;
  /** The service's clock (its Date header), ms, when it sent one. */
  date: number;
  body: Buffer;
}

/** Connections to the service are kept open between requests (and rounds); idle ones do not hold the app open. */
const AGENTS = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * One request with Node's own HTTP client. `fetch` took about 10 ms to hand a 600 KB push batch to the
 * connection and to read its answer (web streams in between), on the critical path of every batch; this takes
 * about 1 ms. Any failure to reach the service, or no complete answer within `timeoutMs`, rejects.
 */
function send(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const agent = url.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
    const req = client.request(url, { method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, date: Date.parse(res.headers.date ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ok = (status: number) => status >= 200 && status < 300;
/** The `code` of the service's JSON error body, if it is one. */
function errorCode(answer: HttpAnswer): string | undefined {
  try {
    const code = (JSON.parse(answer.body.toString('utf8')) as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
const text = (answer: HttpAnswer, max: number) => answer.body.subarray(0, max).toString('utf8');

export function httpTransport(opts: HttpTransportOptions): SyncTransport {
  let serverDate: number | null = null;
  /** A request with the access token; a 401 drops the token and tries once more with a fresh one. */
  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body: Buffer | undefined, contentType: string, timeoutMs: number, retried = false): Promise<HttpAnswer> => {
    let answer: HttpAnswer;
    try {
      const headers = { authorization: `Bearer ${await opts.token()}`, ...(body ? { 'content-type': contentType } : {}) };
      answer = await send(new URL(path, opts.baseUrl), method, headers, body, timeoutMs);
    } catch (err) {
      if (err instanceof TransportError) throw err;
      throw new TransportError(`network: ${err instanceof Error ? err.message : String(err)}`, true);
    }
    if (Number.isFinite(answer.date)) serverDate = answer.date;
    if (answer.status === 401 && !retried && opts.invalidateToken) {
      opts.invalidateToken();
      return call(method, path, body, contentType, timeoutMs, true);
    }
    return answer;
  };
  const failure = (answer: HttpAnswer, max: number) =>
    new TransportError(`HTTP ${answer.status}: ${text(answer, max)}`.slice(0, max), answer.status >= 500 || answer.status === 429 || answer.status === 408, answer.status, errorCode(answer));
  /** JSON in, JSON out; anything but a 2xx answer throws. */
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> => {
    const answer = await call(method, path, body === undefined ? undefined : Buffer.from(JSON.stringify(body)), 'application/json', opts.timeoutMs ?? 30_000);
    if (!ok(answer.status)) throw failure(answer, 500);
    return JSON.parse(answer.body.toString('utf8'));
  };
  const raw = (method: 'GET' | 'PUT', path: string, body?: Buffer): Promise<HttpAnswer> => call(method, path, body, 'application/octet-stream', opts.timeoutMs ?? 60_000);
  const blobs: BlobTransport = {
    async status(sha256) {
      const res = await raw('GET', `/api/blobs/${sha256}`);
      if (res.status === 404) return null;
      if (!ok(res.status)) throw failure(res, 300);
      return JSON.parse(res.body.toString('utf8')) as BlobStatus;
    },
    async begin(sha256, size) {
      return (await request('POST', `/api/blobs/${sha256}`, { size })) as BlobStatus;
    },
    async putChunk(sha256, idx, data) {
      const res = await raw('PUT', `/api/blobs/${sha256}/chunks/${idx}`, data);
      if (!ok(res.status)) throw failure(res, 300);
    },
    async complete(sha256) {
      return (await request('POST', `/api/blobs/${sha256}/complete`, {})) as BlobStatus;
    },
    async prove(sha256, proof) {
      return (await request('POST', `/api/blobs/${sha256}/holders`, { proof })) as BlobStatus;
    },
    async getChunk(sha256, idx) {
      const res = await raw('GET', `/api/blobs/${sha256}/chunks/${idx}`);
      if (!ok(res.status)) throw failure(res, 300);
      return res.body;
    },
  };
  return {
    serverDate: () => serverDate,
    pushWindow: PUSH_WINDOW,
    async push(ops, chain) {
      return pushResponse.parse(await request('POST', '/api/sync/push', chain ? { ops, chain } : { ops }));
    },
    async pull(after, limit) {
      return pullResponse.parse(await request('GET', `/api/sync/pull?after=${after}&limit=${limit}`));
    },
    async snapshot(orgId, after, cursor) {
      const q = new URLSearchParams({ orgId, ...(after ? { afterTbl: after.tbl, afterRow: after.rowId } : {}), ...(cursor !== null ? { cursor: String(cursor) } : {}) });
      const page = snapshotPage.parse(await request('GET', `/api/sync/snapshot?${q.toString()}`));
      return page;
    },
    async digest(req) {
      return digestResponse.parse(await request('POST', '/api/sync/digest', req));
    },
    async records(refs) {
      return recordsResponse.parse(await request('POST', '/api/sync/records', { records: refs }));
    },
    async scope() {
      return scopeResponse.parse(await request('GET', '/api/sync/scope'));
    },
    blobs,
  };
}

const sha256Hex = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

/**
 * The central service's merge in memory: stores each op once, keeps the per-field head with the shared
 * rule, records conflicts, stamps a sequence. No authorisation (the real server's job, tested there).
 */
export class MemoryServer {
  /** The service's clock as its answers carry it (tests of a laptop whose clock is off); none by default. */
  serverNow: (() => number) | null = null;
  readonly log: ServerOp[] = [];
  readonly conflicts: ConflictRecord[] = [];
  private readonly byOpId = new Map<string, number>();
  readonly heads = new Map<string, FieldHead>();
  /**
   * What the scope check answers (this server has no accounts): the organisations a laptop may hold, or null
   * for no restriction. Tests set it to take a company away from a laptop.
   */
  scopeOrgIds: string[] | null = null;
  /** Refuses ops as the real service would (authorisation, locks): tests set it; nothing is refused by default. */
  refuse: ((op: ChangeOp) => Omit<Extract<PushResponse['results'][number], { status: 'rejected' }>, 'opId' | 'status'> | null) | null = null;

  /** Simulates restoring the server from a backup taken when it had `seq` ops: everything after is lost. */
  restoreTo(seq: number): void {
    for (const op of this.log.splice(seq)) this.byOpId.delete(op.opId);
    this.conflicts.splice(0, this.conflicts.length, ...this.conflicts.filter((c) => c.seq <= seq).map((c) => ({ ...c, resolvedSeq: c.resolvedSeq !== null && c.resolvedSeq > seq ? null : c.resolvedSeq })));
    this.heads.clear();
    for (const op of this.log) {
      const key = `${op.tbl}\u0000${op.rowId}\u0000${op.field}`;
      const d = mergeField(this.heads.get(key), op);
      if (d.apply) this.heads.set(key, { value: op.value, hlc: op.hlc, opId: op.opId, deviceId: op.deviceId, userId: op.userId });
    }
    for (const [sha, b] of [...this.blobStore]) if (!b.complete) this.blobStore.delete(sha);
  }

  pushSync(ops: ChangeOp[]): PushResponse {
    const results: PushResponse['results'] = [];
    for (const op of ops) {
      const known = this.byOpId.get(op.opId);
      if (known !== undefined) {
        results.push({ opId: op.opId, status: 'accepted', seq: known, duplicate: true });
        continue;
      }
      const refusal = this.refuse?.(op);
      if (refusal) {
        results.push({ opId: op.opId, status: 'rejected', ...refusal });
        continue;
      }
      const seq = this.log.length + 1;
      const { seenSeq: _seen, ...logged } = op; // as the real service: what the author had seen is not relayed
      this.log.push({ ...logged, seq });
      this.byOpId.set(op.opId, seq);
      const key = `${op.tbl}\u0000${op.rowId}\u0000${op.field}`;
      this.raceWithDelete(op, seq);
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

  /** A delete racing an edit of the same record: one open conflict on the tombstone (as server/sync/service.ts). */
  private raceWithDelete(op: ChangeOp, seq: number): void {
    const tk = `${op.tbl}\u0000${op.rowId}\u0000${TOMBSTONE_FIELD}`;
    let race: { kept: FieldHead; other: FieldHead } | null = null;
    if (op.field === TOMBSTONE_FIELD) {
      const edit = op.value === null ? undefined : this.log.findLast((o) => o.tbl === op.tbl && o.rowId === op.rowId && o.field !== TOMBSTONE_FIELD && unseen(o, op));
      if (edit) race = deleteRace(op, edit);
    } else {
      const tombstone = this.heads.get(tk);
      if (tombstone && tombstone.value !== null && unseen({ seq: this.byOpId.get(tombstone.opId) ?? 0, deviceId: tombstone.deviceId }, op)) race = deleteRace(tombstone, op);
    }
    if (!race || this.conflicts.some((c) => c.resolvedSeq === null && c.tbl === op.tbl && c.rowId === op.rowId && c.field === TOMBSTONE_FIELD)) return;
    const strip = (h: FieldHead): FieldHead => ({ value: h.value, hlc: h.hlc, opId: h.opId, deviceId: h.deviceId, userId: h.userId });
    this.conflicts.push({ id: `c${this.conflicts.length + 1}`, tbl: op.tbl, rowId: op.rowId, field: TOMBSTONE_FIELD, kept: strip(race.kept), other: strip(race.other), seq, resolvedSeq: null });
  }

  /** The digest answer over every head (this server has no accounts: everything is readable). */
  digestSync(req: DigestRequest): DigestResponse {
    const tree = new DigestTree(new Set(req.skip.map((r) => recordKey(r.tbl, r.rowId))));
    for (const [k, h] of this.heads) {
      const [tbl, rowId, field] = k.split('\u0000') as [string, string, string];
      tree.add(tbl, rowId, field, h.hlc);
    }
    const index = tree.build(sha256Hex);
    const differing = differingBuckets(req.buckets, index.buckets).map((bucket) => ({ bucket, records: index.recordsIn(bucket) }));
    return { compared: DIGEST_BUCKETS, records: index.size, differing, more: false };
  }

  /**
   * The heads of these records, as the real server gives them: each first checked against the log (a head is
   * the logged op with the greatest clock) and rebuilt from it where it says otherwise.
   */
  recordsSync(refs: RecordRef[]): RecordsResponse {
    const wanted = new Set(refs.map((r) => recordKey(r.tbl, r.rowId)));
    const latest = new Map<string, ServerOp>();
    for (const op of this.log) {
      if (!wanted.has(recordKey(op.tbl, op.rowId))) continue;
      const key = `${op.tbl}\u0000${op.rowId}\u0000${op.field}`;
      const cur = latest.get(key);
      if (!cur || op.hlc > cur.hlc) latest.set(key, op);
    }
    for (const [key, op] of latest) {
      const h = this.heads.get(key);
      if (!h || h.opId !== op.opId || h.hlc !== op.hlc || h.value !== op.value) this.heads.set(key, { value: op.value, hlc: op.hlc, opId: op.opId, deviceId: op.deviceId, userId: op.userId });
    }
    const ops: ServerOp[] = [];
    const found = new Set<string>();
    for (const [key, h] of [...this.heads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [tbl, rowId] = key.split('\u0000') as [string, string];
      if (!wanted.has(recordKey(tbl, rowId))) continue;
      // Like the real server's join on its log: a head whose op the log does not hold is not shown.
      const seq = this.byOpId.get(h.opId);
      const logged = seq === undefined ? undefined : this.log[seq - 1];
      if (!logged) continue;
      ops.push({ ...logged });
      found.add(recordKey(tbl, rowId));
    }
    return {
      ops,
      conflicts: this.conflicts.filter((c) => c.resolvedSeq === null && wanted.has(recordKey(c.tbl, c.rowId))),
      absent: [...new Map(refs.map((r) => [recordKey(r.tbl, r.rowId), r])).values()].filter((r) => !found.has(recordKey(r.tbl, r.rowId))),
    };
  }

  pullSync(after: number, limit: number): PullResponse {
    const ops = this.log.slice(after, after + limit);
    const cursor = ops.length ? (ops[ops.length - 1] as ServerOp).seq : after;
    return {
      ops,
      conflicts: this.conflicts.filter((c) => (c.seq > after && c.seq <= cursor) || (c.resolvedSeq !== null && c.resolvedSeq > after && c.resolvedSeq <= cursor)),
      cursor,
      more: cursor < this.log.length,
      head: this.log.length,
    };
  }

  /** Attachment bytes as the real server keeps them: chunks, then whole once they hash to the name. */
  readonly blobStore = new Map<string, { size: number; chunks: Map<number, Buffer>; complete: boolean }>();
  static readonly CHUNK = 64 * 1024;

  /** A blob's bytes as its chunks hold them, in order. */
  private whole(b: { chunks: Map<number, Buffer> }): Buffer {
    return Buffer.concat([...b.chunks.entries()].sort(([x], [y]) => x - y).map(([, c]) => c));
  }

  private blobStatus(sha256: string): BlobStatus | null {
    const b = this.blobStore.get(sha256);
    if (!b) return null;
    return { size: b.size, chunkSize: MemoryServer.CHUNK, chunks: Math.max(1, Math.ceil(b.size / MemoryServer.CHUNK)), received: [...b.chunks.keys()].sort((x, y) => x - y), complete: b.complete };
  }

  transport(): SyncTransport {
    const blobs: BlobTransport = {
      status: (sha) => Promise.resolve(this.blobStatus(sha)),
      begin: (sha, size) => {
        if (!this.blobStore.has(sha)) this.blobStore.set(sha, { size, chunks: new Map(), complete: false });
        return Promise.resolve(this.blobStatus(sha) as BlobStatus);
      },
      putChunk: (sha, idx, data) => {
        const b = this.blobStore.get(sha);
        if (!b) return Promise.reject(new TransportError('HTTP 404', false, 404));
        if (!b.complete) b.chunks.set(idx, Buffer.from(data));
        return Promise.resolve();
      },
      complete: (sha) => {
        const b = this.blobStore.get(sha);
        if (!b) return Promise.reject(new TransportError('HTTP 404', false, 404));
        const s = this.blobStatus(sha) as BlobStatus;
        if (s.received.length !== s.chunks) return Promise.reject(new TransportError('HTTP 409 incomplete', false, 409));
        if (crypto.createHash('sha256').update(this.whole(b)).digest('hex') !== sha) {
          b.chunks.clear();
          return Promise.reject(new TransportError('HTTP 422 hash mismatch', false, 422));
        }
        b.complete = true;
        return Promise.resolve(this.blobStatus(sha) as BlobStatus);
      },
      prove: (sha, proof) => {
        const b = this.blobStore.get(sha);
        if (!b?.complete) return Promise.reject(new TransportError('HTTP 409 incomplete', false, 409));
        if (holderProof(this.whole(b)) !== proof) return Promise.reject(new TransportError('HTTP 422 proof mismatch', false, 422));
        return Promise.resolve(this.blobStatus(sha) as BlobStatus);
      },
      getChunk: (sha, idx) => {
        const b = this.blobStore.get(sha);
        const c = b?.complete ? b.chunks.get(idx) : undefined;
        return c ? Promise.resolve(Buffer.from(c)) : Promise.reject(new TransportError('HTTP 404', false, 404));
      },
    };
    return {
      push: (ops) => Promise.resolve(this.pushSync(structuredClone(ops))),
      pull: (after, limit) => Promise.resolve(structuredClone(this.pullSync(after, limit))),
      digest: (req) => Promise.resolve(structuredClone(this.digestSync(structuredClone(req)))),
      records: (refs) => Promise.resolve(structuredClone(this.recordsSync(structuredClone(refs)))),
      scope: () => Promise.resolve({ orgIds: this.scopeOrgIds === null ? null : [...this.scopeOrgIds] }),
      serverDate: () => this.serverNow?.() ?? null,
      blobs,
    };
  }
}
