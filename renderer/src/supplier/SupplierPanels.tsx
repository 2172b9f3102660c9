import { Alert, Badge, Button, Card, Code, Group, List, Modal, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconBan, IconCircleCheck, IconCircleX, IconClipboardPlus, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { validationError } from '#shared/contract/validation';
import { localToday } from '#shared/domain/dates';
import { formatDate, formatKrw, formatKrwFull } from '#shared/domain/format';
import { FRAUD_KINDS, type FraudKind } from '#shared/domain/supplier-standing';
import { diagnosisCreateInput, sanctionInput, TRACKS } from '#shared/schemas/diagnoses';
import { ApiError, call, useOp, useOpMutation } from '../api.ts';
import { Field, useErrorText, useNotify } from '../components/common.tsx';

type Standing = OpOutput<'sanctions.list'>['standing'];

/** The flag an excluded or barred organisation carries wherever it is listed or picked. */
export function StandingBadge({ state, until }: { state: Standing['state'] | 'clear'; until?: string | undefined }) {
  const { t, i18n } = useTranslation('diagnosis');
  if (state === 'clear') return null;
  return (
    <Badge color="red" variant={state === 'barred' ? 'filled' : 'light'} c={state === 'barred' ? undefined : 'red.9'} leftSection={<IconBan size={12} aria-hidden />}>
      {state === 'barred' ? t('standing.badge.barred') : until ? t('standing.excluded', { until: formatDate(until, i18n.language) }) : t('standing.badge.excluded')}
    </Badge>
  );
}

/** The standing badge of one organisation (its page header). */
export function OrgStandingBadge({ orgId }: { orgId: string }) {
  const s = useOp('sanctions.list', { orgId }).data?.standing;
  if (!s || s.state === 'clear') return null;
  return <StandingBadge state={s.state} until={s.state === 'excluded' ? s.until : undefined} />;
}

/** The supplier's level as a badge (excellent grades stand out). */
export function LevelBadge({ level }: { level: { grade: string; excellent: boolean } | null }) {
  const { t } = useTranslation('diagnosis');
  if (!level) {
    return (
      <Text size="sm" c="dimmed">
        {t('list.noLevel')}
      </Text>
    );
  }
  return (
    <Badge tt="none" color={level.excellent ? 'teal' : 'indigo'} variant={level.excellent ? 'filled' : 'light'} c={level.excellent ? undefined : 'indigo.9'}>
      {level.grade}
      {level.excellent ? ` · ${t('excellent')}` : ''}
    </Badge>
  );
}

function NewDiagnosisModal({ supplierId, onClose }: { supplierId: string; onClose: () => void }) {
  const { t } = useTranslation(['diagnosis', 'common']);
  const errors = useErrorText();
  const notify = useNotify();
  const navigate = useNavigate();
  const [values, setValues] = useState({ track: 'basic' as (typeof TRACKS)[number], consultantName: '', diagnosedOn: localToday() });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const save = async () => {
    const input = { supplierId, ...values, strategy: '' };
    const parsed = diagnosisCreateInput.safeParse(input, { reportInput: true });
    if (!parsed.success) return setFieldErrors(errors.fields(validationError(parsed.error).fields));
    try {
      const { id } = await call('diagnoses.create', input);
      void navigate(`/diagnoses/${id}`);
    } catch (err) {
      if (err instanceof ApiError) setFieldErrors(errors.fields(err.data.fields));
      notify.failed(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('new')} size="lg">
      <Stack>
        <Select
          label={t('track')}
          description={t('trackHelp')}
          required
          allowDeselect={false}
          data={TRACKS.map((v) => ({ value: v, label: t(`tracks.${v}`) }))}
          value={values.track}
          onChange={(v) => setValues({ ...values, track: v === 'in_depth' ? 'in_depth' : 'basic' })}
        />
        <SimpleGrid cols={2}>
          <TextInput label={t('consultant')} required value={values.consultantName} error={fieldErrors.consultantName} onChange={(e) => setValues({ ...values, consultantName: e.currentTarget.value })} />
          <TextInput type="date" label={t('diagnosedOn')} required value={values.diagnosedOn} error={fieldErrors.diagnosedOn} onChange={(e) => setValues({ ...values, diagnosedOn: e.currentTarget.value })} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => void save()}>{t('new')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The supplier's diagnoses, newest first, and the button that starts one. */
export function SupplierDiagnoses({ supplierId, archived }: { supplierId: string; archived: boolean }) {
  const { t, i18n } = useTranslation('diagnosis');
  const list = useOp('diagnoses.listForSupplier', { supplierId });
  const [open, setOpen] = useState(false);
  const rows = list.data?.rows ?? [];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('listTitle')}
        </Title>
        {!archived && (
          <Button size="xs" leftSection={<IconClipboardPlus size={14} aria-hidden />} onClick={() => setOpen(true)}>
            {rows.some((r) => r.finalizedAt) ? t('reDiagnose') : t('new')}
          </Button>
        )}
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('none')}
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('diagnosedOn')}</Table.Th>
              <Table.Th>{t('track')}</Table.Th>
              <Table.Th>{t('consultant')}</Table.Th>
              <Table.Th>{t('grade')}</Table.Th>
              <Table.Th className="num">{t('points')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{formatDate(r.diagnosedOn, i18n.language)}</Table.Td>
                <Table.Td>{t(`tracks.${r.track}`)}</Table.Td>
                <Table.Td>{r.consultantName}</Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <LevelBadge level={{ grade: r.grade, excellent: r.excellent }} />
                    <Badge color={r.finalizedAt ? 'indigo' : 'yellow'} variant="outline" c={r.finalizedAt ? 'indigo.9' : 'yellow.9'}>
                      {t(r.finalizedAt ? 'status.final' : 'status.draft')}
                      {!r.complete && ` · ${t('provisional')}`}
                    </Badge>
                  </Group>
                </Table.Td>
                <Table.Td className="num">{r.points.toFixed(1)}</Table.Td>
                <Table.Td>
                  <Button size="compact-xs" variant="subtle" component={Link} to={`/diagnoses/${r.id}`}>
                    {t('assessment:open')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {open && <NewDiagnosisModal supplierId={supplierId} onClose={() => setOpen(false)} />}
    </Card>
  );
}

type SanctionRow = OpOutput<'sanctions.list'>['rows'][number];

function SanctionModal({ orgId, row, onClose }: { orgId: string; row: SanctionRow | null; onClose: () => void }) {
  const { t } = useTranslation(['diagnosis', 'common']);
  const errors = useErrorText();
  const notify = useNotify();
  const save = useOpMutation('sanctions.save');
  const [values, setValues] = useState({
    kind: row?.kind ?? 'payback',
    foundOn: row?.foundOn ?? localToday(),
    decidedOn: row?.decidedOn ?? localToday(),
    decision: row?.decision ?? '',
    clawbackKrw: row?.clawbackKrw ?? null,
    projectRef: row?.projectRef ?? '',
  });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const submit = async () => {
    const input = { orgId, id: row?.id ?? null, ...values };
    const parsed = sanctionInput.safeParse(input, { reportInput: true });
    if (!parsed.success) return setFieldErrors(errors.fields(validationError(parsed.error).fields));
    try {
      await save.mutateAsync(input);
      notify.saved();
      onClose();
    } catch (err) {
      if (err instanceof ApiError) setFieldErrors(errors.fields(err.data.fields));
      notify.failed(err);
    }
  };
  return (
    <Modal opened onClose={onClose} title={row ? t('standing.edit') : t('standing.add')} size="lg">
      <Stack>
        <Select
          label={t('standing.kind')}
          required
          allowDeselect={false}
          data={FRAUD_KINDS.map((k) => ({ value: k, label: t(`standing.kinds.${k}`) }))}
          value={values.kind}
          onChange={(v) => setValues({ ...values, kind: (v ?? 'payback') as FraudKind })}
        />
        <SimpleGrid cols={2}>
          <TextInput type="date" label={t('standing.foundOn')} required value={values.foundOn} error={fieldErrors.foundOn} onChange={(e) => setValues({ ...values, foundOn: e.currentTarget.value })} />
          <TextInput type="date" label={t('standing.decidedOn')} required value={values.decidedOn} error={fieldErrors.decidedOn} onChange={(e) => setValues({ ...values, decidedOn: e.currentTarget.value })} />
        </SimpleGrid>
        <Textarea label={t('standing.decision')} required autosize minRows={2} value={values.decision} error={fieldErrors.decision} onChange={(e) => setValues({ ...values, decision: e.currentTarget.value })} />
        <SimpleGrid cols={2}>
          <NumberInput
            label={t('standing.clawback')}
            thousandSeparator=","
            min={0}
            allowDecimal={false}
            value={values.clawbackKrw ?? ''}
            error={fieldErrors.clawbackKrw}
            rightSection={<Text size="xs">{t('assessment:units.krw')}</Text>}
            rightSectionWidth={40}
            onChange={(v) => setValues({ ...values, clawbackKrw: typeof v === 'number' ? v : null })}
          />
          <TextInput label={t('standing.projectRef')} value={values.projectRef} error={fieldErrors.projectRef} onChange={(e) => setValues({ ...values, projectRef: e.currentTarget.value })} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button loading={save.isPending} onClick={() => void submit()}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Fraud sanctions and the standing they give, with the rules stated. */
export function SanctionsCard({ orgId, archived }: { orgId: string; archived: boolean }) {
  const { t, i18n } = useTranslation(['diagnosis', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const list = useOp('sanctions.list', { orgId });
  const withdraw = useOpMutation('sanctions.withdraw');
  const [editing, setEditing] = useState<SanctionRow | null | 'new'>(null);
  const [confirm, setConfirm] = useState<SanctionRow | null>(null);
  const s = list.data?.standing;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('standing.title')}
        </Title>
        {!archived && (
          <Button size="xs" variant="default" onClick={() => setEditing('new')}>
            {t('standing.add')}
          </Button>
        )}
      </Group>
      {s && s.state !== 'clear' && (
        <Alert color="red" icon={<IconBan aria-hidden />} mb="sm" title={s.state === 'barred' ? t('standing.barred') : t('standing.excluded', { until: formatDate(s.until, lang) })}>
          {s.specialInspection && t('standing.specialInspection')}
        </Alert>
      )}
      {s && s.state === 'clear' && s.specialInspection && (
        <Alert color="yellow" icon={<IconAlertTriangle aria-hidden />} mb="sm">
          {t('standing.specialInspection')}
        </Alert>
      )}
      <Text size="xs" c="dimmed" mb="sm">
        {t('standing.rules')}
      </Text>
      {(list.data?.rows.length ?? 0) === 0 ? (
        <Text size="sm" c="dimmed">
          {t('standing.none')}
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('standing.kind')}</Table.Th>
              <Table.Th>{t('standing.decidedOn')}</Table.Th>
              <Table.Th>{t('standing.exclusionEnds')}</Table.Th>
              <Table.Th className="num">{t('standing.clawback')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {t(`standing.kinds.${r.kind}`)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {[r.decision, r.projectRef].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td>{formatDate(r.decidedOn, lang)}</Table.Td>
                <Table.Td>{formatDate(r.exclusionEnds, lang)}</Table.Td>
                <Table.Td className="num" title={r.clawbackKrw === null ? undefined : formatKrwFull(r.clawbackKrw, lang)}>
                  {r.clawbackKrw === null ? '—' : formatKrw(r.clawbackKrw, lang)}
                </Table.Td>
                <Table.Td>
                  {!archived && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(r)}>
                        {t('common:actions.edit')}
                      </Button>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setConfirm(r)}>
                        {t('standing.withdraw')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && <SanctionModal orgId={orgId} row={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {confirm && (
        <Modal opened onClose={() => setConfirm(null)} title={t('standing.withdrawTitle')}>
          <Text size="sm" mb="md">
            {t('standing.withdrawBody')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() =>
                void withdraw
                  .mutateAsync({ id: confirm.id })
                  .then(() => setConfirm(null))
                  .catch(notify.failed)
              }
            >
              {t('standing.withdraw')}
            </Button>
          </Group>
        </Modal>
      )}
    </Card>
  );
}

/** The VC-link check (advanced-factory builds) with its reasons. */
export function VcLinkCard({ supplierId }: { supplierId: string }) {
  const { t, i18n } = useTranslation('diagnosis');
  const lang = i18n.language;
  const link = useOp('suppliers.vcLink', { id: supplierId });
  const d = link.data;
  if (!d) return null;
  const params = (p: Record<string, string | number>) =>
    Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' && ['amount', 'min', 'short'].includes(k) ? formatKrw(v, lang) : v]));
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('vcLink.title')}
      </Title>
      <Group gap="xs" mb="xs">
        {d.eligible ? <IconCircleCheck color="var(--mantine-color-teal-8)" aria-hidden /> : <IconCircleX color="var(--mantine-color-gray-7)" aria-hidden />}
        <Text fw={700}>{d.eligible ? t('vcLink.eligible') : t('vcLink.notEligible')}</Text>
      </Group>
      <List size="sm" spacing={4}>
        {d.reasons.map((r) => (
          <List.Item key={r.key} icon={r.key.endsWith('Ok') ? <IconCircleCheck size={16} color="var(--mantine-color-teal-8)" aria-hidden /> : <IconCircleX size={16} color="var(--mantine-color-red-8)" aria-hidden />}>
            {t(r.key, params(r.params))}
          </List.Item>
        ))}
      </List>
      <Text size="xs" c="dimmed" mt="xs">
        {t('vcLink.window', { since: formatDate(d.since, lang) })}: {formatKrw(d.recentKrw, lang)}
      </Text>
    </Card>
  );
}

/** The DX portal profile: preview, the consultant's approval, JSON export. */
export function PortalCard({ supplierId, archived }: { supplierId: string; archived: boolean }) {
  const { t, i18n } = useTranslation(['diagnosis', 'registry']);
  const lang = i18n.language;
  const notify = useNotify();
  const portal = useOp('portal.get', { id: supplierId });
  const approve = useOpMutation('portal.approve');
  const [approver, setApprover] = useState('');
  const [approverError, setApproverError] = useState<string | undefined>();
  const p = portal.data;
  if (!p) return null;
  const c = p.current;
  const doApprove = async () => {
    if (!approver.trim()) return setApproverError(t('messages:validation.required'));
    setApproverError(undefined);
    try {
      await approve.mutateAsync({ id: supplierId, approvedBy: approver });
      notify.saved(t('portal.approvedDone'));
    } catch (err) {
      notify.failed(err);
    }
  };
  const doExport = async () => {
    try {
      const { path } = await call('portal.export', { id: supplierId });
      if (path) notify.saved(t('portal.exported', { path }));
    } catch (err) {
      notify.failed(err);
    }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb={4}>
        {t('portal.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('portal.help')}
      </Text>
      <SimpleGrid cols={2} spacing="xs" mb="sm">
        <Field label={t('portal.level')}>
          <LevelBadge level={c.level} />
        </Field>
        <Field label={t('registry:fields.buildRecordCount')}>{c.buildRecordCount ?? '—'}</Field>
        <Field label={t('portal.satisfaction')}>{c.satisfaction === null ? '—' : t('portal.satisfactionValue', { value: c.satisfaction })}</Field>
        <Field label={t('registry:fields.revenue')}>{c.revenue ? `${formatKrw(c.revenue.krw, lang)} (${c.revenue.fiscalYear})` : '—'}</Field>
        <Field label={t('registry:fields.techFields')}>{c.techFields.map((f) => t(`registry:tech.${f}`)).join(', ') || '—'}</Field>
        <Field label={t('portal.vcLinked')}>{c.vcLinked ? t('portal.yes') : t('portal.no')}</Field>
      </SimpleGrid>
      {p.approved ? (
        <Alert color={p.upToDate ? 'teal' : 'yellow'} mb="sm" icon={p.upToDate ? <IconCircleCheck aria-hidden /> : <IconAlertTriangle aria-hidden />}>
          {t('portal.approved', { by: p.approved.approvedBy, date: formatDate(p.approved.approvedAt, lang) })} — {p.upToDate ? t('portal.upToDate') : t('portal.outdated')}
        </Alert>
      ) : (
        <Text size="sm" c="dimmed" mb="sm">
          {t('portal.notApproved')}
        </Text>
      )}
      {p.standing.state !== 'clear' ? (
        <Text size="sm" c="red.8">
          {t('portal.notPublishable')}
        </Text>
      ) : (
        !archived && (
          <Group align="flex-end" gap="xs">
            {!p.upToDate && (
              <>
                <TextInput size="xs" label={t('portal.approvedBy')} value={approver} error={approverError} onChange={(e) => setApprover(e.currentTarget.value)} />
                <Button size="xs" loading={approve.isPending} onClick={() => void doApprove()}>
                  {t('portal.approve')}
                </Button>
              </>
            )}
            <Button size="xs" variant="default" leftSection={<IconDownload size={14} aria-hidden />} disabled={!p.upToDate} onClick={() => void doExport()}>
              {t('portal.export')}
            </Button>
          </Group>
        )
      )}
      {p.approved && (
        <Code block mt="sm" style={{ maxHeight: 160, overflow: 'auto', fontSize: 11 }}>
          {JSON.stringify(p.approved.profile, null, 2)}
        </Code>
      )}
    </Card>
  );
}
