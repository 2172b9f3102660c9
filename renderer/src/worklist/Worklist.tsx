/**
 * "What is due": the worklist on the dashboard, the overdue count in the navigation, and the reminder
 * shown once a day when the app opens.
 */
import { Badge, Card, Group, Select, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBellRinging } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { formatDate, formatNumber } from '#shared/domain/format';
import { call, useOp } from '../api.ts';
import { EmptyState, ErrorAlert } from '../components/common.tsx';

type Item = OpOutput<'worklist.list'>['items'][number];

const STATUS_COLOR = { overdue: 'red', soon: 'orange', upcoming: 'gray' } as const;
const HORIZONS = ['30', '60', '90', '180'] as const;

function StatusBadge({ item }: { item: Item }) {
  const { t, i18n } = useTranslation();
  const days = formatNumber(Math.abs(item.daysLeft), i18n.language);
  const label =
    item.status === 'overdue' ? t('worklist.overdueBy', { count: Math.abs(item.daysLeft), days }) : item.daysLeft === 0 ? t('worklist.today') : t('worklist.inDays', { count: item.daysLeft, days });
  return (
    <Badge color={STATUS_COLOR[item.status]} variant="light" data-status={item.status}>
      {label}
    </Badge>
  );
}

export function Worklist() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [pairId, setPairId] = useState<string | null>(null);
  const [horizon, setHorizon] = useState<string>('60');
  const pairs = useOp('pairs.list', { query: '' });
  const list = useOp('worklist.list', { ...(pairId ? { pairId } : {}), horizonDays: Number(horizon) });
  const data = list.data;
  return (
    <Card withBorder data-testid="worklist">
      <Group justify="space-between" mb="sm" align="flex-end">
        <div>
          <Title order={2} size="h4">
            {t('worklist.title')}
          </Title>
          {data && (
            <Text size="sm" c="dimmed">
              {t('worklist.summary', { overdue: formatNumber(data.counts.overdue, lang), soon: formatNumber(data.counts.soon, lang), upcoming: formatNumber(data.counts.upcoming, lang) })}
            </Text>
          )}
        </div>
        <Group gap="sm" align="flex-end">
          <Select
            label={t('worklist.pair')}
            placeholder={t('worklist.allPairs')}
            clearable
            searchable
            w={260}
            value={pairId}
            onChange={setPairId}
            data={(pairs.data?.rows ?? []).map((p) => ({ value: p.id, label: `${p.processMentor} · ${p.aiMentor}` }))}
          />
          <Select
            label={t('worklist.horizon')}
            w={140}
            allowDeselect={false}
            value={horizon}
            onChange={(v) => setHorizon(v ?? '60')}
            data={HORIZONS.map((h) => ({ value: h, label: t('worklist.days', { count: Number(h), days: h }) }))}
          />
        </Group>
      </Group>
      {list.error ? (
        <ErrorAlert error={list.error} />
      ) : data && data.items.length === 0 ? (
        <EmptyState title={t('worklist.emptyTitle')} description={t('worklist.emptyBody')} />
      ) : (
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('worklist.dueOn')}</Table.Th>
              <Table.Th>{t('worklist.status')}</Table.Th>
              <Table.Th>{t('worklist.what')}</Table.Th>
              <Table.Th>{t('worklist.company')}</Table.Th>
              <Table.Th>{t('worklist.subject')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.items ?? []).map((i) => (
              <Table.Tr key={`${i.kind}:${i.refId}`} data-kind={i.kind}>
                <Table.Td>{formatDate(i.dueOn, lang)}</Table.Td>
                <Table.Td>
                  <StatusBadge item={i} />
                </Table.Td>
                <Table.Td>{t(`worklist.kinds.${i.kind}`)}</Table.Td>
                <Table.Td>
                  <Link to={`/companies/${i.orgId}`}>{i.orgName}</Link>
                </Table.Td>
                <Table.Td>
                  <Link to={i.link}>{i.subject}</Link>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** The number of overdue items, for the navigation badge (refreshed with every write). */
export function OverdueBadge() {
  const { t, i18n } = useTranslation();
  const list = useOp('worklist.list', { horizonDays: 60 });
  const n = list.data?.counts.overdue ?? 0;
  if (n === 0) return null;
  return (
    <Badge size="sm" color="red" variant="filled" aria-label={t('worklist.overdueCount', { count: n, formatted: formatNumber(n, i18n.language) })}>
      {formatNumber(n, i18n.language)}
    </Badge>
  );
}

/** Once a day, when the app opens, a reminder of what is overdue or due this week. */
export function useDueReminder() {
  const { t, i18n } = useTranslation();
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    call('worklist.remind', {})
      .then((r) => {
        if (!r.show) return;
        notifications.show({
          id: 'due-reminder',
          color: r.overdue > 0 ? 'red' : 'orange',
          icon: <IconBellRinging size={18} aria-hidden />,
          title: t('worklist.reminderTitle'),
          message: t('worklist.reminderBody', { overdue: formatNumber(r.overdue, i18n.language), soon: formatNumber(r.soon, i18n.language) }),
          autoClose: 12_000,
          closeButtonProps: { 'aria-label': t('actions.close') },
        });
      })
      // The reminder is a convenience: the worklist itself shows the same items.
      .catch(() => undefined);
  }, [t, i18n.language]);
}
