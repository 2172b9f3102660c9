/**
 * The assessor's signing key: an RSA key and a self-signed X.509 certificate in a PKCS#12 file the app
 * creates on first use. Where the operating system offers a key store (Electron's safeStorage: Keychain,
 * DPAPI, libsecret), a random P12 password is kept encrypted by it; otherwise the user's passphrase
 * protects the P12 itself and must be given to sign. This module never imports `electron`: main passes
 * the protector in.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { romanize } from 'es-hangul';
import { AppError } from '#shared/contract/errors';

/** Encrypts small secrets with the OS key store (safeStorage in the app). */
export interface SecretProtector {
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}

export interface KeyInfo {
  exists: boolean;
  mode: 'os' | 'passphrase';
  subject: string | null;
  fingerprint: string | null;
  validTo: string | null;
}

export const MIN_PASSPHRASE = 8;

export class KeyStore {
  private readonly p12File: string;
  private readonly secretFile: string;

  constructor(
    private readonly dir: string,
    private readonly protector: SecretProtector | null,
  ) {
    this.p12File = path.join(dir, 'signing.p12');
    this.secretFile = path.join(dir, 'signing.secret');
  }

  get mode(): 'os' | 'passphrase' {
    return this.protector ? 'os' : 'passphrase';
  }

  info(): KeyInfo {
    if (!fs.existsSync(this.p12File)) return { exists: false, mode: this.mode, subject: null, fingerprint: null, validTo: null };
    const pem = fs.existsSync(`${this.p12File}.crt`) ? fs.readFileSync(`${this.p12File}.crt`, 'utf8') : null;
    const cert = pem ? new crypto.X509Certificate(pem) : null;
    return { exists: true, mode: this.mode, subject: cert?.subject ?? null, fingerprint: cert?.fingerprint256 ?? null, validTo: cert ? new Date(cert.validTo).toISOString() : null };
  }

  /** The P12 and its password, creating the key on first use. */
  unlock(signerName: string, passphrase: string | undefined): { p12: Buffer; password: string; certPem: string } {
    if (!fs.existsSync(this.p12File)) this.create(signerName, passphrase);
    const password = this.protector ? this.protector.decrypt(fs.readFileSync(this.secretFile)) : this.requirePassphrase(passphrase);
    const p12 = fs.readFileSync(this.p12File);
    try {
      const asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
      forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
    } catch {
      throw new AppError({ code: 'validation', messageKey: 'errors.keystore.wrongPassphrase', fields: { passphrase: { key: 'errors.keystore.wrongPassphrase' } } });
    }
    return { p12, password, certPem: fs.readFileSync(`${this.p12File}.crt`, 'utf8') };
  }

  private requirePassphrase(passphrase: string | undefined): string {
    if (!passphrase) throw new AppError({ code: 'validation', messageKey: 'errors.keystore.passphraseRequired', fields: { passphrase: { key: 'validation.required' } } });
    return passphrase;
  }

  private create(signerName: string, passphrase: string | undefined): void {
    let password: string;
    if (this.protector) password = crypto.randomBytes(24).toString('base64');
    else {
      password = this.requirePassphrase(passphrase);
      if (password.length < MIN_PASSPHRASE) throw new AppError({ code: 'validation', messageKey: 'errors.keystore.weakPassphrase', params: { min: MIN_PASSPHRASE }, fields: { passphrase: { key: 'errors.keystore.weakPassphrase', params: { min: MIN_PASSPHRASE } } } });
    }
    // Node generates the key (fast, native); forge builds the certificate and the PKCS#12.
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
    const now = new Date();
    cert.validity.notBefore = new Date(now.getTime() - 60_000);
    cert.validity.notAfter = new Date(now.getFullYear() + 5, now.getMonth(), now.getDate());
    const attrs = [
      // ASCII only: @signpdf's CMS (forge) re-encodes a UTF8String issuer so that verifiers (NSS) cannot match
      // the signer; the Korean name is romanised here and printed in full on the certificate itself.
      { name: 'commonName', value: asciiName(signerName) },
      { name: 'organizationName', value: 'DX Mentor level confirmation' },
      { name: 'countryName', value: 'KR' },
    ];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.setExtensions([
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(key, forge.md.sha256.create());
    const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], password, { algorithm: '3des', friendlyName: 'dx-mentor-signing' });
    fs.mkdirSync(this.dir, { recursive: true });
    const write = (file: string, data: Buffer | string) => {
      const tmp = `${file}.tmp`;
      fs.writeFileSync(tmp, data, { mode: 0o600 });
      fs.renameSync(tmp, file);
    };
    if (this.protector) write(this.secretFile, this.protector.encrypt(password));
    write(`${this.p12File}.crt`, forge.pki.certificateToPem(cert));
    write(this.p12File, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'));
  }
}

/** "김평가" → "Gimpyeongga"; anything else outside printable ASCII is dropped. */
export function asciiName(name: string): string {
  const roman = romanize(name).replace(/[^A-Za-z0-9 .'-]/g, '').trim();
  const cased = roman.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  return cased ? `${cased} (DX Mentor assessor)` : 'DX Mentor assessor';
}
