import { Badge, Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconCertificate, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { localToday } from '#shared/domain/dates';
import { formatDate, formatDateRange } from '#shared/domain/format';
import { PROGRAMMES } from '#shared/domain/projects';
import { call, useOp } from '../api.ts';
import { useNotify } from '../components/common.tsx';
import { l10n } from '../assessment/ItemInput.tsx';
import { StandingBadge } from '../supplier/SupplierPanels.tsx';

/** The company's build projects with their suppliers (flagged when sanctioned) and the start button. */
export function CompanyProjects({ companyId, archived }: { companyId: string; archived: boolean }) {
  const { t, i18n } = useTranslation('project');
  const lang = i18n.language;
  const list = useOp('projects.listForCompany', { companyId });
  const rows = list.data?.rows ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('listTitle')}
        </Title>
        {!archived && (
          <Button size="xs" component={Link} to={`/projects/new?company=${companyId}`} leftSection={<IconPlus size={14} aria-hidden />}>
            {t('new')}
          </Button>
        )}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('none')}
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {rows.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Text component={Link} to={`/projects/${p.id}`} fw={600} size="sm" c="indigo.8">
                    {p.title}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {l10n(PROGRAMMES.find((x) => x.id === p.programme)?.text ?? { ko: p.programme, en: p.programme }, lang)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {formatDateRange(p.startsOn, p.endsOn, lang)}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {p.suppliers.map((s) => (
                      <Group key={s.id} gap={4}>
                        <Text size="sm">{s.name}</Text>
                        <StandingBadge state={s.standing.state} />
                      </Group>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {p.specialInspection && (
                    <Badge color="red" variant="light" c="red.9" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
                      {t('specialInspection')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** Beside the grade: how the supplier's builds went after completion. */
export function TrackRecordCard({ supplierId }: { supplierId: string }) {
  const { t, i18n } = useTranslation('project');
  const lang = i18n.language;
  const record = useOp('suppliers.trackRecord', { id: supplierId });
  const rows = record.data?.rows ?? [];
  return (
    <Card withBorder data-testid="track-record">
      <Title order={2} size="h4" mb={4}>
        {t('track.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('track.help')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('track.none')}
        </Text>
      ) : (
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('track.project')}</Table.Th>
              <Table.Th className="num">{t('track.users')}</Table.Th>
              <Table.Th className="num">{t('track.as')}</Table.Th>
              <Table.Th className="num">{t('track.kpis')}</Table.Th>
              <Table.Th className="num">{t('track.flags')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.projectId}>
                <Table.Td>
                  <Text component={Link} to={`/projects/${r.projectId}`} size="sm" fw={600} c="indigo.8">
                    {r.companyName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {r.title} · {formatDate(r.endsOn, lang)}
                    {r.checkedOn ? ` · ${t('track.checked', { date: formatDate(r.checkedOn, lang) })}` : ` · ${t('track.notChecked')}`}
                  </Text>
                  {r.warnings.length > 0 && (
                    <Text size="xs" c="orange.9">
                      {[...new Set(r.warnings.map((w) => t(`short.${w.replace(/\./g, '_')}`)))].join(' · ')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td className="num">{r.activeUsers ?? '—'}</Table.Td>
                <Table.Td className="num">{r.asRequests === null ? '—' : `${r.asResolved ?? 0}/${r.asRequests}`}</Table.Td>
                <Table.Td className="num">{r.kpisTotal ? `${r.kpisMet}/${r.kpisTotal}` : '—'}</Table.Td>
                <Table.Td className="num" c={r.openFlags ? 'red.8' : undefined} fw={r.openFlags ? 700 : undefined}>
                  {r.openFlags}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** The company's level confirmations (민간 수준확인) and their certificates. */
export function CompanyLevels({ companyId, archived }: { companyId: string; archived: boolean }) {
  const { t, i18n } = useTranslation('level');
  const lang = i18n.language;
  const list = useOp('levels.listForCompany', { companyId });
  const rows = list.data?.rows ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('listTitle')}
        </Title>
        {!archived && <StartLevelButton companyId={companyId} projectId={null} size="xs" />}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('none')}
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Text component={Link} to={`/levels/${r.id}`} size="sm" fw={600} c="indigo.8">
                    {formatDate(r.assessedOn, lang)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {t('levelN', { level: r.result.capabilityLevel })} · {t(`builtLevels.${r.result.builtLevel}`)}
                </Table.Td>
                <Table.Td>
                  {r.certificate ? (
                    <Badge variant="light" color={r.certificate.revoked ? 'red' : 'teal'} c={r.certificate.revoked ? 'red.9' : 'teal.9'} ff="monospace">
                      {r.certificate.number}
                    </Badge>
                  ) : (
                    <Badge variant="outline" color={r.finalizedAt ? 'indigo' : 'yellow'} c={r.finalizedAt ? 'indigo.9' : 'yellow.9'}>
                      {t(r.finalizedAt ? 'finalShort' : 'draft')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

/** Starts a level confirmation today, for the company or for the factory one of its projects built. */
export function StartLevelButton({ companyId, projectId, size }: { companyId: string; projectId: string | null; size?: 'xs' }) {
  const { t } = useTranslation('level');
  const navigate = useNavigate();
  const notify = useNotify();
  const start = async () => {
    try {
      const r = await call('levels.create', { companyId, projectId, assessedOn: localToday() });
      void navigate(`/levels/${r.id}`);
    } catch (err) {
      notify.failed(err);
    }
  };
  return (
    <Button size={size} variant="default" leftSection={<IconCertificate size={16} aria-hidden />} onClick={() => void start()}>
      {t('start')}
    </Button>
  );
}
