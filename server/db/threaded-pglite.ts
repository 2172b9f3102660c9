/**
 * Embedded PGlite on a thread of its own (server/db/pglite-thread.mjs), seen from the service's thread as the
 * client drizzle's PGlite driver expects: `query(sql, params, { rowMode })` and `transaction(callback)`, the
 * callback's transaction having `query` too. Queries, transactions and their order behave as with PGlite in
 * the same thread (one connection: a query outside an open transaction waits for it).
 */
import { Worker } from 'node:worker_threads';

export interface QueryResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
}

interface QueryOptions {
  rowMode?: 'array' | 'object';
}

export interface ThreadedTransaction {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult>;
}

type Message = { op: 'query'; tx: number; sql: string; params: unknown[]; rowMode: 'array' | 'object' } | { op: 'end'; tx: number; commit: boolean } | { op: 'close' };

interface ErrorFields {
  message: string;
  name?: string;
  stack?: string;
  [field: string]: unknown;
}

/** The worker's error as an Error here, with PostgreSQL's fields (code '23505' and so on) on it. */
function revive(fields: ErrorFields): Error {
  const error = new Error(fields.message);
  const { message: _message, stack, ...rest } = fields;
  Object.assign(error, rest);
  if (stack) error.stack = stack;
  return error;
}

export class ThreadedPGlite {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private nextTx = 1;
  private failure: Error | undefined;
  private readonly ready: Promise<void>;

  private constructor(dataDir: string | undefined) {
    this.worker = new Worker(new URL('./pglite-thread.mjs', import.meta.url), { workerData: { dataDir } });
    // The thread keeps the process alive only while a request waits for it.
    this.worker.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (message: { id?: number; result?: unknown; error?: ErrorFields; ready?: boolean }) => {
        if (message.ready !== undefined) {
          if (message.ready) resolve();
          else reject(revive(message.error ?? { message: 'PGlite did not start' }));
          return;
        }
        const waiting = this.pending.get(message.id ?? 0);
        if (!waiting) return;
        this.pending.delete(message.id ?? 0);
        if (this.pending.size === 0) this.worker.unref();
        if (message.error) waiting.reject(revive(message.error));
        else waiting.resolve(message.result);
      });
      const stop = (error: Error) => {
        this.failure ??= error;
        reject(error);
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      };
      this.worker.on('error', stop);
      this.worker.on('exit', (code) => stop(new Error(`the database thread stopped (exit code ${code})`)));
    });
  }

  /** Starts the thread and waits until PGlite is open (a data folder, or in memory without one). */
  static async open(dataDir?: string): Promise<ThreadedPGlite> {
    const client = new ThreadedPGlite(dataDir);
    try {
      await client.ready;
    } catch (error) {
      await client.worker.terminate();
      throw error;
    }
    return client;
  }

  private send<T>(message: Message): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, ...message });
    });
  }

  query(sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    return this.send({ op: 'query', tx: 0, sql, params, rowMode: options.rowMode ?? 'object' });
  }

  /** Runs `callback` in one transaction: committed when it returns, rolled back when it throws. */
  async transaction<T>(callback: (tx: ThreadedTransaction) => Promise<T>): Promise<T> {
    // Not waited for: the first query goes right behind it, and the thread runs it once the transaction is open.
    const tx = this.nextTx++;
    if (!this.failure) this.worker.postMessage({ op: 'begin', tx });
    let result: T;
    try {
      result = await callback({ query: (sql, params = [], options = {}) => this.send({ op: 'query', tx, sql, params, rowMode: options.rowMode ?? 'object' }) });
    } catch (error) {
      await this.send({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.send({ op: 'end', tx, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.send({ op: 'close' });
    this.failure ??= new Error('the database is closed');
    await this.worker.terminate();
  }
}
