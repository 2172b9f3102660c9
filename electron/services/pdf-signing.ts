/**
 * Digital signatures on PDFs: a detached CMS signature (PAdES-style, SubFilter ETSI.CAdES.detached) made
 * with @signpdf over the whole file except the signature itself, and an offline verifier that checks the
 * byte range covers the file, the signed digest matches the bytes and the signature matches the signer's
 * certificate.
 */
import crypto from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import forge from 'node-forge';

export async function signPdf(pdf: Buffer, p12: Buffer, password: string, meta: { reason: string; name: string; location: string; contactInfo: string }): Promise<Buffer> {
  // The signature dictionary's strings are written as plain PDF literals: keep them ASCII (the signer's real
  // name is in the certificate).
  const ascii = (s: string, fallback: string) => (/^[\x20-\x7e]*$/.test(s) && !/[()\\]/.test(s) ? s : fallback);
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: ascii(meta.reason, 'Certificate'),
    name: ascii(meta.name, 'DX Mentor assessor'),
    location: ascii(meta.location, 'KR'),
    contactInfo: ascii(meta.contactInfo, ''),
    signatureLength: 8192,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'DXMentor',
  });
  return new SignPdf().sign(withPlaceholder, new P12Signer(p12, { passphrase: password }));
}

export interface SignatureCheck {
  /** The signature is intact and made by the certificate it carries. */
  valid: boolean;
  /** Why not, as an i18n key. */
  problem: 'verify.noSignature' | 'verify.notWholeFile' | 'verify.digestMismatch' | 'verify.badSignature' | 'verify.malformed' | null;
  signer: string | null;
  certFingerprint: string | null;
  signedAt: string | null;
}

const OID_MESSAGE_DIGEST = forge.pki.oids.messageDigest as string;
const OID_SIGNING_TIME = forge.pki.oids.signingTime as string;

/**
 * The signature's DER from the <hex> placeholder it was written into, padded with zeros. The DER says its own
 * length; the padding is ignored by that, not trimmed: a signature whose last byte is 0x00 (one in 256) lost
 * it to trimming and was reported unreadable.
 */
export function signatureAsn1(paddedHex: string): forge.asn1.Asn1 {
  // node-forge takes an options object here (its typings only know the older boolean).
  const fromDer = forge.asn1.fromDer as unknown as (bytes: string, options: { parseAllBytes: boolean }) => forge.asn1.Asn1;
  return fromDer(forge.util.hexToBytes(paddedHex), { parseAllBytes: false });
}

export function verifyPdfSignature(pdf: Buffer): SignatureCheck {
  const none = { signer: null, certFingerprint: null, signedAt: null };
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  if (at < 0) return { valid: false, problem: 'verify.noSignature', ...none };
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 200));
  if (!m) return { valid: false, problem: 'verify.malformed', ...none };
  const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
  // The signed ranges must cover the whole file except the signature's <hex> itself.
  if (a !== 0 || c + d !== pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return { valid: false, problem: 'verify.notWholeFile', ...none };
  const signed = Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
  try {
    const p7 = forge.pkcs7.messageFromAsn1(signatureAsn1(text.slice(b + 1, c - 1))) as forge.pkcs7.PkcsSignedData & {
      rawCapture: { authenticatedAttributes?: forge.asn1.Asn1[]; signature: string };
    };
    const cert = p7.certificates[0];
    const raw = p7.rawCapture;
    if (!cert || !raw.authenticatedAttributes) return { valid: false, problem: 'verify.malformed', ...none };
    let digest: string | null = null;
    let signedAt: string | null = null;
    for (const attr of raw.authenticatedAttributes) {
      const seq = attr.value as forge.asn1.Asn1[];
      const oid = forge.asn1.derToOid((seq[0] as forge.asn1.Asn1).value as string);
      const value = ((seq[1] as forge.asn1.Asn1).value as forge.asn1.Asn1[])[0] as forge.asn1.Asn1;
      if (oid === OID_MESSAGE_DIGEST) digest = forge.util.bytesToHex(value.value as string);
      if (oid === OID_SIGNING_TIME) signedAt = forge.asn1.utcTimeToDate(value.value as string).toISOString();
    }
    const certPem = forge.pki.certificateToPem(cert);
    const x509 = new crypto.X509Certificate(certPem);
    const cn = (cert.subject.getField('CN') as { value?: string } | null)?.value;
    const info = { signer: cn ? forge.util.decodeUtf8(cn) : x509.subject, certFingerprint: x509.fingerprint256, signedAt };
    if (digest !== crypto.createHash('sha256').update(signed).digest('hex')) return { valid: false, problem: 'verify.digestMismatch', ...info };
    // The signature is over the DER of the signed attributes as a SET.
    const attrsDer = Buffer.from(forge.asn1.toDer(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, raw.authenticatedAttributes)).getBytes(), 'binary');
    const ok = crypto.verify('sha256', attrsDer, x509.publicKey, Buffer.from(raw.signature, 'binary'));
    return { valid: ok, problem: ok ? null : 'verify.badSignature', ...info };
  } catch {
    return { valid: false, problem: 'verify.malformed', ...none };
  }
}
