import { Card, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatNumber } from '#shared/domain/format';
import { regionName } from '#shared/domain/regions';
import { useOp } from '../api.ts';
import { EmptyState, ErrorAlert, PageHeader } from '../components/common.tsx';
import { Worklist } from '../worklist/Worklist.tsx';

function Stat({ label, value, to, lang }: { label: string; value: number; to?: string; lang: string }) {
  const content = (
    <>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} c="dark.8" className="num" ta="left">
        {formatNumber(value, lang)}
      </Text>
    </>
  );
  return to ? (
    <Card withBorder padding="md" component={Link} to={to} style={{ textDecoration: 'none' }}>
      {content}
    </Card>
  ) : (
    <Card withBorder padding="md">
      {content}
    </Card>
  );
}

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const summary = useOp('dashboard.summary', {});
  const s = summary.data;
  if (summary.error) return <ErrorAlert error={summary.error} />;
  if (!s) return null;
  const max = Math.max(1, ...s.byRegion.map((r) => r.companies));
  const empty = s.companies === 0 && s.suppliers === 0 && s.mentors === 0;
  return (
    <Stack gap="md">
      <PageHeader title={t('dashboard.title')} subtitle={t('dashboard.subtitle')} />
      <SimpleGrid cols={{ base: 2, md: 5 }}>
        <Stat label={t('dashboard.companies')} value={s.companies} to="/companies" lang={lang} />
        <Stat label={t('dashboard.suppliers')} value={s.suppliers} to="/suppliers" lang={lang} />
        <Stat label={t('dashboard.mentors')} value={s.mentors} to="/mentors" lang={lang} />
        <Stat label={t('dashboard.pairs')} value={s.pairs} to="/mentors?tab=pairs" lang={lang} />
        <Stat label={t('dashboard.unassigned')} value={s.unassignedCompanies} lang={lang} />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, md: 6 }}>
        <Stat label={`${t('dashboard.byType')} · ${t('assessment:types.excellent')}`} value={s.byType.excellent} lang={lang} />
        <Stat label={`${t('dashboard.byType')} · ${t('assessment:types.average')}`} value={s.byType.average} lang={lang} />
        <Stat label={`${t('dashboard.byType')} · ${t('assessment:types.weak')}`} value={s.byType.weak} lang={lang} />
        <Stat label={t('dashboard.inProgress')} value={s.assessmentsInProgress} to="/assessments" lang={lang} />
        <Stat label={t('dashboard.visitsThisMonth')} value={s.visitsThisMonth} lang={lang} />
        <Stat label={t('dashboard.actionsDue')} value={s.actionsDue} lang={lang} />
      </SimpleGrid>
      {!empty && <Worklist />}
      {empty ? (
        <Card withBorder>
          <EmptyState title={t('dashboard.emptyTitle')} description={t('dashboard.emptyBody')} />
        </Card>
      ) : (
        <Card withBorder>
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4">
              {t('dashboard.byRegion')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('dashboard.recentChanges', { count: s.recentChanges, formatted: formatNumber(s.recentChanges, lang) })}
            </Text>
          </Group>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dashboard.region')}</Table.Th>
                <Table.Th className="num">{t('dashboard.companies')}</Table.Th>
                <Table.Th w="45%" aria-label={t('dashboard.share')} />
                <Table.Th className="num">{t('dashboard.suppliers')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.byRegion.map((r) => (
                <Table.Tr key={r.region}>
                  <Table.Td>
                    <Link to={`/companies?region=${r.region}`}>{regionName(r.region, lang)}</Link>
                  </Table.Td>
                  <Table.Td className="num">{formatNumber(r.companies, lang)}</Table.Td>
                  <Table.Td>
                    <Progress value={(r.companies / max) * 100} aria-label={regionName(r.region, lang)} />
                  </Table.Td>
                  <Table.Td className="num">{formatNumber(r.suppliers, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
