import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureAsn1 } from '../../../electron/services/pdf-signing.ts';
import { levelConfirmationV1 } from '#shared/instruments/level-confirmation-v1';
import { certificateRevocations, certificates, levelAnswers, levelConfirmations, levelSignatures } from '#db/schema';
import { companyData, openApp, snapshot, tempDir, useCleanup, type TestApp } from '../fixtures.ts';

useCleanup();

const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const PASS = 'factory-2026!';
let nssdb = '';

/** pdfsig (poppler) needs an NSS database to check signatures; certutil makes an empty one. */
beforeAll(() => {
  nssdb = tempDir();
  execFileSync('certutil', ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
});
/** pdfsig's report (it exits non-zero on a damaged file; the report is what counts). */
const pdfsig = (file: string) => {
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${nssdb}`, file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};

function appOn(today: string): TestApp {
  return openApp({ now: () => new Date(`${today}T12:00:00`).getTime() });
}

async function confirmed(app: TestApp, step = 4, name = '한빛정밀') {
  const { id: companyId } = await app.ok('companies.create', companyData({ name }));
  const { id } = await app.ok('levels.create', { companyId, projectId: null, assessedOn: '2026-11-20' });
  for (const a of levelConfirmationV1.areas) await app.ok('levels.saveStep', { confirmationId: id, areaId: a.id, step, evidence: `${a.id} 확인` });
  await app.ok('levels.finalize', { id, signatures: [{ role: 'lead', name: '김평가', png }, { role: 'second', name: '이평가', png }] });
  return id;
}

describe('level confirmation', () => {
  it('scores areas on the 1,000-point model into both scales, and needs both assessors to sign', async () => {
    const app = appOn('2026-11-25');
    const { id: companyId } = await app.ok('companies.create', companyData());
    const { id } = await app.ok('levels.create', { companyId, projectId: null, assessedOn: '2026-11-20' });
    for (const a of levelConfirmationV1.areas) await app.ok('levels.saveStep', { confirmationId: id, areaId: a.id, step: a.field === 'systems' ? 3 : 4 });
    const view = await app.ok('levels.get', { id });
    // 600 points at step 4 elsewhere (80 %) + 400 × 60 % for systems = 480 + 240 = 720: Level 3, built level 중간1.
    expect(view.result).toMatchObject({ points: 720, capabilityLevel: 3, builtLevel: 'intermediate1', complete: true });
    expect(await app.fail('levels.finalize', { id, signatures: [{ role: 'lead', name: '김평가', png }] })).toMatchObject({ messageKey: 'errors.level.bothSign' });
    expect(await app.fail('levels.saveStep', { confirmationId: id, areaId: 'planning', step: 6 })).toMatchObject({ fields: { step: { key: 'validation.tooLarge' } } });
    await app.ok('levels.finalize', { id, signatures: [{ role: 'lead', name: '김평가', png }, { role: 'second', name: '이평가', png }] });
    expect(await app.fail('levels.saveStep', { confirmationId: id, areaId: 'planning', step: 5 })).toMatchObject({ code: 'locked' });
  });
});

describe('certificates', () => {
  it('issues a numbered, signed certificate that pdfsig reports valid; any changed byte makes it invalid', async () => {
    const app = appOn('2026-11-25');
    const id = await confirmed(app);
    expect(await app.fail('certificates.issue', { confirmationId: id })).toMatchObject({ messageKey: 'errors.keystore.passphraseRequired' });
    expect(await app.fail('certificates.issue', { confirmationId: id, passphrase: 'short' })).toMatchObject({ messageKey: 'errors.keystore.weakPassphrase' });
    const cert = await app.ok('certificates.issue', { confirmationId: id, passphrase: PASS });
    expect(cert.number).toBe('DXM-2026-00001');
    const { path: file } = await app.ok('certificates.export', { id: cert.id });
    const out = pdfsig(file as string);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Total document signed');
    const text = execFileSync('pdftotext', ['-layout', file as string, '-']).toString('utf8');
    for (const s of ['스마트공장 수준확인서', 'DXM-2026-00001', '한빛정밀', 'Level 4', '김평가', '이평가', '2028년 11월 25일']) expect(text, s).toContain(s);
    const ok = await app.ok('certificates.verify', { fileName: 'c.pdf', data: fs.readFileSync(file as string).toString('base64') });
    expect(ok).toMatchObject({ signature: { valid: true, signer: 'Gimpyeongga (DX Mentor assessor)' }, number: 'DXM-2026-00001', hashMatches: true, register: { status: 'valid' } });
    // Change one byte anywhere in the signed ranges: both pdfsig and the app's own check fail.
    const bytes = fs.readFileSync(file as string);
    for (const at of [50, Math.floor(bytes.length / 3), bytes.length - 20]) {
      const bad = Buffer.from(bytes);
      bad[at] = bad[at] === 0x41 ? 0x42 : 0x41;
      const tampered = path.join(app.dir, `tampered-${at}.pdf`);
      fs.writeFileSync(tampered, bad);
      expect(pdfsig(tampered), `byte ${at}`).not.toContain('Signature is Valid');
      const v = await app.ok('certificates.verify', { fileName: 'x.pdf', data: bad.toString('base64') });
      expect(v.signature.valid, `byte ${at}`).toBe(false);
    }
  });

  it('numbers certificates sequentially per office and year, once per confirmation, and keeps revoked ones', async () => {
    const app = appOn('2026-11-25');
    const a = await confirmed(app, 4, '가');
    const b = await confirmed(app, 5, '나');
    const first = await app.ok('certificates.issue', { confirmationId: a, passphrase: PASS });
    expect(await app.fail('certificates.issue', { confirmationId: a, passphrase: PASS })).toMatchObject({ messageKey: 'errors.certificate.alreadyIssued', params: { number: 'DXM-2026-00001' } });
    expect(await app.fail('certificates.issue', { confirmationId: b, passphrase: 'wrong-passphrase' })).toMatchObject({ messageKey: 'errors.keystore.wrongPassphrase' });
    const second = await app.ok('certificates.issue', { confirmationId: b, passphrase: PASS });
    expect(second.number).toBe('DXM-2026-00002');
    await app.ok('certificates.revoke', { id: first.id, reason: '평가 자료 오류로 재평가 예정' });
    const reg = await app.ok('certificates.register', {});
    expect(reg.rows.map((r) => [r.number, r.status, r.revokedReason])).toEqual([
      ['DXM-2026-00002', 'valid', null],
      ['DXM-2026-00001', 'revoked', '평가 자료 오류로 재평가 예정'],
    ]);
    expect(reg.rows[0]).toMatchObject({ capabilityLevel: 5, builtLevel: 'advanced', validUntil: '2028-11-25' });
    expect(await app.fail('certificates.revoke', { id: first.id, reason: '다시' })).toMatchObject({ messageKey: 'errors.certificate.alreadyRevoked' });
    const { path: file } = await app.ok('certificates.export', { id: first.id });
    const v = await app.ok('certificates.verify', { fileName: 'c.pdf', data: fs.readFileSync(file as string).toString('base64') });
    // Still a genuine document — but the register says it is revoked.
    expect(v).toMatchObject({ signature: { valid: true }, hashMatches: true, register: { status: 'revoked' } });
  });

  it('refuses every change to a finalised confirmation, an issued certificate and a revocation, through any path', async () => {
    const app = appOn('2026-11-25');
    const id = await confirmed(app);
    const cert = await app.ok('certificates.issue', { confirmationId: id, passphrase: PASS });
    await app.ok('certificates.revoke', { id: cert.id, reason: '테스트 취소' });
    const before = snapshot(app.sqlite);
    const m = app.services.mutations;
    const one = (sql: string) => (app.sqlite.prepare(sql).get() as { id: string }).id;
    const answer = one('SELECT id FROM level_answers LIMIT 1');
    const signature = one('SELECT id FROM level_signatures LIMIT 1');
    const revocation = one('SELECT id FROM certificate_revocations LIMIT 1');
    const attempts: [string, () => unknown][] = [
      ['edit confirmation', () => m.transaction((tx) => tx.update(levelConfirmations, id, { assessedOn: '2020-01-01' }))],
      ['delete confirmation', () => m.transaction((tx) => tx.archive(levelConfirmations, id))],
      ['edit step', () => m.transaction((tx) => tx.update(levelAnswers, answer, { step: 5 }))],
      ['delete step', () => m.transaction((tx) => tx.archive(levelAnswers, answer))],
      ['add step', () => m.transaction((tx) => tx.insert(levelAnswers, { confirmationId: id, areaId: 'extra', step: 5 }))],
      ['edit signature', () => m.transaction((tx) => tx.update(levelSignatures, signature, { signerName: 'x' }))],
      ['delete signature', () => m.transaction((tx) => tx.archive(levelSignatures, signature))],
      ['edit certificate', () => m.transaction((tx) => tx.update(certificates, cert.id, { validUntil: '2099-12-31' }))],
      ['delete certificate', () => m.transaction((tx) => tx.archive(certificates, cert.id))],
      ['edit revocation', () => m.transaction((tx) => tx.update(certificateRevocations, revocation, { reason: 'x' }))],
      ['undo revocation', () => m.transaction((tx) => tx.archive(certificateRevocations, revocation))],
    ];
    for (const [what, attempt] of attempts) {
      let caught: unknown = null;
      try {
        attempt();
      } catch (err) {
        caught = err;
      }
      expect(caught, what).toMatchObject({ data: { code: 'locked' } });
    }
    for (const [name, input] of [
      ['levels.saveStep', { confirmationId: id, areaId: 'planning', step: 1 }],
      ['levels.finalize', { id, signatures: [{ role: 'lead', name: 'a', png }, { role: 'second', name: 'b', png }] }],
      ['certificates.issue', { confirmationId: id, passphrase: PASS }],
    ] as const) {
      expect((await app.fail(name, input)).code, name).toMatch(/locked|conflict/);
    }
    expect(snapshot(app.sqlite)).toEqual(before);
  });
});

describe('npm run verify-certificate', () => {
  it('says valid for the issued file with its register status, and fails a changed or revoked one', async () => {
    const app = appOn('2026-11-25');
    const id = await confirmed(app);
    const cert = await app.ok('certificates.issue', { confirmationId: id, passphrase: PASS });
    const { path: file } = await app.ok('certificates.export', { id: cert.id });
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-certificate.ts', ...args], { encoding: 'utf8' });
    const good = run(file as string, '--db', app.file);
    expect(good.stdout).toMatch(/signature:\s+valid/);
    expect(good.stdout).toMatch(/register:\s+valid/);
    expect(good.status).toBe(0);
    const bad = Buffer.from(fs.readFileSync(file as string));
    bad[400] = (bad[400] ?? 0) ^ 1;
    const tampered = path.join(app.dir, 'tampered.pdf');
    fs.writeFileSync(tampered, bad);
    const t = run(tampered);
    expect(t.stdout).toMatch(/signature:\s+INVALID/);
    expect(t.status).toBe(1);
    app.close();
    const writer = openApp({ dir: app.dir, file: app.file });
    await writer.ok('certificates.revoke', { id: cert.id, reason: '재평가' });
    writer.close();
    const revoked = run(file as string, '--db', app.file);
    expect(revoked.stdout).toMatch(/register:\s+revoked/);
    expect(revoked.status).toBe(1);
  });
});

describe('reading a signature out of its padded placeholder', () => {
  it('keeps a last byte 0x00 (the DER says its length; the padding is not trimmed)', () => {
    // A DER value whose last byte is zero, written into a zero-padded placeholder as the signer does.
    const der = forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, '\x12\x34\x00')).getBytes();
    const padded = forge.util.bytesToHex(der) + '0'.repeat(64);
    const parsed = signatureAsn1(padded);
    expect(forge.util.bytesToHex(parsed.value as string)).toBe('123400');
  });
});
