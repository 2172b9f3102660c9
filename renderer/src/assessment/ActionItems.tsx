import { ActionIcon, Badge, Button, Card, Checkbox, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconEdit, IconPlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '#shared/domain/format';
import { SEVERITIES } from '#shared/schemas/assessments';
import type { OpOutput } from '#shared/contract/index';
import { ApiError, call, useOp } from '../api.ts';
import { useErrorText, useNotify } from '../components/common.tsx';

type Row = OpOutput<'actions.list'>['rows'][number];
type Draft = { title: string; owner: string; dueOn: string; severity: (typeof SEVERITIES)[number]; status: 'open' | 'done' };
const SEVERITY_COLOR = { high: 'red', medium: 'yellow', low: 'gray' } as const;

function ActionModal({ companyId, row, onClose }: { companyId: string; row: Row | null; onClose: () => void }) {
  const { t } = useTranslation(['assessment', 'common']);
  const errors = useErrorText();
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(row ? { title: row.title, owner: row.owner, dueOn: row.dueOn ?? '', severity: row.severity, status: row.status } : { title: '', owner: '', dueOn: '', severity: 'medium', status: 'open' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = async () => {
    try {
      const data = { title: d.title, owner: d.owner, dueOn: d.dueOn || null, severity: d.severity };
      if (row) await call('actions.update', { id: row.id, ...data, status: d.status });
      else await call('actions.create', { companyId, ...data });
      await qc.invalidateQueries();
      onClose();
    } catch (err) {
      if (err instanceof ApiError) setFieldErrors(errors.fields(err.data.fields));
    }
  };
  return (
    <Modal opened onClose={onClose} title={row ? t('actions.edit') : t('actions.new')}>
      <Stack>
        <TextInput label={t('actions.what')} required value={d.title} error={fieldErrors.title} onChange={(e) => setD({ ...d, title: e.currentTarget.value })} />
        <TextInput label={t('actions.owner')} value={d.owner} error={fieldErrors.owner} onChange={(e) => setD({ ...d, owner: e.currentTarget.value })} />
        <Group grow>
          <TextInput type="date" label={t('actions.due')} value={d.dueOn} error={fieldErrors.dueOn} onChange={(e) => setD({ ...d, dueOn: e.currentTarget.value })} />
          <Select label={t('actions.severity')} value={d.severity} data={SEVERITIES.map((s) => ({ value: s, label: t(`actions.severities.${s}`) }))} onChange={(v) => setD({ ...d, severity: (v ?? 'medium') as Draft['severity'] })} />
        </Group>
        {row && <Checkbox label={t('actions.done')} checked={d.status === 'done'} onChange={(e) => setD({ ...d, status: e.currentTarget.checked ? 'done' : 'open' })} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => void save()}>{t('common:actions.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The company's follow-up list: actions from low answers and those the mentors add. */
export function ActionItems({ companyId, archived }: { companyId: string; archived: boolean }) {
  const { t, i18n } = useTranslation('assessment');
  const notify = useNotify();
  const qc = useQueryClient();
  const list = useOp('actions.list', { companyId });
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const toggle = async (r: Row) => {
    try {
      await call('actions.update', { id: r.id, title: r.title, owner: r.owner, dueOn: r.dueOn, severity: r.severity, status: r.status === 'done' ? 'open' : 'done' });
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  const rows = list.data?.rows ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('actions.title')}
        </Title>
        {!archived && (
          <Button size="xs" variant="default" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setEditing('new')}>
            {t('actions.new')}
          </Button>
        )}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('actions.empty')}
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40} aria-label={t('actions.done')} />
              <Table.Th>{t('actions.what')}</Table.Th>
              <Table.Th>{t('actions.owner')}</Table.Th>
              <Table.Th>{t('actions.due')}</Table.Th>
              <Table.Th>{t('actions.severity')}</Table.Th>
              <Table.Th w={40} aria-label={t('actions.edit')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id} style={r.status === 'done' ? { opacity: 0.7 } : undefined}>
                <Table.Td>
                  <Checkbox aria-label={`${t('actions.done')}: ${r.title}`} checked={r.status === 'done'} onChange={() => void toggle(r)} disabled={archived} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" td={r.status === 'done' ? 'line-through' : undefined}>
                    {r.title}
                  </Text>
                </Table.Td>
                <Table.Td>{r.owner || '—'}</Table.Td>
                <Table.Td c={r.status === 'open' && r.dueOn && r.dueOn < today ? 'red.9' : undefined}>{r.dueOn ? formatDate(r.dueOn, i18n.language) : '—'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={SEVERITY_COLOR[r.severity]}>
                    {t(`actions.severities.${r.severity}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <ActionIcon variant="subtle" aria-label={`${t('actions.edit')}: ${r.title}`} onClick={() => setEditing(r)} disabled={archived}>
                    <IconEdit size={16} />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && <ActionModal companyId={companyId} row={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}
