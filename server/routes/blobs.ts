/**
 * Attachment bytes by content hash: announce (size), upload chunks (raw bytes), complete (the server checks
 * the hash), status (which chunks it holds: resume from there, and whether the caller's account holds the bytes),
 * prove holding bytes another account uploaded, download chunks (only for those who may read a record that
 * refers to the bytes). Enrolled devices only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CHUNK_SIZE, type BlobService } from '../blobs.ts';
import { authenticate, type ServerContext } from '../context.ts';
import { apiError } from '../errors.ts';
import { parse } from '../validation.ts';

const hashParams = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'validation.sha256' }) });
const chunkParams = hashParams.extend({ idx: z.preprocess((v) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : v), z.number().int().min(0)) });
const beginBody = z.strictObject({ size: z.number().int().min(1) });
const proofBody = z.strictObject({ proof: z.string().regex(/^[0-9a-f]{64}$/, { error: 'validation.sha256' }) });

export function blobRoutes(app: FastifyInstance, ctx: ServerContext, blobs: BlobService): void {
  const config = { rateLimit: { max: ctx.rateLimits.blobs, timeWindow: ctx.rateLimits.windowMs } };
  const device = async (request: FastifyRequest) => {
    const p = await authenticate(ctx, request);
    if (p.deviceId === null) throw apiError(403, 'forbidden', 'errors.auth.deviceRequired');
    return p;
  };

  // Chunks arrive as raw bytes.
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: CHUNK_SIZE + 1024 }, (_request, body, done) => done(null, body));

  app.get('/api/blobs/:sha256', { config }, async (request) => {
    const p = await device(request);
    const { sha256 } = parse(hashParams, request.params);
    const s = await blobs.status(sha256, p.userId);
    if (!s) throw apiError(404, 'not_found', 'errors.notFound', { params: { entity: 'blob' } });
    return s;
  });

  app.post('/api/blobs/:sha256', { config }, async (request) => {
    const p = await device(request);
    const { sha256 } = parse(hashParams, request.params);
    const { size } = parse(beginBody, request.body);
    return blobs.begin(sha256, size, p.userId);
  });

  app.put('/api/blobs/:sha256/chunks/:idx', { config, bodyLimit: CHUNK_SIZE + 1024 }, async (request) => {
    await device(request);
    const { sha256, idx } = parse(chunkParams, request.params);
    if (!Buffer.isBuffer(request.body)) throw apiError(415, 'unsupported_media_type', 'errors.unsupportedMediaType');
    await blobs.putChunk(sha256, idx, request.body);
    return { ok: true };
  });

  app.post('/api/blobs/:sha256/complete', { config }, async (request) => {
    const p = await device(request);
    const { sha256 } = parse(hashParams, request.params);
    const s = await blobs.complete(sha256, p.userId);
    request.log.info({ sha256, size: s.size }, 'blob complete');
    return s;
  });

  // A laptop holding bytes it did not upload (the same file added independently) proves it: see BLOB_HOLDER_PROOF_PREFIX.
  app.post('/api/blobs/:sha256/holders', { config }, async (request) => {
    const p = await device(request);
    const { sha256 } = parse(hashParams, request.params);
    const { proof } = parse(proofBody, request.body);
    const s = await blobs.prove(sha256, p.userId, proof);
    request.log.info({ sha256, userId: p.userId }, 'blob holder proved');
    return s;
  });

  app.get('/api/blobs/:sha256/chunks/:idx', { config }, async (request, reply) => {
    const p = await device(request);
    const { sha256, idx } = parse(chunkParams, request.params);
    // The bytes of a factory's photos go only to those who may read a record that shows them.
    if (!(await ctx.sync.canReadBlob(p, sha256, await blobs.uploader(sha256)))) throw apiError(403, 'forbidden', 'errors.sync.blobForbidden');
    const data = await blobs.getChunk(sha256, idx);
    return reply.type('application/octet-stream').send(data);
  });
}
