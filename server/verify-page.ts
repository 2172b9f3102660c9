/**
 * The public verification page (/verify): server-rendered HTML, no scripts, no external assets, Korean with
 * English. Every value that came from a request or the database goes through `escapeHtml`. The only inline
 * style is allowed by its hash in a strict Content-Security-Policy.
 */
import crypto from 'node:crypto';
import type { PublicCertificate } from './certificates.ts';

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Bilingual strings of the page ([Korean, English]); the desktop i18n files are not used on the server. */
const T = {
  title: ['수준확인서 진위 확인', 'Certificate verification'],
  intro: ['확인서 번호(QR 코드의 내용도 가능)를 입력하면 등록부의 상태를 보여 드립니다. 데이터 해시를 함께 넣으면 문서의 해시와 비교합니다.', 'Enter the certificate number (or the text of its QR code) to see its status in the register. Add the data hash to compare it with the document.'],
  number: ['확인서 번호', 'Certificate number'],
  hash: ['데이터 해시 (SHA-256, 선택)', 'Data hash (SHA-256, optional)'],
  submit: ['확인', 'Verify'],
  badNumber: ['확인서 번호 형식이 아닙니다 (예: DXM-2027-00001).', 'This is not a certificate number (e.g. DXM-2027-00001).'],
  badHash: ['데이터 해시는 16진수 64자리여야 합니다.', 'The data hash must be 64 hexadecimal digits.'],
  unknown: ['등록되지 않은 번호입니다. 번호를 다시 확인하거나 발급 기관에 문의하십시오.', 'No certificate with this number is registered. Check the number or ask the issuing office.'],
  valid: ['유효한 확인서입니다', 'Valid certificate'],
  revoked: ['취소된 확인서입니다', 'Revoked certificate'],
  expired: ['유효기간이 지난 확인서입니다', 'Expired certificate'],
  hashMatch: ['문서의 데이터 해시가 등록부와 일치합니다.', 'The document’s data hash matches the register.'],
  hashMismatch: ['문서의 데이터 해시가 등록부와 다릅니다. 문서가 변경되었을 수 있습니다.', 'The document’s data hash differs from the register. The document may have been altered.'],
  company: ['기업명', 'Company'],
  capability: ['역량 수준', 'Capability level'],
  built: ['구축 수준', 'Built-system level'],
  issuedOn: ['발급일', 'Issued on'],
  validUntil: ['유효기간', 'Valid until'],
  office: ['발급 기관', 'Issuing office'],
  dataHash: ['데이터 해시', 'Data hash'],
  revokedAt: ['취소 일시', 'Revoked at'],
  reason: ['취소 사유', 'Reason'],
  busy: ['지금은 확인할 수 없습니다. 잠시 후 다시 시도하십시오.', 'Verification is unavailable right now. Please try again shortly.'],
} as const satisfies Record<string, readonly [string, string]>;

const BUILT = { basic: ['기초', 'Basic'], intermediate1: ['중간1', 'Intermediate 1'], intermediate2: ['중간2', 'Intermediate 2'], advanced: ['고도화', 'Advanced'] } as const;

const both = (key: keyof typeof T) => `${escapeHtml(T[key][0])} <span class="en">${escapeHtml(T[key][1])}</span>`;

const STYLE = `body{font-family:system-ui,"Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR",sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
h1{font-size:1.5rem}.en{color:#5b6067;font-size:.9em}label{display:block;margin-top:.8rem;font-weight:600}
input{font:inherit;width:100%;box-sizing:border-box;padding:.45rem;border:1px solid #9aa0a6;border-radius:4px}
button{font:inherit;margin-top:1rem;padding:.5rem 1.4rem;border:0;border-radius:4px;background:#1c4f9c;color:#fff;cursor:pointer}
.result{margin-top:1.5rem;padding:1rem;border-radius:6px;border:2px solid}.valid{border-color:#2b8a3e;background:#ebfbee}
.revoked,.mismatch,.error{border-color:#c92a2a;background:#fff5f5}.expired,.unknown{border-color:#e67700;background:#fff9db}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
code{font-size:.85em}`;

