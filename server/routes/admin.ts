/** Administration: organisations, users and one-time enrolment codes. Administrators only. */
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../auth/service.ts';
import { authenticate, type ServerContext } from '../context.ts';
import { idParams, organizationBody, parse, userBody, userPatchBody } from '../validation.ts';

export function adminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const admin = async (request: Parameters<typeof authenticate>[1]) => {
    const p = await authenticate(ctx, request);
    requireRole(p, ['admin']);
    return p;
  };

  /** Purges now the deleted records every live device has passed (it also runs on its own, hourly). */
  app.post('/api/admin/sync/purge', async (request) => {
    const p = await admin(request);
    const result = await ctx.purger.purge();
    request.log.info({ ...result, by: p.userId }, 'sync: tombstone purge asked for');
    return result;
  });

  app.post('/api/admin/organizations', async (request, reply) => {
    await admin(request);
    const body = parse(organizationBody, request.body);
    return reply.status(201).send(await ctx.accounts.createOrganization(body));
  });

  app.get('/api/admin/organizations', async (request) => {
    await admin(request);
    return { rows: await ctx.accounts.listOrganizations() };
  });

  app.post('/api/admin/users', async (request, reply) => {
    await admin(request);
    const body = parse(userBody, request.body);
    return reply.status(201).send(await ctx.accounts.createUser(body));
  });

  /** Mentor id and region: what sync scopes the user's records by. */
  app.patch('/api/admin/users/:id', async (request) => {
    const p = await admin(request);
    const { id } = parse(idParams, request.params);
    const body = parse(userPatchBody, request.body);
    const user = await ctx.accounts.updateUser(id, body);
    request.log.info({ userId: id, by: p.userId, mentorId: body.mentorId, region: body.region }, 'user updated');
    return user;
  });

  app.get('/api/admin/users', async (request) => {
    await admin(request);
    return { rows: await ctx.accounts.listUsers() };
  });

  /** The plain code is in this answer only; the server keeps its hash. */
  app.post('/api/admin/users/:id/enrolment-codes', async (request, reply) => {
    const p = await admin(request);
    const { id } = parse(idParams, request.params);
    const issued = await ctx.auth.createEnrolmentCode(id, p.userId);
    request.log.info({ userId: id, by: p.userId }, 'enrolment code issued');
    return reply.status(201).send(issued);
  });
}
