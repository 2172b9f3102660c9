import { Badge, Button, Group, Modal, MultiSelect, SegmentedControl, Select, SimpleGrid, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { validationError } from '#shared/contract/validation';
import { formatDate, formatNumber } from '#shared/domain/format';
import { AFFILIATION_TYPES, EXPERTISE } from '#shared/domain/mentors';
import { REGIONS, regionName, type RegionCode } from '#shared/domain/regions';
import { mentorInput, type MentorInput, type MentorRow, type PairRow } from '#shared/schemas/mentors';
import { ApiError, call, useOp, useOpMutation } from '../api.ts';
import { ArchivedBadge, EmptyState, ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';
import { useQueryClient } from '@tanstack/react-query';

type MentorForm = Omit<MentorInput, 'affiliationType' | 'expertise' | 'region'> & {
  affiliationType: string | null;
  expertise: string | null;
  region: string | null;
};

function MentorModal({ mentor, onClose }: { mentor: MentorRow | 'new'; onClose: () => void }) {
  const { t, i18n } = useTranslation(['registry', 'common']);
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const [saving, setSaving] = useState(false);
  const existing = mentor === 'new' ? null : mentor;
  const form = useForm<MentorForm>({
    initialValues: existing
      ? { name: existing.name, affiliationType: existing.affiliationType, affiliationName: existing.affiliationName, expertise: existing.expertise, region: existing.region, phone: existing.phone, email: existing.email }
      : { name: '', affiliationType: null, affiliationName: '', expertise: null, region: null, phone: '', email: '' },
  });
  const setFieldErrors = (fields: Parameters<typeof errors.fields>[0]) => form.setErrors(errors.fields(fields));
  const save = async (values: MentorForm) => {
    const parsed = mentorInput.safeParse(values, { reportInput: true });
    if (!parsed.success) return setFieldErrors(validationError(parsed.error).fields);
    setSaving(true);
    try {
      const input = values as MentorInput;
      if (existing) await call('mentors.update', { id: existing.id, ...input });
      else await call('mentors.create', input);
      await qc.invalidateQueries();
      notify.saved();
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.data.fields) setFieldErrors(err.data.fields);
      else notify.failed(err);
    } finally {
      setSaving(false);
    }
  };
  const archive = async (restore: boolean) => {
    if (!existing) return;
    try {
      await call(restore ? 'mentors.restore' : 'mentors.archive', { id: existing.id });
      await qc.invalidateQueries();
      notify.saved(t(restore ? 'detail.restored' : 'detail.archived'));
      onClose();
    } catch (err) {
      notify.failed(err);
    }
  };
  const lang = i18n.language;
  return (
    <Modal opened onClose={onClose} title={existing ? t('mentor.edit') : t('mentor.new')} size="lg">
      <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
        <SimpleGrid cols={2}>
          <TextInput label={t('fields.mentorName')} required data-autofocus {...form.getInputProps('name')} />
          <Select
            label={t('fields.expertise')}
            required
            data={EXPERTISE.map((e) => ({ value: e, label: t(`expertise.${e}`) }))}
            {...form.getInputProps('expertise')}
          />
          <Select
            label={t('fields.affiliationType')}
            required
            data={AFFILIATION_TYPES.map((a) => ({ value: a, label: t(`affiliation.${a}`) }))}
            {...form.getInputProps('affiliationType')}
          />
          <TextInput label={t('fields.affiliationName')} {...form.getInputProps('affiliationName')} />
          <Select label={t('fields.region')} required searchable data={REGIONS.map((r) => ({ value: r.code, label: regionName(r.code, lang) }))} {...form.getInputProps('region')} />
          <TextInput label={t('fields.phone')} type="tel" {...form.getInputProps('phone')} />
          <TextInput label={t('fields.email')} type="email" {...form.getInputProps('email')} />
        </SimpleGrid>
        <Group justify="space-between" mt="lg">
          <div>
            {existing && (
              <Button variant="subtle" color={existing.deletedAt ? 'indigo' : 'red'} onClick={() => void archive(Boolean(existing.deletedAt))}>
                {t(existing.deletedAt ? 'common:actions.restore' : 'common:actions.archive')}
              </Button>
            )}
          </div>
          <Group>
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={saving}>
              {t('common:actions.save')}
            </Button>
          </Group>
        </Group>
      </form>
    </Modal>
  );
}

function MentorPicker({ expertise, label, value, onChange, error }: { expertise: 'process' | 'ai'; label: string; value: string | null; onChange: (v: string | null) => void; error?: string }) {
  const { t, i18n } = useTranslation('registry');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 150);
  const mentors = useOp('mentors.list', { query: debounced, expertise: [expertise], pageSize: 50 });
  const data = (mentors.data?.rows ?? [])
    .filter((m) => m.pairId === null)
    .map((m) => ({ value: m.id, label: `${m.name} · ${regionName(m.region, i18n.language)} · ${t(`affiliation.${m.affiliationType}`)}` }));
  return (
    <Select
      label={label}
      required
      searchable
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      nothingFoundMessage={t('pair.noFreeMentor')}
      error={error}
    />
  );
}

function PairModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation(['registry', 'common']);
  const errors = useErrorText();
  const notify = useNotify();
  const create = useOpMutation('pairs.create');
  const [processId, setProcessId] = useState<string | null>(null);
  const [aiId, setAiId] = useState<string | null>(null);
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const fieldError = (name: string) =>
    missing.has(name)
      ? errors.field({ key: 'validation.pair.mentorMissing' })
      : create.error instanceof ApiError
        ? errors.field(create.error.data.fields?.[name])
        : undefined;
  return (
    <Modal opened onClose={onClose} title={t('pair.new')}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('pair.newHint')}
        </Text>
        <MentorPicker expertise="process" label={t('pair.processExpert')} value={processId} onChange={setProcessId} error={fieldError('processMentorId')} />
        <MentorPicker expertise="ai" label={t('pair.aiExpert')} value={aiId} onChange={setAiId} error={fieldError('aiMentorId')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            onClick={() => {
              const gaps = new Set([...(processId ? [] : ['processMentorId']), ...(aiId ? [] : ['aiMentorId'])]);
              setMissing(gaps);
              if (processId && aiId) create.mutate({ processMentorId: processId, aiMentorId: aiId }, { onSuccess: () => (notify.saved(), onClose()) });
            }}
            loading={create.isPending}
          >
            {t('pair.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PairsTab() {
  const { t, i18n } = useTranslation(['registry', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 120);
  const pairs = useOp('pairs.list', { query: debounced });
  const dissolve = useOpMutation('pairs.dissolve');
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState<PairRow | null>(null);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <TextInput w={320} label={t('pair.search')} leftSection={<IconSearch size={16} aria-hidden />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} type="search" />
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setOpen(true)}>
          {t('pair.new')}
        </Button>
      </Group>
      <ErrorAlert error={pairs.error} />
      <DataTable<PairRow>
        withTableBorder
        borderRadius="md"
        minHeight={pairs.data?.rows.length ? undefined : 300}
        noRecordsText={t('pair.empty')}
        records={pairs.data?.rows ?? []}
        fetching={pairs.isFetching && !pairs.data}
        emptyState={<EmptyState title={t('pair.empty')} description={t('pair.emptyHint')} />}
        columns={[
          { accessor: 'processMentor', title: t('pair.processExpert') },
          { accessor: 'aiMentor', title: t('pair.aiExpert') },
          { accessor: 'region', title: t('fields.region'), render: (p) => regionName(p.region, lang) },
          { accessor: 'companyCount', title: t('pair.companies'), textAlign: 'right', render: (p) => formatNumber(p.companyCount, lang) },
          { accessor: 'createdAt', title: t('pair.since', { date: '' }), render: (p) => formatDate(p.createdAt, lang) },
          {
            accessor: 'actions',
            title: t('common:actions.label'),
            textAlign: 'right',
            render: (p) => (
              <Button size="xs" variant="subtle" color="red" onClick={() => setConfirm(p)}>
                {t('pair.dissolve')}
              </Button>
            ),
          },
        ]}
      />
      {open && <PairModal onClose={() => setOpen(false)} />}
      {confirm && (
        <Modal opened onClose={() => setConfirm(null)} title={t('pair.dissolveTitle')}>
          <Text size="sm" mb="md">
            {t('pair.dissolveBody', { process: confirm.processMentor, ai: confirm.aiMentor, count: confirm.companyCount })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button color="red" onClick={() => dissolve.mutate({ id: confirm.id }, { onSuccess: () => (setConfirm(null), notify.saved()), onError: notify.failed })}>
              {t('pair.dissolve')}
            </Button>
          </Group>
        </Modal>
      )}
    </Stack>
  );
}

function MentorsTab() {
  const { t, i18n } = useTranslation(['registry', 'common']);
  const lang = i18n.language;
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 120);
  const [regions, setRegions] = useState<RegionCode[]>([]);
  const [expertise, setExpertise] = useState<string>('all');
  const [archived, setArchived] = useState<'active' | 'archived' | 'all'>('active');
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<MentorRow | 'new' | null>(null);
  const result = useOp('mentors.list', {
    query: debounced,
    regions,
    expertise: expertise === 'all' ? [] : [expertise as 'process' | 'ai'],
    archived,
    page,
    pageSize: 50,
  });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end">
          <TextInput w={280} label={t('list.search')} placeholder={t('mentor.searchPlaceholder')} leftSection={<IconSearch size={16} aria-hidden />} value={query} onChange={(e) => (setQuery(e.currentTarget.value), setPage(1))} type="search" />
          <MultiSelect w={220} label={t('fields.region')} placeholder={t('list.allRegions')} data={REGIONS.map((r) => ({ value: r.code, label: regionName(r.code, lang) }))} value={regions} onChange={(v) => (setRegions(v as RegionCode[]), setPage(1))} clearable />
          <SegmentedControl
            aria-label={t('fields.expertise')}
            value={expertise}
            onChange={(v) => (setExpertise(v), setPage(1))}
            data={[
              { value: 'all', label: t('list.all') },
              { value: 'process', label: t('expertise.process') },
              { value: 'ai', label: t('expertise.ai') },
            ]}
          />
          <SegmentedControl
            aria-label={t('list.archivedFilter')}
            value={archived}
            onChange={(v) => (setArchived(v as 'active' | 'archived' | 'all'), setPage(1))}
            data={[
              { value: 'active', label: t('list.active') },
              { value: 'archived', label: t('list.archived') },
            ]}
          />
        </Group>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>
          {t('mentor.new')}
        </Button>
      </Group>
      <ErrorAlert error={result.error} />
      <DataTable<MentorRow>
        withTableBorder
        borderRadius="md"
        highlightOnHover
        minHeight={result.data?.rows.length ? undefined : 300}
        noRecordsText={t('mentor.empty')}
        records={result.data?.rows ?? []}
        fetching={result.isFetching && !result.data}
        totalRecords={result.data?.total ?? 0}
        recordsPerPage={50}
        page={page}
        onPageChange={setPage}
        paginationText={({ from, to, totalRecords }) => t('list.pagination', { from, to, total: formatNumber(totalRecords, lang) })}
        onRowClick={({ record }) => setEditing(record)}
        emptyState={<EmptyState title={t('mentor.empty')} description={t('list.emptyHint')} />}
        columns={[
          {
            accessor: 'name',
            title: t('fields.mentorName'),
            render: (m) => (
              <Group gap={6}>
                <Button variant="subtle" size="compact-sm" px={4} fw={600} onClick={(e) => (e.stopPropagation(), setEditing(m))}>
                  {m.name}
                </Button>
                {m.deletedAt && <ArchivedBadge />}
              </Group>
            ),
          },
          {
            accessor: 'expertise',
            title: t('fields.expertise'),
            render: (m) => (
              <Badge variant="light" color={m.expertise === 'ai' ? 'grape' : 'blue'} c={m.expertise === 'ai' ? 'grape.9' : 'blue.9'}>
                {t(`expertise.${m.expertise}`)}
              </Badge>
            ),
          },
          { accessor: 'affiliationType', title: t('fields.affiliationType'), render: (m) => `${t(`affiliation.${m.affiliationType}`)}${m.affiliationName ? ` · ${m.affiliationName}` : ''}` },
          { accessor: 'region', title: t('fields.region'), render: (m) => regionName(m.region, lang) },
          { accessor: 'partnerName', title: t('mentor.partner'), render: (m) => m.partnerName ?? <Text size="sm" c="dimmed">{t('mentor.noPartner')}</Text> },
        ]}
      />
      {editing && <MentorModal mentor={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

export function MentorsPage() {
  const { t } = useTranslation('registry');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'pairs' ? 'pairs' : 'mentors';
  return (
    <Stack>
      <PageHeader title={t('mentor.plural')} subtitle={t('mentor.listSubtitle')} />
      <Tabs value={tab} onChange={(v) => setParams(v === 'pairs' ? { tab: 'pairs' } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="mentors">{t('mentor.tab')}</Tabs.Tab>
          <Tabs.Tab value="pairs">{t('pair.tab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mentors">
          <MentorsTab />
        </Tabs.Panel>
        <Tabs.Panel value="pairs">
          <PairsTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
