/**
 * Sync test helpers: replicas (real app services on real SQLite files) and what they hold.
 */
import type { BlobTransport, SyncTransport } from '../../../electron/services/sync-transport.ts';
import { TransportError } from '../../../electron/services/sync-transport.ts';
import type { TestApp } from '../fixtures.ts';

/** Bookkeeping columns that are local by nature (when this laptop wrote the row). */
const LOCAL_COLUMNS = new Set(['created_at', 'updated_at', 'origin_device']);

/** Every synced table's rows without the local bookkeeping: two replicas that converged hold equal values. */
export function syncedState(app: TestApp): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const tbl of app.services.mutations.tableNames().sort()) {
    const rows = app.sqlite.prepare(`SELECT * FROM "${tbl}" ORDER BY id`).all() as Record<string, unknown>[];
    if (rows.length) out[tbl] = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !LOCAL_COLUMNS.has(k))));
  }
  return out;
}

/** A transport whose next calls fail in chosen ways: before the server sees the request, or after it committed. */
export class FlakyTransport implements SyncTransport {
  /** Queue of failures for the next push calls: 'before' (nothing reaches the server) or 'after' (answer lost). */
  pushFaults: ('before' | 'after')[] = [];
  pullFaults: ('before' | 'after')[] = [];
  /** The network drops after this many chunk uploads (then works again). */
  dropAfterChunks: number | null = null;
  /** Flips a byte in the next uploaded chunk (damage on the way). */
  corruptNextChunk = false;
  readonly chunkPuts: { sha256: string; idx: number }[] = [];
  readonly blobs: BlobTransport;

  constructor(private readonly inner: SyncTransport) {
    const b = inner.blobs as BlobTransport;
    this.blobs = {
      status: (sha) => b.status(sha),
      begin: (sha, size) => b.begin(sha, size),
      complete: (sha) => b.complete(sha),
      prove: (sha, proof) => b.prove(sha, proof),
      getChunk: (sha, idx) => b.getChunk(sha, idx),
      putChunk: async (sha, idx, data) => {
        if (this.dropAfterChunks !== null && this.chunkPuts.length >= this.dropAfterChunks) {
          this.dropAfterChunks = null;
          throw new TransportError('network down mid-upload', true);
        }
        this.chunkPuts.push({ sha256: sha, idx });
        let body = data;
        if (this.corruptNextChunk) {
          this.corruptNextChunk = false;
          body = Buffer.from(data);
          body[0] = (body[0] ?? 0) ^ 0xff;
        }
        await b.putChunk(sha, idx, body);
      },
    };
  }

  async push(ops: Parameters<SyncTransport['push']>[0]) {
    const fault = this.pushFaults.shift();
    if (fault === 'before') throw new TransportError('network down', true);
    const r = await this.inner.push(ops);
    if (fault === 'after') throw new TransportError('connection reset before the answer', true);
    return r;
  }

  /** Pull requests on their way now, and the most there ever were at once. */
  pullsInFlight = 0;
  maxPullsInFlight = 0;

  async pull(after: number, limit: number) {
    const fault = this.pullFaults.shift();
    if (fault === 'before') throw new TransportError('network down', true);
    this.maxPullsInFlight = Math.max(this.maxPullsInFlight, ++this.pullsInFlight);
    try {
      // Answers take a moment, as over a network: the laptop may read on meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2));
      const r = await this.inner.pull(after, limit);
      if (fault === 'after') throw new TransportError('connection reset before the answer', true);
      return r;
    } finally {
      this.pullsInFlight--;
    }
  }
}
