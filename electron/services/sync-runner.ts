/**
 * Runs sync in the background: enrolment with the central service, the device's credentials (protected by
 * the OS key store where there is one), a token that is renewed when it runs out, a round every minute
 * and shortly after local changes, and retries with backoff — for ever, never marking a failed batch done.
 * After a successful round, a scope check removes the organisations this laptop may no longer hold (a company
 * taken away from its pair, sync-scope.ts); now and then (or when asked), a divergence check compares this
 * laptop with the server and repairs what drifted apart (sync-divergence.ts).
 */
import { AppError } from '#shared/contract/errors';
import type { Logger } from './logger.ts';
import type { SecretProtector } from './keystore.ts';
import type { DivergenceCheck, DivergenceSummary } from './sync-divergence.ts';
import type { ScopeCheck, ScopeSummary } from './sync-scope.ts';
import type { Settings } from './settings.ts';
import { httpTransport, TransportError, type SyncTransport } from './sync-transport.ts';
import type { SyncResult, SyncService } from './sync.ts';

const K = { server: 'sync_server', deviceId: 'sync_device_id', secret: 'sync_device_secret', protectedSecret: 'sync_device_secret_os' } as const;
export const SYNC_INTERVAL_MS = 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;
/** A queue older than this with failing rounds raises the alert in the app. */
export const STUCK_AFTER_MS = 60 * 60_000;
/** How often a round also checks for divergence: a full digest costs the server a read of every readable head. */
export const DIVERGENCE_INTERVAL_MS = 12 * 60 * 60_000;
const DIVERGENCE_KEY = 'sync_divergence_checked_at';
/**
 * How often a round also asks which organisations this laptop may hold: the answer costs the service a read
 * of the caller's organisations' facts (about 0.2 s for a mentor whose region has 2,000 of them), and nobody
 * waits for a removal, so not every minute. The first round after the app starts always asks.
 */
export const SCOPE_INTERVAL_MS = 10 * 60_000;

export interface RunnerState {
  connected: boolean;
  serverUrl: string | null;
  running: boolean;
  lastAttemptAt: string | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: string | null;
}

export interface SyncRunnerOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** Replaces the HTTP transport (tests: an in-memory server). */
  transport?: SyncTransport;
  /** Compares with the server after successful rounds (none: never). */
  divergence?: DivergenceCheck;
  /** Removes organisations outside this laptop's scope after successful rounds (none: never). */
  scope?: ScopeCheck;
  /** At most one scope check per this many ms (default SCOPE_INTERVAL_MS; 0: after every round). */
  scopeIntervalMs?: number;
}

/** Organisations the last scope check that removed any took off this laptop, for the sync screen. */
export interface ScopeRemoval {
  companies: number;
  suppliers: number;
  /** When (ISO). */
  at: string;
}

