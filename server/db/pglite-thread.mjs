// @ts-check
/**
 * Embedded PGlite in a worker thread of its own (server/db/threaded-pglite.ts is the other end).
 *
 * PGlite runs PostgreSQL as WebAssembly on the thread that calls it, so in the service's own thread every
 * query held the event loop: with many laptops syncing, the loop turned a few times a second, and Node
 * accepts one new connection per turn, so 500 laptops connecting at once waited up to a minute to be
 * accepted. Here the database has a thread to itself, and the service's thread only reads requests, checks
 * them and answers. Plain JavaScript: a worker thread loads this file with Node's own loader, under tsx,
 * vitest or node alike.
 *
 * Messages in: { op: 'begin', tx } | { id, op: 'query', tx, sql, params, rowMode } | { id, op: 'end', tx, commit }
 * | { id, op: 'close' }. Each but `begin` is answered once: { id, result } or { id, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

if (!parentPort) throw new Error('pglite-thread.mjs runs as a worker thread');
const port = parentPort;

/**
 * A json parameter goes to PGlite as UTF-8 bytes in binary format (json's binary form is its text). PGlite's
 * own text path measures each string in a JavaScript loop, twice, before encoding it: on the one large JSON
 * parameter that carries a push batch, that was a sixth of the service's time.
 */
const serializers = {
  [types.JSON]: (/** @type {unknown} */ value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
};

/**
 * Dates, times and intervals come back as PostgreSQL's text, as drizzle's PGlite driver asks for them (it
 * maps them itself); these are the parsers that driver passes with every query.
 */
const keepText = (/** @type {string} */ value) => value;
const parsers = Object.fromEntries([types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [oid, keepText]));

/**
 * PostgreSQL's settings, on top of PGlite's own (single user, no parallel workers, …). `wal_init_zero=off`: a
 * new 16 MB WAL segment is not first written full of zeros, only its last byte (as PostgreSQL does on
 * copy-on-write file systems). Through Emscripten's file system those zeros were as many bytes again as the
 * WAL itself: a push of 100,000 changes fills eight segments. Whether a segment is zeroed first changes
 * nothing of what survives a crash: a record is read back only up to the last valid one, and with PGlite's
 * `fsync=off` the space was never promised to be on the disk either.
 */
const startParams = [...PGlite.defaultStartParams, '-c', 'wal_init_zero=off'];

/** @type {{ dataDir?: string }} */
const options = workerData ?? {};
const db = new PGlite({ ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), serializers, startParams });

/**
 * Open transactions by the number the service's thread gave them: the transaction once PGlite has begun it,
 * how to end it, and PGlite's promise of it. A transaction stays open, other queries queueing behind it as
 * they do in PGlite itself, until `end` commits it or rolls it back.
 * @type {Map<number, { tx: Promise<import('@electric-sql/pglite').Transaction>, end: (commit: boolean) => void, done: Promise<void> }>}
 */
const open = new Map();
const ROLLBACK = Symbol('rollback');

/** What crosses the thread boundary of an error: its message, and PostgreSQL's fields (code, detail, …). */
function describe(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) return { message: String(error) };
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  return { ...fields, name: error.name, message: error.message, stack: error.stack };
}

/**
 * Begins transaction `number`. Nothing is answered: its first query is sent right behind the `begin`, and
 * waits here until PGlite has begun it (or fails with the reason it could not begin).
 */
function begin(/** @type {number} */ number) {
  /** @type {(tx: import('@electric-sql/pglite').Transaction) => void} */
  let opened = () => undefined;
  /** @type {(commit: boolean) => void} */
  let end = () => undefined;
  const done = db.transaction(
    (tx) =>
      new Promise((resolve, reject) => {
        end = (commit) => (commit ? resolve() : reject(ROLLBACK));
        opened(tx);
      }),
  );
  done.catch(() => undefined);
  /** @type {Promise<import('@electric-sql/pglite').Transaction>} */
  const tx = Promise.race([
    new Promise((resolve) => (opened = resolve)),
    done.then(() => Promise.reject(new Error(`transaction ${number} ended before it began`))),
  ]);
  tx.catch(() => undefined);
  open.set(number, { tx, end: (commit) => end(commit), done });
}

port.on('message', (/** @type {any} */ message) => {
  const { id } = message;
  const fail = (/** @type {unknown} */ error) => port.postMessage({ id, error: describe(error) });
  switch (message.op) {
    case 'query': {
      const target = message.tx ? open.get(message.tx)?.tx : Promise.resolve(db);
      if (!target) return fail(new Error(`transaction ${message.tx} is not open`));
      target.then((t) => t.query(message.sql, message.params, { rowMode: message.rowMode, parsers })).then(
        (result) => port.postMessage({ id, result: { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows } }),
        fail,
      );
      return;
    }
    case 'begin':
      return begin(message.tx);
    case 'end': {
      const entry = open.get(message.tx);
      if (!entry) return fail(new Error(`transaction ${message.tx} is not open`));
      open.delete(message.tx);
      // An `end` may arrive before PGlite has begun the transaction (nothing was queried in it).
      entry.tx.then(
        () => entry.end(Boolean(message.commit)),
        () => undefined,
      );
      entry.done.then(
        () => port.postMessage({ id, result: null }),
        (error) => (error === ROLLBACK ? port.postMessage({ id, result: null }) : fail(error)),
      );
      return;
    }
    case 'close':
      db.close().then(() => port.postMessage({ id, result: null }), fail);
      return;
    default:
      fail(new Error(`unknown message ${String(message.op)}`));
  }
});

db.waitReady.then(
  () => port.postMessage({ ready: true }),
  (error) => port.postMessage({ ready: false, error: describe(error) }),
);
