import { Anchor, Badge, Card, Stack, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatDateTime } from '#shared/domain/format';
import { useOp } from '../api.ts';
import { EmptyState, ErrorAlert, PageHeader } from '../components/common.tsx';

/** Recent assessments across the mentor's companies. */
export function AssessmentsPage() {
  const { t, i18n } = useTranslation('assessment');
  const lang = i18n.language;
  const navigate = useNavigate();
  const list = useOp('assessments.listRecent', { limit: 100 });
  const rows = list.data?.rows ?? [];
  return (
    <Stack>
      <PageHeader title={t('listTitle')} subtitle={t('listSubtitle')} />
      <ErrorAlert error={list.error} />
      {rows.length === 0 && !list.isFetching ? (
        <Card withBorder>
          <EmptyState title={t('empty')} description={t('emptyHint')} />
        </Card>
      ) : (
        <DataTable
          withTableBorder
          borderRadius="md"
          highlightOnHover
          records={rows}
          onRowClick={({ record }) => void navigate(`/assessments/${record.id}`)}
          columns={[
            {
              accessor: 'companyName',
              title: t('company'),
              render: (r) => (
                <Anchor component={Link} to={`/assessments/${r.id}`} fw={600} onClick={(e) => e.stopPropagation()}>
                  {r.companyName}
                </Anchor>
              ),
            },
            {
              accessor: 'type',
              title: t('type'),
              render: (r) => (
                <Text size="sm">
                  {t(`types.${r.type}`)}
                  {!r.complete && ` (${t('provisional')})`}
                </Text>
              ),
            },
            { accessor: 'capability', title: t('capability'), textAlign: 'right', render: (r) => r.capability.toFixed(1) },
            { accessor: 'investment', title: t('investment'), textAlign: 'right', render: (r) => r.investment.toFixed(1) },
            {
              accessor: 'finalizedAt',
              title: t('status'),
              render: (r) => (
                <Badge variant="light" color={r.finalizedAt ? 'indigo' : 'yellow'} c={r.finalizedAt ? 'indigo.9' : 'yellow.9'}>
                  {t(r.finalizedAt ? 'final' : 'draft')}
                </Badge>
              ),
            },
            { accessor: 'updatedAt', title: t('updated'), render: (r) => formatDateTime(r.updatedAt, lang) },
          ]}
        />
      )}
    </Stack>
  );
}
