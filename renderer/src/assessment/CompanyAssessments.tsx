import { Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconClipboardPlus, IconMapPin } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { validationError } from '#shared/contract/validation';
import { formatDate, formatDateTime } from '#shared/domain/format';
import { VISIT_PURPOSES, visitInput } from '#shared/schemas/assessments';
import { ApiError, call, useOp } from '../api.ts';
import { useErrorText, useNotify } from '../components/common.tsx';
import { VisitPhotos } from './VisitPhotos.tsx';

function VisitModal({ companyId, onClose }: { companyId: string; onClose: () => void }) {
  const { t } = useTranslation(['assessment', 'common']);
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const [values, setValues] = useState({ visitedOn: new Date().toISOString().slice(0, 10), place: '', purpose: 'assessment', notes: '', attendees: '' });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = async () => {
    const input = {
      companyId,
      visitedOn: values.visitedOn,
      place: values.place,
      purpose: values.purpose as (typeof VISIT_PURPOSES)[number],
      notes: values.notes,
      attendees: values.attendees
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((name) => ({ name, role: '' })),
    };
    const parsed = visitInput.safeParse(input, { reportInput: true });
    const show = (fields: Record<string, { key: string; params?: Record<string, string | number> }> | undefined) =>
      setFieldErrors(errors.fields(fields));
    if (!parsed.success) return show(validationError(parsed.error).fields);
    try {
      await call('visits.create', input);
      await qc.invalidateQueries();
      notify.saved();
      onClose();
    } catch (err) {
      if (err instanceof ApiError) show(err.data.fields);
      notify.failed(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('newVisit')} size="lg">
      <Stack>
        <SimpleGrid cols={2}>
          <TextInput type="date" label={t('visitDate')} required value={values.visitedOn} error={fieldErrors.visitedOn} onChange={(e) => setValues({ ...values, visitedOn: e.currentTarget.value })} />
          <Select
            label={t('visitPurpose')}
            required
            data={VISIT_PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
            value={values.purpose}
            onChange={(v) => setValues({ ...values, purpose: v ?? 'assessment' })}
          />
        </SimpleGrid>
        <TextInput label={t('visitPlace')} value={values.place} error={fieldErrors.place} onChange={(e) => setValues({ ...values, place: e.currentTarget.value })} />
        <TextInput label={t('attendees')} value={values.attendees} onChange={(e) => setValues({ ...values, attendees: e.currentTarget.value })} />
        <Textarea label={t('visitNotes')} autosize minRows={3} value={values.notes} error={fieldErrors.notes} onChange={(e) => setValues({ ...values, notes: e.currentTarget.value })} />
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

/** The company's visits and assessments as one timeline, with the actions that start them. */
export function CompanyAssessments({ companyId, archived }: { companyId: string; archived: boolean }) {
  const { t, i18n } = useTranslation('assessment');
  const lang = i18n.language;
  const notify = useNotify();
  const navigate = useNavigate();
  const visits = useOp('visits.list', { companyId });
  const assessments = useOp('assessments.listForCompany', { companyId });
  const [visitOpen, setVisitOpen] = useState(false);
  const start = async () => {
    try {
      const latestVisit = visits.data?.rows.find((v) => v.purpose === 'assessment');
      const r = await call('assessments.create', { companyId, visitId: latestVisit?.id ?? null, instrumentId: 'company-dx' });
      void navigate(`/assessments/${r.id}`);
    } catch (err) {
      notify.failed(err);
    }
  };
  const timeline = [
    ...(visits.data?.rows ?? []).map((v) => ({ kind: 'visit' as const, date: v.visitedOn, v })),
    ...(assessments.data?.rows ?? []).map((a) => ({ kind: 'assessment' as const, date: a.createdAt, a })),
  ].sort((x, y) => (x.date < y.date ? 1 : -1));
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('visits')}
        </Title>
        {!archived && (
          <Group gap="xs">
            <Button size="xs" variant="default" leftSection={<IconMapPin size={14} aria-hidden />} onClick={() => setVisitOpen(true)}>
              {t('newVisit')}
            </Button>
            <Button size="xs" leftSection={<IconClipboardPlus size={14} aria-hidden />} onClick={() => void start()}>
              {t('start')}
            </Button>
          </Group>
        )}
      </Group>
      {timeline.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noVisits')}
        </Text>
      ) : (
        <Table>
          <Table.Tbody>
            {timeline.map((e) =>
              e.kind === 'visit' ? (
                <Table.Tr key={`v${e.v.id}`}>
                  <Table.Td w={130}>{formatDate(e.v.visitedOn, lang)}</Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="gray">
                      {t(`purposes.${e.v.purpose}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group justify="space-between" wrap="nowrap">
                      <Text size="sm">{[e.v.place, e.v.attendees].filter(Boolean).join(' · ')}</Text>
                      <VisitPhotos visitId={e.v.id} count={e.v.photos} disabled={archived} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ) : (
                <Table.Tr key={`a${e.a.id}`}>
                  <Table.Td w={130}>{formatDateTime(e.a.createdAt, lang)}</Table.Td>
                  <Table.Td>
                    <Badge color={e.a.finalizedAt ? 'indigo' : 'yellow'} variant="light" c={e.a.finalizedAt ? 'indigo.9' : 'yellow.9'}>
                      {t(e.a.finalizedAt ? 'final' : 'draft')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group justify="space-between">
                      <Text size="sm">
                        {t(`types.${e.a.type}`)}
                        {!e.a.complete && ` (${t('provisional')})`} · {t('capability')} {e.a.capability.toFixed(1)} · {t('investment')} {e.a.investment.toFixed(1)}
                      </Text>
                      <Button size="compact-xs" variant="subtle" component={Link} to={`/assessments/${e.a.id}`}>
                        {t('open')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ),
            )}
          </Table.Tbody>
        </Table>
      )}
      {visitOpen && <VisitModal companyId={companyId} onClose={() => setVisitOpen(false)} />}
    </Card>
  );
}
