import { Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconArchive, IconEdit, IconRestore } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { formatBrn } from '#shared/domain/brn';
import { formatDate, formatDateTime, formatKrw, formatKrwFull, formatNumber } from '#shared/domain/format';
import { ksicName } from '#shared/domain/ksic';
import { regionName } from '#shared/domain/regions';
import { useOp, useOpMutation } from '../api.ts';
import { ActionItems } from '../assessment/ActionItems.tsx';
import { CompanyAssessments } from '../assessment/CompanyAssessments.tsx';
import { ArchivedBadge, ErrorAlert, Field, PageHeader, useNotify } from '../components/common.tsx';
import { CompanyLevels, CompanyProjects, TrackRecordCard } from '../project/ProjectCards.tsx';
import { OrgStandingBadge, PortalCard, SanctionsCard, SupplierDiagnoses, VcLinkCard } from '../supplier/SupplierPanels.tsx';

type Kind = 'company' | 'supplier';

function PairAssign({ companyId, current }: { companyId: string; current: string | null }) {
  const { t } = useTranslation('registry');
  const notify = useNotify();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 150);
  const pairs = useOp('pairs.list', { query: debounced });
  const assign = useOpMutation('pairs.assign');
  const data = (pairs.data?.rows ?? []).map((p) => ({
    value: p.id,
    label: t('pair.label', { process: p.processMentor, ai: p.aiMentor }),
  }));
  return (
    <Select
      label={t('company.assignPair')}
      placeholder={t('company.pickPair')}
      searchable
      clearable
      clearButtonProps={{ 'aria-label': t('company.clearPair') }}
      data={data}
      value={current}
      onSearchChange={setSearch}
      nothingFoundMessage={t('pair.none')}
      onChange={(pairId) =>
        assign.mutate(
          { companyId, pairId },
          { onSuccess: () => notify.saved(t(pairId ? 'company.pairAssigned' : 'company.pairRemoved')), onError: notify.failed },
        )
      }
    />
  );
}

