import { Anchor, Badge, Button, Group, MultiSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatBrn } from '#shared/domain/brn';
import { formatKrw, formatNumber } from '#shared/domain/format';
import { KSIC_DIVISIONS, ksicName, type KsicDivision } from '#shared/domain/ksic';
import { REGIONS, regionName, type RegionCode } from '#shared/domain/regions';
import { TECH_FIELDS, type TechField } from '#shared/domain/tech-fields';
import type { OrgRow } from '#shared/schemas/organizations';
import { useOp } from '../api.ts';
import { ArchivedBadge, EmptyState, ErrorAlert, PageHeader } from '../components/common.tsx';
import { LevelBadge, StandingBadge } from '../supplier/SupplierPanels.tsx';

type Kind = 'company' | 'supplier';
type SortField = 'name' | 'region' | 'employees' | 'revenue' | 'updatedAt';
const PAGE_SIZE = 50;

function list(params: URLSearchParams, key: string): string[] {
  const v = params.get(key);
  return v ? v.split(',').filter(Boolean) : [];
}

export function OrgListPage({ kind }: { kind: Kind }) {
  const { t, i18n } = useTranslation(['registry', 'common']);
  const lang = i18n.language;
  const navigate = useNavigate();
  const base = kind === 'company' ? '/companies' : '/suppliers';
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(query, 120);
  const regions = list(params, 'region') as RegionCode[];
  const ksic = list(params, 'ksic') as KsicDivision[];
  const tech = list(params, 'tech') as TechField[];
  const archived = (params.get('archived') ?? 'active') as 'active' | 'archived' | 'all';
  const sortField = (params.get('sort') ?? 'name') as SortField;
  const sortDir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  const page = Number(params.get('page') ?? '1') || 1;

  // What was last asked of the URL, until the router has rendered it: a filter clicked while the typed query
  // is still being debounced must not be overwritten by the query's update (navigations are transitions).
  const asked = useRef<URLSearchParams | null>(null);
  useEffect(() => {
    asked.current = null;
  }, [params]);
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(asked.current ?? params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('page' in changes)) next.delete('page');
    asked.current = next;
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if (((asked.current ?? params).get('q') ?? '') !== debounced) update({ q: debounced });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the debounced query drives the URL
  }, [debounced]);

  const op = kind === 'company' ? 'companies.list' : 'suppliers.list';
  const result = useOp(op, {
    query: debounced,
    regions,
    ksic,
    techFields: tech,
    archived,
    sort: { field: sortField, dir: sortDir },
    page,
    pageSize: PAGE_SIZE,
  });
  const rows = result.data?.rows ?? [];
  const total = result.data?.total ?? 0;
  const filtered = debounced !== '' || regions.length > 0 || ksic.length > 0 || tech.length > 0 || archived !== 'active';

  const sortStatus: DataTableSortStatus<OrgRow> = { columnAccessor: sortField, direction: sortDir };
  const title = t(kind === 'company' ? 'company.plural' : 'supplier.plural');

  return (
    <Stack gap="md">
      <PageHeader
        title={title}
        subtitle={t(kind === 'company' ? 'company.listSubtitle' : 'supplier.listSubtitle')}
        actions={
          <Button component={Link} to={`${base}/new`} leftSection={<IconPlus size={16} aria-hidden />}>
            {t(kind === 'company' ? 'company.new' : 'supplier.new')}
          </Button>
        }
      />
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          data-autofocus
          autoFocus
          w={360}
          label={t('list.search')}
          placeholder={t('list.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          type="search"
        />
        <MultiSelect
          w={220}
          label={t('fields.region')}
          placeholder={t('list.allRegions')}
          data={REGIONS.map((r) => ({ value: r.code, label: regionName(r.code, lang) }))}
          value={regions}
          onChange={(v) => update({ region: v.join(',') })}
          clearable
          searchable
        />
        <MultiSelect
          w={260}
          label={t('fields.industry')}
          placeholder={t('list.allIndustries')}
          data={KSIC_DIVISIONS.map((d) => ({ value: d.code, label: `${d.code} ${ksicName(d.code, lang)}` }))}
          value={ksic}
          onChange={(v) => update({ ksic: v.join(',') })}
          clearable
          searchable
        />
        {kind === 'supplier' && (
          <MultiSelect
            w={240}
            label={t('fields.techFields')}
            placeholder={t('list.allTechFields')}
            data={TECH_FIELDS.map((f) => ({ value: f.code, label: t(`tech.${f.code}`) }))}
            value={tech}
            onChange={(v) => update({ tech: v.join(',') })}
            clearable
          />
        )}
        <SegmentedControl
          aria-label={t('list.archivedFilter')}
          value={archived}
          onChange={(v) => update({ archived: v === 'active' ? null : v })}
          data={[
            { value: 'active', label: t('list.active') },
            { value: 'archived', label: t('list.archived') },
            { value: 'all', label: t('list.all') },
          ]}
        />
      </Group>
      <ErrorAlert error={result.error} />
      <Text size="sm" c="dimmed" aria-live="polite" data-testid="result-count">
        {t('list.count', { count: total, formatted: formatNumber(total, lang) })}
      </Text>
      <DataTable<OrgRow>
        withTableBorder
        borderRadius="md"
        highlightOnHover
        minHeight={rows.length ? undefined : 320}
        noRecordsText={t('list.noMatches')}
        records={rows}
        idAccessor="id"
        fetching={result.isFetching && !result.data}
        totalRecords={total}
        recordsPerPage={PAGE_SIZE}
        page={page}
        onPageChange={(p) => update({ page: String(p) })}
        paginationText={({ from, to, totalRecords }) => t('list.pagination', { from, to, total: formatNumber(totalRecords, lang) })}
        getPaginationControlProps={(control) =>
          control === 'previous' ? { 'aria-label': t('list.previousPage') } : control === 'next' ? { 'aria-label': t('list.nextPage') } : {}
        }
        sortStatus={sortStatus}
        onSortStatusChange={(s) => update({ sort: String(s.columnAccessor), dir: s.direction })}
        onRowClick={({ record }) => void navigate(`${base}/${record.id}`)}
        emptyState={
          <EmptyState
            title={t(filtered ? 'list.noMatches' : kind === 'company' ? 'company.empty' : 'supplier.empty')}
            description={t(filtered ? 'list.noMatchesHint' : 'list.emptyHint')}
          />
        }
        columns={[
          {
            accessor: 'name',
            title: t('fields.name'),
            sortable: true,
            render: (r) => (
              <Stack gap={0}>
                <Group gap={6}>
                  <Anchor component={Link} to={`${base}/${r.id}`} fw={600} onClick={(e) => e.stopPropagation()}>
                    {r.name}
                  </Anchor>
                  {r.deletedAt && <ArchivedBadge />}
                  <StandingBadge state={r.standing} />
                </Group>
                <Text size="xs" c="dimmed">
                  {formatBrn(r.brn)} · {r.representative}
                </Text>
              </Stack>
            ),
          },
          { accessor: 'region', title: t('fields.region'), sortable: true, render: (r) => regionName(r.region, lang) },
          {
            accessor: 'ksicCode',
            title: t('fields.industry'),
            render: (r) => (
              <Text size="sm" lineClamp={1}>
                {r.industryName || ksicName(r.ksicCode, lang)}
              </Text>
            ),
          },
          ...(kind === 'supplier'
            ? [
                {
                  accessor: 'techFields' as const,
                  title: t('fields.techFields'),
                  render: (r: OrgRow) => (
                    <Group gap={4}>
                      {r.techFields.slice(0, 3).map((f) => (
                        <Badge key={f} size="sm" variant="outline" color="indigo">
                          {t(`tech.${f}`)}
                        </Badge>
                      ))}
                    </Group>
                  ),
                },
                {
                  accessor: 'level' as const,
                  title: t('diagnosis:list.level'),
                  sortable: true,
                  render: (r: OrgRow) => <LevelBadge level={r.level} />,
                },
              ]
            : []),
          {
            accessor: 'employees',
            title: t('fields.employees'),
            sortable: true,
            textAlign: 'right',
            render: (r) => (r.employees === null ? '—' : formatNumber(r.employees, lang)),
          },
          {
            accessor: 'revenue',
            title: t('fields.latestRevenue'),
            sortable: true,
            textAlign: 'right',
            render: (r) => (r.latestRevenue === null ? '—' : `${formatKrw(r.latestRevenue, lang)} (${r.latestFiscalYear ?? ''})`),
          },
          ...(kind === 'company'
            ? [
                {
                  accessor: 'pairId' as const,
                  title: t('fields.mentorPair'),
                  render: (r: OrgRow) =>
                    r.pairId ? (
                      <Badge color="teal" variant="light" c="teal.9">
                        {t('company.assigned')}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('company.unassigned')}
                      </Text>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Stack>
  );
}
