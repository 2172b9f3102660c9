/** Certificate register (publish, revoke) and public verification (JSON and the /verify page). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { authenticate, limit, type ServerContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { certificateBody, certificateNumber, dataHash, numberParams, parse, revokeBody } from '../validation.ts';
import { renderVerifyPage, VERIFY_PAGE_CSP, type VerifyOutcome } from '../verify-page.ts';

const pageQuery = z.object({ number: z.string().max(200).optional(), hash: z.string().max(200).optional() });

/** The certificate's QR code holds `DXCERT|<number>|<hash>`; pasting it into the number field works too. */
function splitQr(raw: string, hash: string): { number: string; hash: string } {
  const m = /^DXCERT\|([^|]*)\|([^|]*)$/.exec(raw.trim());
  return m ? { number: m[1] ?? '', hash: hash || (m[2] ?? '') } : { number: raw, hash };
}

export function certificateRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/certificates', async (request, reply) => {
    const p = await authenticate(ctx, request);
    const body = parse(certificateBody, request.body);
    const { created, certificate } = await ctx.certificates.publish(p, body);
    if (created) request.log.info({ number: body.number, by: p.userId, device: p.deviceId }, 'certificate published');
    return reply.status(created ? 201 : 200).send(certificate);
  });

  app.post('/api/certificates/:number/revoke', async (request, reply) => {
    const p = await authenticate(ctx, request);
    const { number } = parse(numberParams, request.params);
    const body = parse(revokeBody, request.body);
    const { created, certificate } = await ctx.certificates.revoke(p, number, body);
    if (created) request.log.info({ number, by: p.userId, device: p.deviceId }, 'certificate revoked');
    return reply.status(created ? 201 : 200).send(certificate);
  });

  app.get('/api/public/certificates/:number', { config: limit(ctx, ctx.rateLimits.publicLookup) }, async (request) => {
    const { number } = parse(numberParams, request.params);
    const certificate = await ctx.certificates.lookup(number);
    if (!certificate) throw notFound('certificate');
    return certificate;
  });

  const page = async (reply: FastifyReply, rawNumber: string, rawHash: string) => {
    const input = splitQr(rawNumber, rawHash);
    let outcome: VerifyOutcome;
    let status = 200;
    if (input.number.trim() === '') {
      outcome = { kind: 'empty' };
    } else {
      const number = certificateNumber.safeParse(input.number);
      if (!number.success) {
        outcome = { kind: 'badNumber' };
        status = 400;
      } else {
        try {
          const certificate = await ctx.certificates.lookup(number.data);
          if (!certificate) {
            outcome = { kind: 'unknown' };
            status = 404;
          } else if (input.hash.trim() === '') {
            outcome = { kind: 'found', certificate, hashMatches: null };
          } else {
            const hash = dataHash.safeParse(input.hash);
            outcome = hash.success ? { kind: 'found', certificate, hashMatches: hash.data === certificate.dataHash } : { kind: 'badHash', certificate };
            if (!hash.success) status = 400;
          }
        } catch (error) {
          reply.log.error({ err: error }, 'verification lookup failed');
          outcome = { kind: 'unavailable' };
          status = 503;
        }
      }
    }
    return reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', VERIFY_PAGE_CSP)
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .send(renderVerifyPage(input, outcome));
  };

  app.get('/verify', { config: limit(ctx, ctx.rateLimits.publicLookup) }, async (request, reply) => {
    const q = pageQuery.safeParse(request.query);
    // A malformed query (a repeated or over-long parameter) reads as a malformed number.
    return page(reply, q.success ? (q.data.number ?? '') : '?', q.success ? (q.data.hash ?? '') : '');
  });

  app.get('/verify/:number', { config: limit(ctx, ctx.rateLimits.publicLookup) }, async (request, reply) => {
    const params = z.object({ number: z.string().max(200) }).safeParse(request.params);
    const q = pageQuery.safeParse(request.query);
    return page(reply, params.success && q.success ? params.data.number : '?', q.success ? (q.data.hash ?? '') : '');
  });
}
