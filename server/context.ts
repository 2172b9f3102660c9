/** What route modules get: the services, the rate limits and the authenticate helper. */
import type { FastifyRequest, preParsingHookHandler } from 'fastify';
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

const principals = new WeakMap<FastifyRequest, Promise<Principal>>();

/** The caller, from the request's bearer token: looked up once per request. */
export function authenticate(ctx: ServerContext, request: FastifyRequest): Promise<Principal> {
  let principal = principals.get(request);
  if (!principal) principals.set(request, (principal = ctx.auth.authenticate(request.headers.authorization)));
  return principal;
}

/**
 * A `preParsing` hook for routes that take a large body: the token is looked up while the body is still
 * arriving (the database works on its own thread or server meanwhile), and the handler's `authenticate` gets
 * the answer. A refused token is still refused by the handler, after the body was read, as before.
 */
export const authenticateEarly =
  (ctx: ServerContext): preParsingHookHandler =>
  (request, _reply, payload, done) => {
    // Observed here, awaited by the handler: a request whose body fails is not an unhandled rejection.
    authenticate(ctx, request).catch(() => undefined);
    done(null, payload);
  };

/** The per-route rate-limit config Fastify's plugin reads. */
export const limit = (ctx: ServerContext, max: number) => ({ rateLimit: { max, timeWindow: ctx.rateLimits.windowMs } });
