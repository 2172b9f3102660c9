import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { startCentral, startOfficeLaptop } from './central.ts';
import { expect, test } from './fixtures.ts';
import { VALID_BRN } from './helpers.ts';
import { MIDDLING_ANSWERS } from '../fixtures/company-dx-answers.ts';

test.setTimeout(240_000);

async function enrol(page: Page, serverUrl: string, code: string, name: string) {
  await page.getByRole('link', { name: '동기화', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '동기화' })).toBeVisible();
  await page.getByLabel('서버 주소').fill(serverUrl);
  await page.getByLabel('등록 코드').fill(code);
  await page.getByLabel('이 노트북 이름').fill(name);
  await page.getByRole('button', { name: '등록', exact: true }).click();
  await expect(page.getByText(`중앙 서비스 ${serverUrl}와 동기화합니다`)).toBeVisible();
}

async function syncNow(page: Page) {
  await page.getByRole('link', { name: '동기화', exact: true }).click();
  // The previous round's message may still be on screen: close it first, so the one awaited is this round's.
  const done = page.getByRole('alert').filter({ hasText: /^보냄 \d+건 · 받음 \d+건/ });
  const failed = page.getByRole('alert').filter({ hasText: '처리하지 못했습니다' });
  for (const n of await done.or(failed).all()) await n.getByRole('button', { name: '닫기' }).click({ timeout: 2000 }).catch(() => undefined);
  await expect(done.or(failed)).toHaveCount(0);
  await page.getByRole('button', { name: '지금 동기화' }).click();
  // A failed round says why: fail with that rather than wait for a message that will not come.
  await expect(done.or(failed).last()).toBeVisible();
  if ((await failed.count()) > 0) throw new Error(`sync round failed: ${await failed.last().innerText()}`);
  await expect(page.getByTestId('sync-pending')).toContainText('0');
}

