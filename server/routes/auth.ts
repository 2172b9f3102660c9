/** Logins, device enrolment and device tokens, and the device list with revocation. */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/service.ts';
import { authenticate, limit, type ServerContext } from '../context.ts';
import { deviceTokenBody, enrolBody, idParams, loginBody, parse } from '../validation.ts';

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/auth/login', { config: limit(ctx, ctx.rateLimits.login) }, async (request) => {
    const body = parse(loginBody, request.body);
    return ctx.auth.login(body.email, body.password);
  });

  app.post('/api/auth/device-token', { config: limit(ctx, ctx.rateLimits.deviceToken) }, async (request) => {
    const body = parse(deviceTokenBody, request.body);
    return ctx.auth.deviceToken(body.deviceId, body.deviceSecret);
  });

  /** Who the token belongs to; the app shows it and checks its token still works. */
  app.get('/api/me', async (request) => {
    const p = await authenticate(ctx, request);
    return { userId: p.userId, role: p.role, organizationId: p.organizationId, region: p.region, deviceId: p.deviceId };
  });

  app.post('/api/devices/enrol', { config: limit(ctx, ctx.rateLimits.enrol) }, async (request, reply) => {
    const body = parse(enrolBody, request.body);
    const enrolled = await ctx.auth.enrol(body.code, body.deviceName);
    request.log.info({ deviceId: enrolled.deviceId, userId: enrolled.userId }, 'device enrolled');
    return reply.status(201).send(enrolled);
  });

  app.get('/api/devices', async (request) => {
    const p = await authenticate(ctx, request);
    requireRole(p, ['admin', 'mentor', 'supplier_consultant']);
    return { rows: await ctx.auth.listDevices(p) };
  });

  app.post('/api/devices/:id/revoke', async (request) => {
    const p = await authenticate(ctx, request);
    const { id } = parse(idParams, request.params);
    const result = await ctx.auth.revokeDevice(p, id);
    request.log.info({ deviceId: id, by: p.userId }, 'device revoked');
    return { ok: true, ...result };
  });
}