export function OrgDetailPage({ kind }: { kind: Kind }) {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation(['registry', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const base = kind === 'company' ? '/companies' : '/suppliers';
  const detail = useOp(kind === 'company' ? 'companies.get' : 'suppliers.get', { id });
  const archive = useOpMutation(kind === 'company' ? 'companies.archive' : 'suppliers.archive');
  const restore = useOpMutation(kind === 'company' ? 'companies.restore' : 'suppliers.restore');
  const [confirmOpen, confirm] = useDisclosure(false);
  const d = detail.data;
  if (detail.error) return <ErrorAlert error={detail.error} />;
  if (!d) return null;

  return (
    <Stack gap="md" maw={1200}>
      <PageHeader
        title={d.name}
        subtitle={`${t('fields.brn')} ${formatBrn(d.brn)} · ${regionName(d.region, lang)} · ${t('detail.updated', { when: formatDateTime(d.updatedAt, lang) })}`}
        badges={
          <>
            {d.deletedAt && <ArchivedBadge />}
            <OrgStandingBadge orgId={d.id} />
          </>
        }
        actions={
          d.deletedAt ? (
            <Button
              leftSection={<IconRestore size={16} aria-hidden />}
              onClick={() => restore.mutate({ id }, { onSuccess: () => notify.saved(t('detail.restored')), onError: notify.failed })}
            >
              {t('common:actions.restore')}
            </Button>
          ) : (
            <>
              <Button variant="default" leftSection={<IconArchive size={16} aria-hidden />} onClick={confirm.open}>
                {t('common:actions.archive')}
              </Button>
              <Button component={Link} to={`${base}/${id}/edit`} leftSection={<IconEdit size={16} aria-hidden />}>
                {t('common:actions.edit')}
              </Button>
            </>
          )
        }
      />
      <Modal opened={confirmOpen} onClose={confirm.close} title={t('detail.archiveTitle', { name: d.name })}>
        <Text size="sm" mb="md">
          {t('detail.archiveBody')}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={confirm.close}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            color="red"
            onClick={() =>
              archive.mutate({ id }, { onSuccess: () => (confirm.close(), notify.saved(t('detail.archived'))), onError: notify.failed })
            }
          >
            {t('common:actions.archive')}
          </Button>
        </Group>
      </Modal>

      <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
        <Card withBorder style={{ gridColumn: 'span 2' }}>
          <Title order={2} size="h4" mb="sm">
            {t('form.basics')}
          </Title>
          <SimpleGrid cols={3} spacing="md">
            <Field label={t('fields.representative')}>{d.representative}</Field>
            <Field label={t('fields.region')}>{regionName(d.region, lang)}</Field>
            <Field label={t('fields.industry')}>
              {d.ksicCode} {d.industryName || ksicName(d.ksicCode, lang)}
            </Field>
            <Field label={t('fields.employees')}>{d.employees === null ? '—' : formatNumber(d.employees, lang)}</Field>
            <Field label={t('fields.foundedOn')}>{d.foundedOn ? formatDate(d.foundedOn, lang) : '—'}</Field>
            <Field label={t('fields.address')}>{d.address || '—'}</Field>
          </SimpleGrid>
          {d.notes && (
            <Stack gap={2} mt="md">
              <Text size="xs" c="dimmed" fw={500}>
                {t('fields.notes')}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {d.notes}
              </Text>
            </Stack>
          )}
        </Card>
        {kind === 'company' ? (
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('fields.mentorPair')}
            </Title>
            {d.pair ? (
              <Stack gap={4} mb="sm">
                <Text size="sm">{t('pair.process', { name: d.pair.processMentor })}</Text>
                <Text size="sm">{t('pair.ai', { name: d.pair.aiMentor })}</Text>
                <Text size="xs" c="dimmed">
                  {t('pair.since', { date: formatDate(d.pair.assignedOn, lang) })}
                </Text>
              </Stack>
            ) : (
              <Text size="sm" c="dimmed" mb="sm">
                {t('company.unassigned')}
              </Text>
            )}
            {!d.deletedAt && <PairAssign companyId={d.id} current={d.pair?.id ?? null} />}
          </Card>
        ) : (
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('form.supplierProfile')}
            </Title>
            <Group gap={6} mb="sm">
              {d.techFields.map((f) => (
                <Badge key={f} variant="outline" color="indigo">
                  {t(`tech.${f}`)}
                </Badge>
              ))}
            </Group>
            <Field label={t('fields.buildRecordCount')}>{d.buildRecordCount === null ? '—' : formatNumber(d.buildRecordCount, lang)}</Field>
          </Card>
        )}
      </SimpleGrid>

      {kind === 'company' && <CompanyAssessments companyId={d.id} archived={d.deletedAt !== null} />}
      {kind === 'company' && <ActionItems companyId={d.id} archived={d.deletedAt !== null} />}
      {kind === 'company' && <CompanyProjects companyId={d.id} archived={d.deletedAt !== null} />}
      {kind === 'company' && <CompanyLevels companyId={d.id} archived={d.deletedAt !== null} />}
      {kind === 'supplier' && <SupplierDiagnoses supplierId={d.id} archived={d.deletedAt !== null} />}
      {kind === 'supplier' && <TrackRecordCard supplierId={d.id} />}
      {kind === 'supplier' && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          <VcLinkCard supplierId={d.id} />
          <PortalCard supplierId={d.id} archived={d.deletedAt !== null} />
        </SimpleGrid>
      )}
      <SanctionsCard orgId={d.id} archived={d.deletedAt !== null} />

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('form.financials')}
          </Title>
          {d.financials.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('detail.noFinancials')}
            </Text>
          ) : (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('fields.fiscalYear')}</Table.Th>
                  <Table.Th className="num">{t('fields.revenue')}</Table.Th>
                  <Table.Th className="num">{t('fields.operatingProfit')}</Table.Th>
                  <Table.Th className="num">{t('fields.margin')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.financials.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>{f.fiscalYear}</Table.Td>
                    <Table.Td className="num" title={f.revenue === null ? undefined : formatKrwFull(f.revenue, lang)}>
                      {f.revenue === null ? '—' : formatKrw(f.revenue, lang)}
                    </Table.Td>
                    <Table.Td className="num" c={f.operatingProfit !== null && f.operatingProfit < 0 ? 'red.8' : undefined}>
                      {f.operatingProfit === null ? '—' : formatKrw(f.operatingProfit, lang)}
                    </Table.Td>
                    <Table.Td className="num">
                      {f.revenue && f.operatingProfit !== null ? `${((f.operatingProfit / f.revenue) * 100).toFixed(1)}%` : '—'}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('form.contacts')}
          </Title>
          {d.contacts.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('detail.noContacts')}
            </Text>
          ) : (
            <Table>
              <Table.Tbody>
                {d.contacts.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td fw={600}>{c.name}</Table.Td>
                    <Table.Td>{c.role}</Table.Td>
                    <Table.Td>{c.phone}</Table.Td>
                    <Table.Td>{c.email}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Card>
        {kind === 'supplier' && (
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('fields.vcInvestments')}
            </Title>
            {d.vcInvestments.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('detail.noVc')}
              </Text>
            ) : (
              <Table>
                <Table.Tbody>
                  {d.vcInvestments.map((v) => (
                    <Table.Tr key={v.id}>
                      <Table.Td>{formatDate(v.investedOn, lang)}</Table.Td>
                      <Table.Td className="num">{formatKrw(v.amount, lang)}</Table.Td>
                      <Table.Td>{v.investor}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        )}
      </SimpleGrid>
    </Stack>
  );
}