test('two laptops fill one assessment offline, sync through the central service, and resolve a same-field conflict', async ({ app, secondApp }, testInfo) => {
  const central = await startCentral(testInfo.outputPath('central'));
  const office = await startOfficeLaptop(testInfo.outputPath('office', 'dx.db'));
  try {
    // The central office: its laptop holds the mentor registry; the service has an account for each person.
    const org = await central.admin<{ id: string }>('POST', '/api/admin/organizations', { name: '경기테크노파크', kind: 'regional_tp', region: '41' });
    const mentor = (name: string, expertise: 'process' | 'ai') =>
      office.invoke<{ id: string }>('mentors.create', { name, affiliationType: expertise === 'ai' ? 'kaist_institute' : 'meister', affiliationName: '', expertise, region: '41', phone: '', email: '' });
    const kim = await mentor('김공정', 'process');
    const lee = await mentor('이인공', 'ai');
    const pair = await office.invoke<{ id: string }>('pairs.create', { processMentorId: kim.id, aiMentorId: lee.id });
    const user = async (email: string, displayName: string, role: 'admin' | 'mentor', mentorId: string | null) => {
      const u = await central.admin<{ id: string }>('POST', '/api/admin/users', { organizationId: org.id, email, displayName, role, region: '41', mentorId });
      return (await central.admin<{ code: string }>('POST', `/api/admin/users/${u.id}/enrolment-codes`)).code;
    };
    const officeCode = await user('office@gtp.or.kr', '사무국', 'admin', null);
    const kimCode = await user('kim@gtp.or.kr', '김공정', 'mentor', kim.id);
    const leeCode = await user('lee@gtp.or.kr', '이인공', 'mentor', lee.id);
    await office.invoke('sync.enrol', { serverUrl: central.url, code: officeCode, deviceName: '사무국 PC' });
    await office.invoke('sync.now', {});

    // Kim's laptop: enrols in the app and registers the company with its assessment.
    const a = app.page;
    await enrol(a, central.url, kimCode, '김공정 노트북');
    const { assessmentId, companyId } = await a.evaluate(async (brn) => {
      const call = async (name: string, input: unknown) => {
        const r = (await window.dx.invoke(name, input)) as { ok: boolean; value: { id: string } };
        if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r)}`);
        return r.value;
      };
      const company = await call('companies.create', { brn, name: '한빛정밀', representative: '김대표', region: '41', address: '', ksicCode: '29171', industryName: '', employees: 40, foundedOn: null, notes: '', financials: [], contacts: [] });
      const assessment = await call('assessments.create', { companyId: company.id, visitId: null, instrumentId: 'company-dx' });
      return { assessmentId: assessment.id, companyId: company.id };
    }, VALID_BRN);
    await syncNow(a);
    // The office assigns the company to Kim and Lee's pair.
    await office.invoke('sync.now', {});
    await office.invoke('pairs.assign', { companyId, pairId: pair.id });
    await office.invoke('sync.now', {});

    // Lee's laptop: enrols and receives the company, the assessment and the pair.
    const b = secondApp.page;
    await enrol(b, central.url, leeCode, '이인공 노트북');
    await syncNow(b);
    await b.getByRole('link', { name: '중소기업', exact: true }).click();
    await expect(b.getByRole('link', { name: '한빛정밀' })).toBeVisible();

    // The network goes down. Each fills a different section of the same assessment.
    await central.stop();
    const item = (page: Page, id: string) => page.locator(`[data-item="${id}"]`);
    const openAssessment = async (page: Page) => {
      await page.goto(`${new URL(page.url()).origin}/#/assessments/${assessmentId}`);
      await expect(page.getByRole('heading', { level: 1 })).toContainText('한빛정밀');
    };
    await openAssessment(a);
    await item(a, 'ceo_vision').getByLabel('3 — 목표는 말하지만 계획·예산이 없음').check();
    await openAssessment(b);
    await item(b, 'org_staff').locator('input').first().fill('2');
    await item(b, 'org_staff').locator('input').first().blur();
    await expect(b.getByTestId('sync-indicator')).toContainText('보낼 변경');

    // Back online: both sync; each laptop shows both answers.
    await central.start();
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    for (const page of [a, b]) {
      await openAssessment(page);
      await expect(item(page, 'ceo_vision').getByLabel('3 — 목표는 말하지만 계획·예산이 없음')).toBeChecked();
      await expect(item(page, 'org_staff').locator('input').first()).toHaveValue('2 명');
    }

    // Offline again, both change the same answer differently: a conflict both see, resolved on Lee's laptop.
    await central.stop();
    await openAssessment(a);
    await item(a, 'ceo_vision').getByLabel('5 — 목표·로드맵·예산을 직접 정하고 정기 점검').check();
    await openAssessment(b);
    await item(b, 'ceo_vision').getByLabel('1 — DX 필요성을 언급하지 않음').check();
    await central.start();
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    for (const page of [a, b]) await expect(page.getByTestId('sync-indicator')).toHaveText('충돌 1건');
    const conflicts = b.getByTestId('conflicts');
    await expect(conflicts).toContainText('한빛정밀');
    await expect(conflicts).toContainText('5');
    await expect(conflicts).toContainText('1');
    const serious = (await new AxeBuilder({ page: b }).analyze()).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => v.id)).toEqual([]);
    await b.screenshot({ path: testInfo.outputPath('conflict.png'), fullPage: true });
    // Lee keeps Kim's answer (5), whichever side the merge kept.
    const row = conflicts.getByRole('row').nth(1);
    const keep5 = row.getByRole('button', { name: /^(지금 값 유지|다른 값 선택): 5$/ });
    await keep5.click();
    await expect(b.getByText('충돌을 해결했습니다. 다음 동기화 때 동료에게도 반영됩니다.')).toBeVisible();
    await expect(b.getByText('해결할 충돌이 없습니다')).toBeVisible();
    await syncNow(b);
    await syncNow(a);
    for (const page of [a, b]) {
      await expect(page.getByTestId('sync-indicator')).toHaveText('동기화됨');
      await openAssessment(page);
      await expect(item(page, 'ceo_vision').getByLabel('5 — 목표·로드맵·예산을 직접 정하고 정기 점검')).toBeChecked();
    }

    // A contact deleted on Kim's laptop while Lee, offline, corrects its phone: a conflict both see; Lee restores it.
    const company = { brn: VALID_BRN, name: '한빛정밀', representative: '김대표', region: '41', address: '', ksicCode: '29171', industryName: '', employees: 40, foundedOn: null, notes: '', financials: [] };
    const invoke = (page: Page, name: string, input: unknown) =>
      page.evaluate(
        async ([n, i]) => {
          const r = (await window.dx.invoke(n, i)) as { ok: boolean; value: unknown };
          if (!r.ok) throw new Error(`${n}: ${JSON.stringify(r)}`);
          return r.value;
        },
        [name, input] as const,
      );
    const contactsOf = async (page: Page) => ((await invoke(page, 'companies.get', { id: companyId })) as { contacts: { id: string; name: string; role: string; phone: string; email: string }[] }).contacts;
    await invoke(a, 'companies.update', { ...company, id: companyId, contacts: [{ name: '박담당', role: '생산관리', phone: '031-400-1000', email: '' }] });
    await syncNow(a);
    await syncNow(b);
    const [contact] = await contactsOf(b);
    await central.stop();
    await invoke(a, 'companies.update', { ...company, id: companyId, contacts: [] });
    await invoke(b, 'companies.update', { ...company, id: companyId, contacts: [{ ...contact, phone: '031-400-2000' }] });
    await central.start();
    await syncNow(a);
    await syncNow(b);
    await syncNow(a);
    for (const page of [a, b]) await expect(page.getByTestId('sync-indicator')).toHaveText('충돌 1건');
    await expect(conflicts).toContainText('삭제와 수정이 엇갈림');
    await expect(conflicts).toContainText('복원 (수정 내용 유지)');
    await b.screenshot({ path: testInfo.outputPath('delete-race.png'), fullPage: true });
    await conflicts.getByRole('row').nth(1).getByRole('button', { name: '복원', exact: true }).click();
    await expect(b.getByText('해결할 충돌이 없습니다')).toBeVisible();
    await syncNow(b);
    await syncNow(a);
    for (const page of [a, b]) {
      await expect(page.getByTestId('sync-indicator')).toHaveText('동기화됨');
      expect(await contactsOf(page)).toEqual([{ ...contact, phone: '031-400-2000' }]);
    }

    // Kim completes and signs the assessment while Lee, offline, changes an answer. Back online, whichever
    // reaches the service first stands (each laptop also syncs in the background): Kim's signature, and Lee's
    // answer is refused; or Lee's answer, and Kim's signature is refused and the assessment opens again. The
    // laptop that lost says so in its header and lists the refused change; both then hold the same.
    for (const [itemId, value] of Object.entries(MIDDLING_ANSWERS)) await invoke(a, 'assessments.saveAnswer', { assessmentId, itemId, value });
    await syncNow(a);
    await syncNow(b);
    await central.stop();
    await invoke(a, 'assessments.finalize', { id: assessmentId });
    await openAssessment(a);
    await openAssessment(b);
    await item(b, 'ceo_vision').getByLabel('1 — DX 필요성을 언급하지 않음').check();
    await expect(b.getByTestId('sync-indicator')).toContainText('보낼 변경');
    await central.start();
    // Both sync with the assessment open (asked here directly, as the background does).
    await invoke(a, 'sync.now', {});
    await invoke(b, 'sync.now', {});
    await invoke(a, 'sync.now', {});
    const signed = ((await invoke(a, 'assessments.get', { id: assessmentId })) as { finalizedAt: string | null }).finalizedAt !== null;
    const loser = signed ? b : a;
    await expect(loser.getByTestId('sync-indicator')).toHaveText(/^거절된 변경 \d+건$/);
    // Both open forms show what stands: Kim's signed 3, closed for edits; or Lee's 1, open to be signed again.
    for (const page of [a, b]) {
      const three = item(page, 'ceo_vision').getByLabel('3 — 목표는 말하지만 계획·예산이 없음');
      const one = item(page, 'ceo_vision').getByLabel('1 — DX 필요성을 언급하지 않음');
      await expect(signed ? three : one).toBeChecked();
      if (signed) await expect(one).toBeDisabled();
      else await expect(three).toBeEnabled();
    }
    // The header leads to the refused change, listed with its company and reason; seen, the header no longer says so.
    await loser.getByTestId('sync-indicator').click();
    const reason = signed ? '서명·확정된 기록이라 바꿀 수 없습니다.' : '서명한 내용이 서버의 내용과 다릅니다';
    const refusedList = loser.getByRole('table').filter({ hasText: reason });
    await expect(refusedList).toContainText('한빛정밀');
    await expect(loser.getByText('이 변경은 반영되지 않았습니다.', { exact: false })).toBeVisible();
    await expect(loser.getByTestId('sync-indicator')).not.toHaveText(/거절된 변경/);
    await loser.screenshot({ path: testInfo.outputPath('refused.png'), fullPage: true });
  } finally {
    await office.close();
    await central.stop();
  }
});
