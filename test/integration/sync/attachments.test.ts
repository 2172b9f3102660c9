import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryServer, TransportError } from '../../../electron/services/sync-transport.ts';
import { companyData, openApp, useCleanup, type TestApp } from '../fixtures.ts';
import { FlakyTransport } from './helpers.ts';

useCleanup();

/** A PNG-signed file of `size` bytes with random content (the store sniffs the type, not the pixels). */
function photo(size: number): Buffer {
  const b = crypto.randomBytes(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
  return b;
}

async function visitWithPhoto(app: TestApp, bytes: Buffer) {
  const { id: companyId } = await app.ok('companies.create', companyData({ name: '사진정밀' }));
  const { id: visitId } = await app.ok('visits.create', { companyId, visitedOn: '2026-11-20', place: '공장', purpose: 'assessment', attendees: [], notes: '' });
  await app.ok('visits.addPhoto', { visitId, fileName: 'line.png', data: bytes.toString('base64') });
  return visitId;
}

describe('attachments move by content hash', () => {
  it('a photo taken on one laptop opens on the other; the bytes are sent once', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const bytes = photo(200_000);
    const visitId = await visitWithPhoto(a, bytes);
    expect(a.services.sync.status()).toMatchObject({ filesToSend: 1, missingFiles: 0 });
    await a.services.sync.syncOnce(server.transport());
    expect(a.services.sync.status().filesToSend).toBe(0);
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    expect(server.blobStore.get(sha)).toMatchObject({ complete: true, size: 200_000 });

    await b.services.sync.syncOnce(server.transport());
    expect(b.services.sync.status().missingFiles).toBe(0);
    const [p] = (await b.ok('visits.photos', { visitId })).rows;
    expect(Buffer.from((await b.ok('visits.photo', { id: p!.id })).data, 'base64').equals(bytes)).toBe(true);

    // Another round sends nothing again.
    const flaky = new FlakyTransport(server.transport());
    await a.services.sync.syncOnce(flaky);
    await b.services.sync.syncOnce(flaky);
    expect(flaky.chunkPuts).toEqual([]);
  });

  it('a photo the service refuses to hand over (its record left this laptop’s scope) does not stop the others', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const refused = photo(1000);
    const allowed = photo(1000);
    await visitWithPhoto(a, refused);
    const visitId = await visitWithPhoto(a, allowed);
    await a.services.sync.syncOnce(server.transport());
    const inner = server.transport();
    const blobs = inner.blobs!;
    const refusedSha = crypto.createHash('sha256').update(refused).digest('hex');
    const transport = {
      ...inner,
      blobs: { ...blobs, getChunk: (sha: string, idx: number) => (sha === refusedSha ? Promise.reject(new TransportError('HTTP 403', false, 403)) : blobs.getChunk(sha, idx)) },
    };
    const r = await b.services.sync.syncOnce(transport);
    expect(r.pulled).toBeGreaterThan(0);
    expect(b.services.sync.status().missingFiles).toBe(1);
    const [p] = (await b.ok('visits.photos', { visitId })).rows;
    expect(Buffer.from((await b.ok('visits.photo', { id: p!.id })).data, 'base64').equals(allowed)).toBe(true);
  });

  it('an upload cut off mid-way resumes with the missing chunks only', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const bytes = photo(5 * MemoryServer.CHUNK + 123);
    await visitWithPhoto(a, bytes);
    const flaky = new FlakyTransport(server.transport());
    flaky.dropAfterChunks = 2;
    await expect(a.services.sync.syncOnce(flaky)).rejects.toThrow('network down mid-upload');
    expect(a.services.sync.status().filesToSend).toBe(1);
    await a.services.sync.syncOnce(flaky);
    expect(flaky.chunkPuts.map((c) => c.idx)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(a.services.sync.status().filesToSend).toBe(0);
  });

  it('a chunk damaged on the way fails the hash check; the laptop sends it again and the server keeps only the right bytes', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const bytes = photo(3 * MemoryServer.CHUNK);
    const visitId = await visitWithPhoto(a, bytes);
    const flaky = new FlakyTransport(server.transport());
    flaky.corruptNextChunk = true;
    await a.services.sync.syncOnce(flaky);
    expect(flaky.chunkPuts).toHaveLength(6);
    await b.services.sync.syncOnce(server.transport());
    const [p] = (await b.ok('visits.photos', { visitId })).rows;
    expect(Buffer.from((await b.ok('visits.photo', { id: p!.id })).data, 'base64').equals(bytes)).toBe(true);
  });

  it('a photo whose upload failed waits with its bytes: the visit arrives first, the photo whole in a later round', async () => {
    const server = new MemoryServer();
    const a = openApp();
    const b = openApp();
    const bytes = photo(10_000);
    const visitId = await visitWithPhoto(a, bytes);
    // A's upload fails: its visit goes, its photo's records wait. B gets the visit, and no photo it cannot open.
    const flaky = new FlakyTransport(server.transport());
    flaky.dropAfterChunks = 0;
    await expect(a.services.sync.syncOnce(flaky)).rejects.toThrow();
    await b.services.sync.syncOnce(server.transport());
    const { org_id: companyId } = b.sqlite.prepare('SELECT org_id FROM visits WHERE id = ?').get(visitId) as { org_id: string };
    expect((await b.ok('visits.list', { companyId })).rows).toMatchObject([{ id: visitId, place: '공장', photos: 0 }]);
    expect((await b.ok('visits.photos', { visitId })).rows).toEqual([]);
    expect(b.services.sync.status().missingFiles).toBe(0);
    expect(a.services.sync.status()).toMatchObject({ filesToSend: 1, rejected: 0 });
    await a.services.sync.syncOnce(server.transport());
    await b.services.sync.syncOnce(server.transport());
    expect((await b.ok('visits.list', { companyId })).rows).toMatchObject([{ id: visitId, photos: 1 }]);
    const [shown] = (await b.ok('visits.photos', { visitId })).rows;
    expect(Buffer.from((await b.ok('visits.photo', { id: shown!.id })).data, 'base64').equals(bytes)).toBe(true);
    expect(b.services.sync.status().missingFiles).toBe(0);
  });
});
