/** What route modules get: the services, the rate limits and the authenticate helper. */
import type { FastifyRequest } from 'fastify';
import type { AccountService } from './accounts.ts';
import type { AuthService, Principal } from './auth/service.ts';
import type { CertificateService } from './certificates.ts';
import type { ServerDatabase } from './db/index.ts';
import type { TombstonePurger } from './sync/purge.ts';
import type { SyncService } from './sync/service.ts';

export interface RateLimits {
  /** Length of every rate-limit window, ms. */
  windowMs: number;
  /** Requests per window and client address, for any route without its own limit. */
  global: number;
  /** Password logins: the guessing surface. */
  login: number;
  /** Enrolment with a one-time code. */
  enrol: number;
  /** Device secret → token exchanges. */
  deviceToken: number;
  /** Public certificate lookups (JSON and the HTML page). */
  publicLookup: number;
  /** Sync requests (push, pull, snapshot) per device (per access token). */
  sync: number;
  /** Attachment requests (one per 1 MiB chunk) per client address. */
  blobs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { windowMs: 60_000, global: 600, login: 10, enrol: 10, deviceToken: 60, publicLookup: 120, sync: 120, blobs: 1200 };

export interface ServerContext {
  database: ServerDatabase;
  accounts: AccountService;
  auth: AuthService;
  certificates: CertificateService;
  sync: SyncService;
  purger: TombstonePurger;
  rateLimits: RateLimits;
  now: () => Date;
  version: string;
  startedAt: number;
}

export const authenticate = (ctx: ServerContext, request: FastifyRequest): Promise<Principal> => ctx.auth.authenticate(request.headers.authorization);

/** The per-route rate-limit config Fastify's plugin reads. */
export const limit = (ctx: ServerContext, max: number) => ({ rateLimit: { max, timeWindow: ctx.rateLimits.windowMs } });
