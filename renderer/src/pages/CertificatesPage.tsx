import { Alert, Badge, Button, Card, FileButton, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OpOutput } from '#shared/contract/index';
import { formatDate, formatDateTime } from '#shared/domain/format';
import { call, useOp } from '../api.ts';
import { readAsBase64 } from '../assessment/Evidence.tsx';
import { EmptyState, PageHeader, useNotify } from '../components/common.tsx';

const STATUS_COLOR = { valid: 'teal', expired: 'gray', revoked: 'red' } as const;

/** The certificate register of this laptop, and the offline check of any certificate file. */
export function CertificatesPage() {
  const { t, i18n } = useTranslation('level');
  const lang = i18n.language;
  const notify = useNotify();
  const register = useOp('certificates.register', {});
  const [verified, setVerified] = useState<{ file: string; result: OpOutput<'certificates.verify'> } | null>(null);
  const rows = register.data?.rows ?? [];
  const verify = async (file: File | null) => {
    if (!file) return;
    try {
      setVerified({ file: file.name, result: await call('certificates.verify', { fileName: file.name, data: await readAsBase64(file) }) });
    } catch (err) {
      notify.failed(err);
    }
  };
  const exportPdf = async (id: string) => {
    try {
      const r = await call('certificates.export', { id });
      if (r.path) notify.saved(t('exported', { path: r.path }));
    } catch (err) {
      notify.failed(err);
    }
  };
  const v = verified?.result;
  const genuine = v ? v.signature.valid && v.hashMatches : false;
  return (
    <Stack gap="md" maw={1200}>
      <PageHeader title={t('registerTitle')} subtitle={t('registerSubtitle')} />
      <Card withBorder>
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4">
            {t('verifyTitle')}
          </Title>
          <FileButton onChange={(f) => void verify(f)} accept="application/pdf,.pdf">
            {(props) => (
              <Button {...props} leftSection={<IconShieldCheck size={16} aria-hidden />}>
                {t('verifyChoose')}
              </Button>
            )}
          </FileButton>
        </Group>
        <Text size="xs" c="dimmed">
          {t('verifyHelp')}
        </Text>
        {v && (
          <Alert mt="sm" color={genuine && v.register?.status !== 'revoked' ? 'teal' : 'red'} icon={genuine ? <IconCircleCheck aria-hidden /> : <IconCircleX aria-hidden />} title={t(genuine ? 'verifyGenuine' : 'verifyNotGenuine', { file: verified.file })} data-testid="verify-result">
            <List size="sm">
              <List.Item>{v.signature.valid ? t('sigValid', { signer: v.signature.signer ?? '', at: v.signature.signedAt ? formatDateTime(v.signature.signedAt, lang) : '' }) : t('sigInvalid', { problem: t(v.signature.problem ?? 'verify.malformed') })}</List.Item>
              <List.Item>{v.hashMatches ? t('hashOk') : t('hashBad')}</List.Item>
              <List.Item>{v.register ? t(`registerStatus.${v.register.status}`, { number: v.register.number, reason: v.register.revokedReason ?? '' }) : t('registerUnknown', { number: v.number ?? '—' })}</List.Item>
            </List>
          </Alert>
        )}
      </Card>
      <Card withBorder>
        {rows.length === 0 ? (
          <EmptyState title={t('registerEmpty')} />
        ) : (
          <Table data-testid="register">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('number')}</Table.Th>
                <Table.Th>{t('company')}</Table.Th>
                <Table.Th>{t('capability')}</Table.Th>
                <Table.Th>{t('issuedOn')}</Table.Th>
                <Table.Th>{t('validUntil')}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td ff="monospace">{r.number}</Table.Td>
                  <Table.Td>{r.companyName}</Table.Td>
                  <Table.Td>
                    {t('levelN', { level: r.capabilityLevel })} · {t(`builtLevels.${r.builtLevel}`)}
                  </Table.Td>
                  <Table.Td>{formatDate(r.issuedOn, lang)}</Table.Td>
                  <Table.Td>{formatDate(r.validUntil, lang)}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[r.status]} variant="light">
                      {t(`statuses.${r.status}`)}
                    </Badge>
                    {r.revokedReason && (
                      <Text size="xs" c="dimmed">
                        {r.revokedReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" leftSection={<IconDownload size={12} aria-hidden />} onClick={() => void exportPdf(r.id)}>
                      {t('exportPdf')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}