/** The page's Content-Security-Policy: nothing may load or run; only the one inline style block, by hash. */
export const VERIFY_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${crypto.createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type VerifyOutcome =
  | { kind: 'empty' }
  | { kind: 'badNumber' }
  | { kind: 'badHash'; certificate: PublicCertificate | null }
  | { kind: 'unknown' }
  | { kind: 'found'; certificate: PublicCertificate; hashMatches: boolean | null }
  | { kind: 'unavailable' };

function certificateDetails(c: PublicCertificate): string {
  const built = BUILT[c.builtLevel as keyof typeof BUILT];
  const rows: [keyof typeof T, string][] = [
    ['company', escapeHtml(c.companyName)],
    ['capability', `Level ${escapeHtml(c.capabilityLevel)}`],
    ['built', built ? `${escapeHtml(built[0])} <span class="en">${escapeHtml(built[1])}</span>` : escapeHtml(c.builtLevel)],
    ['issuedOn', escapeHtml(c.issuedOn)],
    ['validUntil', escapeHtml(c.validUntil)],
    ['office', escapeHtml(c.issuingOffice)],
    ['dataHash', `<code>${escapeHtml(c.dataHash)}</code>`],
  ];
  if (c.status === 'revoked') rows.push(['revokedAt', escapeHtml(c.revokedAt ?? '')], ['reason', escapeHtml(c.reason ?? '')]);
  return `<dl>${rows.map(([k, v]) => `<dt>${both(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function resultHtml(outcome: VerifyOutcome, number: string): string {
  switch (outcome.kind) {
    case 'empty':
      return '';
    case 'badNumber':
      return `<section class="result error" id="result" data-status="invalid"><p>${both('badNumber')}</p></section>`;
    case 'unknown':
      return `<section class="result unknown" id="result" data-status="unknown"><p><strong>${escapeHtml(number)}</strong></p><p>${both('unknown')}</p></section>`;
    case 'unavailable':
      return `<section class="result error" id="result" data-status="unavailable"><p>${both('busy')}</p></section>`;
    case 'badHash':
      return `<section class="result error" id="result" data-status="invalid-hash"><p>${both('badHash')}</p>${outcome.certificate ? certificateDetails(outcome.certificate) : ''}</section>`;
    case 'found': {
      const c = outcome.certificate;
      const hash =
        outcome.hashMatches === null
          ? ''
          : outcome.hashMatches
            ? `<p class="hash match" data-hash="match">${both('hashMatch')}</p>`
            : `<p class="hash mismatch" data-hash="mismatch"><strong>${both('hashMismatch')}</strong></p>`;
      const cls = outcome.hashMatches === false ? 'mismatch' : c.status;
      return `<section class="result ${escapeHtml(cls)}" id="result" data-status="${escapeHtml(c.status)}"><h2>${escapeHtml(c.number)} — ${both(c.status)}</h2>${hash}${certificateDetails(c)}</section>`;
    }
  }
}

export function renderVerifyPage(input: { number: string; hash: string }, outcome: VerifyOutcome): string {
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(T.title[0])} · ${escapeHtml(T.title[1])}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${both('title')}</h1>
<p>${escapeHtml(T.intro[0])}<br><span class="en">${escapeHtml(T.intro[1])}</span></p>
<form method="get" action="/verify">
<label for="number">${both('number')}</label>
<input id="number" name="number" required maxlength="200" autocomplete="off" spellcheck="false" placeholder="DXM-2027-00001" value="${escapeHtml(input.number)}">
<label for="hash">${both('hash')}</label>
<input id="hash" name="hash" maxlength="200" autocomplete="off" spellcheck="false" value="${escapeHtml(input.hash)}">
<button type="submit">${both('submit')}</button>
</form>
${resultHtml(outcome, input.number)}
</main>
</body>
</html>
`;
}