export class SyncRunner {
  private token: { value: string; expiresAt: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<SyncResult> | null = null;
  private state: Omit<RunnerState, 'connected' | 'serverUrl'> = { running: false, lastAttemptAt: null, lastError: null, failures: 0, nextAttemptAt: null };
  private stopped = true;
  /** A check was asked for: the next round runs one whatever the interval says. */
  private divergenceWanted = false;
  private lastDivergence: DivergenceSummary | null = null;
  private lastRemoval: ScopeRemoval | null = null;
  /** When the last scope check answered (ms); null: none yet, or one that kept something for unsent changes. */
  private lastScopeAt: number | null = null;

  constructor(
    private readonly sync: SyncService,
    private readonly settings: Settings,
    private readonly protector: SecretProtector | null,
    private readonly logger: Logger,
    private readonly opts: SyncRunnerOptions = {},
  ) {}

  private get now() {
    return this.opts.now ?? Date.now;
  }

  status(): RunnerState {
    return { connected: this.connection() !== null, serverUrl: this.settings.get(K.server) ?? null, ...this.state };
  }

  connection(): { serverUrl: string; deviceId: string; secret: string } | null {
    const serverUrl = this.settings.get(K.server);
    const deviceId = this.settings.get(K.deviceId);
    const plain = this.settings.get(K.secret);
    const sealed = this.settings.get(K.protectedSecret);
    if (!serverUrl || !deviceId) return null;
    if (sealed && this.protector) return { serverUrl, deviceId, secret: this.protector.decrypt(Buffer.from(sealed, 'base64')) };
    return plain ? { serverUrl, deviceId, secret: plain } : null;
  }

  /** Enrols this laptop with a one-time code from the central office; keeps the device credentials. */
  async enrol(serverUrl: string, code: string, deviceName: string): Promise<{ deviceId: string }> {
    const f = this.opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await f(new URL('/api/devices/enrol', serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, deviceName }), signal: AbortSignal.timeout(20_000) });
    } catch {
      throw new AppError({ code: 'conflict', messageKey: 'errors.sync.unreachable', params: { server: serverUrl } });
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { messageKey?: string };
      const key = body.messageKey && /^errors\.enrol\./.test(body.messageKey) ? body.messageKey : 'errors.sync.enrolFailed';
      throw new AppError({ code: 'validation', messageKey: key, fields: { code: { key } } });
    }
    const enrolled = (await res.json()) as { deviceId: string; deviceSecret: string };
    this.settings.set(K.server, serverUrl);
    this.settings.set(K.deviceId, enrolled.deviceId);
    if (this.protector) {
      this.settings.set(K.protectedSecret, this.protector.encrypt(enrolled.deviceSecret).toString('base64'));
      this.settings.set(K.secret, '');
    } else {
      // No OS key store on this machine: the secret stays in the local database, like the data it guards.
      this.settings.set(K.secret, enrolled.deviceSecret);
    }
    this.token = null;
    this.logger.info({ server: serverUrl, deviceId: enrolled.deviceId }, 'device enrolled for sync');
    this.kick(0);
    return { deviceId: enrolled.deviceId };
  }

  disconnect(): void {
    for (const k of Object.values(K)) this.settings.set(k, '');
    this.token = null;
    this.state = { ...this.state, lastError: null, failures: 0, nextAttemptAt: null };
  }

  private transport(): SyncTransport {
    if (this.opts.transport) return this.opts.transport;
    const conn = this.connection();
    if (!conn) throw new AppError({ code: 'conflict', messageKey: 'errors.sync.notEnrolled' });
    const f = this.opts.fetch ?? fetch;
    return httpTransport({
      baseUrl: conn.serverUrl,
      invalidateToken: () => {
        this.token = null;
      },
      token: async () => {
        if (this.token && this.token.expiresAt - 30_000 > this.now()) return this.token.value;
        let res: Response;
        try {
          res = await f(new URL('/api/auth/device-token', conn.serverUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: conn.deviceId, deviceSecret: conn.secret }), signal: AbortSignal.timeout(20_000) });
        } catch (err) {
          throw new TransportError(`network: ${err instanceof Error ? err.message : String(err)}`, true);
        }
        if (!res.ok) throw new TransportError(`device token refused: HTTP ${res.status}`, res.status >= 500, res.status);
        const t = (await res.json()) as { accessToken: string; expiresAt: string };
        this.token = { value: t.accessToken, expiresAt: Date.parse(t.expiresAt) };
        return t.accessToken;
      },
    });
  }

  /**
   * The "sync now" button: a round that starts after the click. The round in flight may have gathered what to
   * send before the user's last change, so it is waited for (its failure is its own) before one runs; clicks
   * made while the first waits share the round that follows.
   */
  async runNow(): Promise<SyncResult> {
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    return this.runOnce();
  }

  /** One round (the background loop); concurrent calls share the round in flight. */
  async runOnce(): Promise<SyncResult> {
    if (this.inFlight) return this.inFlight;
    const round = (async () => {
      this.state = { ...this.state, running: true, lastAttemptAt: new Date(this.now()).toISOString() };
      try {
        const transport = this.transport();
        const r = await this.sync.syncOnce(transport);
        this.state = { ...this.state, lastError: null, failures: 0 };
        // Before the divergence check, and whenever one is due: records about to leave this laptop (a file's
        // description no record here shows since the service purged the record) would show there as records
        // the service lost, and be sent again to be refused.
        const divergenceDue = this.divergenceDue();
        await this.checkScope(transport, divergenceDue);
        if (divergenceDue) await this.checkDivergenceNow(transport);
        return r;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.state = { ...this.state, lastError: message, failures: this.state.failures + 1 };
        this.logger.warn({ err: message, failures: this.state.failures }, 'sync round failed');
        throw err instanceof AppError ? err : new AppError({ code: 'conflict', messageKey: 'errors.sync.failed', params: { reason: message.slice(0, 200) } });
      } finally {
        this.state = { ...this.state, running: false };
      }
    })();
    this.inFlight = round;
    try {
      return await round;
    } finally {
      this.inFlight = null;
    }
  }

  /**
   * After a successful round, when one is due: removes what this laptop may no longer hold. A failed check
   * does not fail the round and removes nothing it had not finished (each organisation goes in its own
   * transaction); the next round asks again, as it does while an organisation is kept for unsent changes.
   */
  private async checkScope(transport: SyncTransport, due = false): Promise<ScopeSummary | null> {
    const check = this.opts.scope;
    if (!check) return null;
    if (!due && this.lastScopeAt !== null && this.now() - this.lastScopeAt < (this.opts.scopeIntervalMs ?? SCOPE_INTERVAL_MS)) return null;
    try {
      const summary = await check.run(transport);
      this.lastScopeAt = summary.kept.some((k) => k.reason === 'pending') ? null : this.now();
      if (summary.removed.length > 0) {
        const count = (kind: string) => summary.removed.filter((o) => o.kind === kind).length;
        this.lastRemoval = { companies: count('company'), suppliers: count('supplier'), at: new Date(this.now()).toISOString() };
      }
      return summary;
    } catch (err) {
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'sync scope check failed; the next round tries again');
      return null;
    }
  }

  /** What the last scope check that removed anything removed (since the app started), or null. */
  scopeRemoval(): ScopeRemoval | null {
    return this.lastRemoval;
  }

  /** A divergence check is due after this round: asked for, or the last one is an interval old. */
  private divergenceDue(): boolean {
    if (!this.opts.divergence) return false;
    const last = Date.parse(this.settings.get(DIVERGENCE_KEY) ?? '');
    return this.divergenceWanted || !Number.isFinite(last) || this.now() - last >= DIVERGENCE_INTERVAL_MS;
  }

  /**
   * After a successful round: compares with the server (when a check is due or was asked for). A failed check
   * does not fail the round (the data is synced; the check comes again next interval, not every minute).
   * Ops it marks to be sent again go at once, with a second round (attachment bytes first, as always).
   */
  private async checkDivergenceNow(transport: SyncTransport): Promise<void> {
    const check = this.opts.divergence;
    if (!check) return;
    this.divergenceWanted = false;
    let summary: DivergenceSummary;
    try {
      summary = await check.run(transport);
    } catch (err) {
      this.settings.set(DIVERGENCE_KEY, new Date(this.now()).toISOString());
      this.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'sync divergence check failed');
      return;
    }
    this.lastDivergence = summary;
    // Too many changes waiting: try again after the next round rather than in twelve hours.
    if (summary.notRun !== 'busy') this.settings.set(DIVERGENCE_KEY, new Date(this.now()).toISOString());
    if (summary.opsResent > 0) {
      try {
        await this.sync.syncOnce(transport);
      } catch (err) {
        // They are pending now: the next round sends them.
        this.logger.warn({ err: err instanceof Error ? err.message : String(err), ops: summary.opsResent }, 'sync: sending again what the server lost failed; the next round retries');
      }
    }
  }

  /**
   * Runs a divergence check now, after a sync round, and returns what it found: null when this runner has no
   * check or the check failed (logged). Throws like runOnce when the round itself fails.
   */
  async checkDivergence(): Promise<DivergenceSummary | null> {
    this.divergenceWanted = true;
    this.lastDivergence = null;
    // A round in flight may be past its check already: one that starts now checks.
    await this.runNow();
    return this.lastDivergence;
  }

  /** Starts the background loop (when enrolled). */
  start(): void {
    this.stopped = false;
    this.kick(2_000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Schedules a round after `delayMs` (local changes call this so they leave the laptop soon). */
  kick(delayMs = 3_000): void {
    if (this.stopped || (!this.connection() && !this.opts.transport)) return;
    if (this.timer) clearTimeout(this.timer);
    this.state = { ...this.state, nextAttemptAt: new Date(this.now() + delayMs).toISOString() };
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.runOnce()
        .then(() => this.kick(SYNC_INTERVAL_MS))
        // Failed: retry with backoff, for ever; the queue stays and the app shows the error.
        .catch(() => this.kick(Math.min(MAX_BACKOFF_MS, 5_000 * 2 ** Math.min(this.state.failures, 10))));
    }, delayMs);
    this.timer.unref?.();
  }

  /** The queue has waited too long while rounds fail: the app raises an alert. */
  stuck(): boolean {
    const oldest = this.sync.status().oldestPendingAt;
    return oldest !== null && this.state.failures > 0 && this.now() - Date.parse(oldest) > STUCK_AFTER_MS;
  }
}
