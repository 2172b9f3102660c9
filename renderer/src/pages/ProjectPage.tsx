import { BarChart } from '@mantine/charts';
import { Alert, Badge, Button, Card, FileButton, Group, List, Modal, Radio, SegmentedControl, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconEdit, IconFileImport, IconFlag, IconLock, IconPhoto, IconPlus, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { formatDate, formatDateRange, formatDateTime, formatKrw, formatNumber } from '#shared/domain/format';
import { localToday } from '#shared/domain/dates';
import { PROGRAMMES } from '#shared/domain/projects';
import type { RedFlagRule } from '#shared/domain/red-flags';
import { postbuildV1, type CheckItem } from '#shared/instruments/postbuild-v1';
import { call, useOp, useOpMutation } from '../api.ts';
import { l10n } from '../assessment/ItemInput.tsx';
import { readAsBase64 } from '../assessment/Evidence.tsx';
import { SignatureField, type Signature } from '../assessment/SignatureField.tsx';
import { ErrorAlert, Field, PageHeader, useErrorText, useNotify } from '../components/common.tsx';
import { StartLevelButton } from '../project/ProjectCards.tsx';
import { StandingBadge } from '../supplier/SupplierPanels.tsx';

type Project = OpOutput<'projects.get'>;

export function ProjectPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'overview';
  const project = useOp('projects.get', { id }, { placeholderData: undefined });
  if (project.error) return <ErrorAlert error={project.error} />;
  const p = project.data;
  if (!p) return null;
  const programme = PROGRAMMES.find((x) => x.id === p.programme);
  return (
    <Stack gap="md" maw={1200}>
      <PageHeader
        title={p.title}
        subtitle={`${p.companyName} · ${programme ? l10n(programme.text, lang) : p.programme} · ${formatDateRange(p.startsOn, p.endsOn, lang)}`}
        badges={
          p.specialInspection ? (
            <Badge color="red" variant="light" c="red.9" leftSection={<IconAlertTriangle size={12} aria-hidden />}>
              {t('specialInspection')}
            </Badge>
          ) : null
        }
        actions={
          <>
            <Button variant="default" component={Link} to={`/companies/${p.companyId}`}>
              {p.companyName}
            </Button>
            <StartLevelButton companyId={p.companyId} projectId={p.id} />
            <Button component={Link} to={`/projects/${p.id}/edit`} leftSection={<IconEdit size={16} aria-hidden />}>
              {t('common:actions.edit')}
            </Button>
          </>
        }
      />
      <Tabs value={tab} onChange={(v) => setParams(v && v !== 'overview' ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">{t('tabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="check">{t('tabs.check')}</Tabs.Tab>
          <Tabs.Tab value="usage">{t('tabs.usage')}</Tabs.Tab>
          <Tabs.Tab value="evidence">{t('tabs.evidence')}</Tabs.Tab>
          <Tabs.Tab value="flags" leftSection={<IconFlag size={14} aria-hidden />}>
            {t('tabs.flags')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Overview p={p} />
        </Tabs.Panel>
        <Tabs.Panel value="check" pt="md">
          <Checks projectId={p.id} />
        </Tabs.Panel>
        <Tabs.Panel value="usage" pt="md">
          <Usage projectId={p.id} />
        </Tabs.Panel>
        <Tabs.Panel value="evidence" pt="md">
          <Evidence projectId={p.id} />
        </Tabs.Panel>
        <Tabs.Panel value="flags" pt="md">
          <RedFlags projectId={p.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function Overview({ p }: { p: Project }) {
  const { t, i18n } = useTranslation('project');
  const lang = i18n.language;
  const today = localToday();
  const inWindow = (w: { from: string; to: string }) => today >= w.from && today <= w.to;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('dates')}
        </Title>
        <Table>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td>{t('projectPeriod')}</Table.Td>
              <Table.Td>
                {formatDateRange(p.startsOn, p.endsOn, lang)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>{t('stabilisation')}</Table.Td>
              <Table.Td data-testid="stabilisation-window">
                {formatDateRange(p.windows.stabilisation.from, p.windows.stabilisation.to, lang)} {inWindow(p.windows.stabilisation) && <Badge size="xs">{t('now')}</Badge>}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>{t('freeAs')}</Table.Td>
              <Table.Td data-testid="free-as-window">
                {formatDateRange(p.windows.freeAs.from, p.windows.freeAs.to, lang)} {inWindow(p.windows.freeAs) && <Badge size="xs">{t('now')}</Badge>}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>{t('contractOn')}</Table.Td>
              <Table.Td>{p.contractOn ? formatDate(p.contractOn, lang) : '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>{t('finalInspectionOn')}</Table.Td>
              <Table.Td>{p.finalInspectionOn ? formatDate(p.finalInspectionOn, lang) : '—'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('budget')}
        </Title>
        <SimpleGrid cols={3}>
          <Field label={t('budgetGov')}>{formatKrw(p.budgetGov, lang)}</Field>
          <Field label={t('budgetCompany')}>{formatKrw(p.budgetCompany, lang)}</Field>
          <Field label={t('budgetLarge')}>{p.budgetLarge ? formatKrw(p.budgetLarge, lang) : '—'}</Field>
        </SimpleGrid>
        <Text size="sm" mt="sm">
          {t('shares', p.budget.shares)}
        </Text>
        <Title order={3} size="h5" mt="md" mb="xs">
          {t('suppliers')}
        </Title>
        <Stack gap={4}>
          {p.suppliers.map((s) => (
            <Group key={s.id} gap="xs">
              <Text component={Link} to={`/suppliers/${s.id}`} size="sm" fw={600} c="indigo.8">
                {s.name}
              </Text>
              <StandingBadge state={s.standing.state} until={s.standing.state === 'excluded' ? s.standing.until : undefined} />
            </Group>
          ))}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}

function Checks({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const qc = useQueryClient();
  const list = useOp('postbuild.list', { projectId });
  const [openId, setOpenId] = useState<string | null>(null);
  const rows = list.data?.rows ?? [];
  const current = rows.find((r) => r.id === openId) ?? rows[0] ?? null;
  const start = async () => {
    try {
      const r = await call('postbuild.create', { projectId, checkedOn: localToday() });
      await qc.invalidateQueries();
      setOpenId(r.id);
    } catch (err) {
      notify.failed(err);
    }
  };
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Group gap="xs">
          {rows.map((r) => (
            <Button key={r.id} size="xs" variant={current?.id === r.id ? 'filled' : 'default'} onClick={() => setOpenId(r.id)} leftSection={r.signedAt ? <IconLock size={12} aria-hidden /> : null}>
              {formatDate(r.checkedOn, lang)}
            </Button>
          ))}
        </Group>
        <Button size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => void start()}>
          {t('check.new')}
        </Button>
      </Group>
      {current ? <CheckForm key={`${current.id}:${current.signedAt ?? ''}`} check={current} /> : <Text c="dimmed">{t('check.none')}</Text>}
    </Stack>
  );
}

type Check = OpOutput<'postbuild.get'>;

function CheckForm({ check }: { check: Check }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const locked = check.signedAt !== null;
  const [view, setView] = useState(check);
  const [values, setValues] = useState<Record<string, string | number | null>>(() => Object.fromEntries(Object.entries(check.answers).map(([k, v]) => [k, v.value])));
  const [itemErrors, setItemErrors] = useState<Record<string, string>>({});
  const [signOpen, setSignOpen] = useState(false);
  const [sig, setSig] = useState<Signature>({ name: '', png: null });
  const save = async (itemId: string, value: string | number | null) => {
    setValues((v) => ({ ...v, [itemId]: value }));
    try {
      setView(await call('postbuild.saveAnswer', { checkId: check.id, itemId, value }));
      setItemErrors((e) => ({ ...e, [itemId]: '' }));
    } catch (err) {
      setItemErrors((e) => ({ ...e, [itemId]: errors.message(err) }));
    }
  };
  const sign = async () => {
    if (!sig.png) return;
    try {
      await call('postbuild.sign', { id: check.id, name: sig.name, png: sig.png });
      setSignOpen(false);
      notify.saved(t('check.signed'));
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  const visible = (i: CheckItem) => !i.showIf || i.showIf.in.includes(String(values[i.showIf.item] ?? ''));
  return (
    <Stack gap="md">
      {view.flags.length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title={t('check.flagsTitle')} data-testid="check-flags">
          <List size="sm">
            {view.flags.map((f, i) => (
              <List.Item key={i}>{t(f.key, { ...f.params, kpi: typeof f.params.kpi === 'string' ? t(`kpis.${f.params.kpi}`) : '' })}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {postbuildV1.sections.map((section) => (
        <Card withBorder key={section.id}>
          <Title order={2} size="h4" mb="sm">
            {l10n(section.text, lang)}
          </Title>
          <SimpleGrid cols={{ base: 1, md: section.id === 'outcomes' ? 2 : 1 }}>
            {postbuildV1.items
              .filter((i) => i.section === section.id && visible(i))
              .map((item) => (
                <CheckInput key={item.id} item={item} value={values[item.id] ?? null} disabled={locked} error={itemErrors[item.id] || (view.missing.includes(item.id) && locked ? t('messages:validation.required') : undefined)} onSave={(v) => void save(item.id, v)} />
              ))}
          </SimpleGrid>
        </Card>
      ))}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {locked ? t('check.signedBy', { name: view.signerName ?? '', at: formatDateTime(view.signedAt ?? '', lang) }) : t('check.missing', { count: view.missing.length })}
        </Text>
        {!locked && (
          <Button disabled={view.missing.length > 0} onClick={() => setSignOpen(true)}>
            {t('check.sign')}
          </Button>
        )}
      </Group>
      <Modal opened={signOpen} onClose={() => setSignOpen(false)} title={t('check.signTitle')}>
        <Text size="sm" mb="md">
          {t('check.signBody')}
        </Text>
        <SignatureField label={t('check.mentor')} value={sig} onChange={setSig} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setSignOpen(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button disabled={!sig.png || !sig.name.trim()} onClick={() => void sign()}>
            {t('check.sign')}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function CheckInput({ item, value, disabled, error, onSave }: { item: CheckItem; value: string | number | null; disabled: boolean; error: string | undefined; onSave: (v: string | number | null) => void }) {
  const { t, i18n } = useTranslation('project');
  const label = l10n(item.text, i18n.language);
  const [text, setText] = useState(value === null ? '' : String(value));
  const help = item.help ? l10n(item.help, i18n.language) : undefined;
  switch (item.type) {
    case 'ypn':
    case 'yn':
      return (
        <Radio.Group label={label} description={help} error={error} value={typeof value === 'string' ? value : null} onChange={(v) => onSave(v)} data-item={item.id}>
          <Group gap="lg" mt={4}>
            {(item.type === 'ypn' ? (['yes', 'partly', 'no'] as const) : (['yes', 'no'] as const)).map((v) => (
              <Radio key={v} value={v} disabled={disabled} label={t(`answers.${v}`)} />
            ))}
          </Group>
        </Radio.Group>
      );
    case 'number':
    case 'date':
    case 'text': {
      const commit = () => {
        const next = text.trim() === '' ? null : item.type === 'number' ? Number(text.replace(/,/g, '')) : text;
        if (next !== value) onSave(next);
      };
      return item.type === 'text' ? (
        <Textarea label={label} description={help} error={error} disabled={disabled} autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} onBlur={commit} data-item={item.id} />
      ) : (
        <TextInput
          label={label}
          description={help}
          error={error}
          disabled={disabled}
          type={item.type === 'date' ? 'date' : 'text'}
          inputMode={item.type === 'number' ? 'decimal' : undefined}
          rightSection={item.unit ? <Text size="xs">{t(`units.${item.unit}`)}</Text> : null}
          rightSectionWidth={item.unit ? 56 : undefined}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onBlur={commit}
          data-item={item.id}
        />
      );
    }
  }
}

function Usage({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation('project');
  const lang = i18n.language;
  const notify = useNotify();
  const qc = useQueryClient();
  const usage = useOp('usage.get', { projectId });
  const [kind, setKind] = useState<'login' | 'material'>('login');
  const u = usage.data;
  const importFile = async (file: File | null) => {
    if (!file) return;
    try {
      const r = await call('usage.import', { projectId, kind, fileName: file.name, data: await readAsBase64(file) });
      notify.saved(t('usage.imported', { days: r.days, rows: r.rows, skipped: r.skipped }));
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  if (!u) return null;
  const row = (label: string, w: typeof u.stabilisation) => (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td className="num">{formatNumber(w.login.activeUsers, lang)}</Table.Td>
      <Table.Td className="num">{formatNumber(w.login.activeDays, lang)}</Table.Td>
      <Table.Td className="num">{formatNumber(w.material.events, lang)}</Table.Td>
      <Table.Td className="num">{formatNumber(w.material.eventsPer30Days, lang)}</Table.Td>
    </Table.Tr>
  );
  return (
    <Stack gap="md">
      <Card withBorder>
        <Title order={2} size="h4" mb={4}>
          {t('usage.import')}
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('usage.importHelp')}
        </Text>
        <Group>
          <SegmentedControl
            aria-label={t('usage.kind')}
            value={kind}
            onChange={(v) => setKind(v === 'material' ? 'material' : 'login')}
            data={[
              { value: 'login', label: t('usage.kinds.login') },
              { value: 'material', label: t('usage.kinds.material') },
            ]}
          />
          <FileButton onChange={(f) => void importFile(f)} accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
            {(props) => (
              <Button {...props} leftSection={<IconFileImport size={16} aria-hidden />}>
                {t('usage.chooseFile')}
              </Button>
            )}
          </FileButton>
        </Group>
        {u.imports.length > 0 && (
          <Table mt="sm" fz="xs">
            <Table.Tbody>
              {u.imports.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{t(`usage.kinds.${i.kind}`)}</Table.Td>
                  <Table.Td>{i.fileName}</Table.Td>
                  <Table.Td>{i.from && i.to ? formatDateRange(i.from, i.to, lang) : '—'}</Table.Td>
                  <Table.Td>{t('usage.rows', { rows: i.rows, skipped: i.skipped })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      {u.warnings.filter((w) => w !== 'usage.none').length > 0 && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} data-testid="usage-warnings">
          <List size="sm">
            {u.warnings
              .filter((w) => w !== 'usage.none')
              .map((w) => (
                <List.Item key={w}>{t(w)}</List.Item>
              ))}
          </List>
        </Alert>
      )}
      <Card withBorder>
        <Table data-testid="usage-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('usage.window')}</Table.Th>
              <Table.Th className="num">{t('usage.activeUsers')}</Table.Th>
              <Table.Th className="num">{t('usage.loginDays')}</Table.Th>
              <Table.Th className="num">{t('usage.materialEvents')}</Table.Th>
              <Table.Th className="num">{t('usage.materialPer30')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {row(t('stabilisation'), u.stabilisation)}
            {row(t('freeAs'), u.freeAs)}
            {row(t('usage.recent'), u.recent)}
          </Table.Tbody>
        </Table>
        {u.months.length > 0 && (
          <div role="img" aria-label={t('usage.chart')}>
            <BarChart
              mt="md"
              h={200}
              data={u.months}
              dataKey="month"
              withLegend
              series={[
                { name: 'loginDays', label: t('usage.loginDays'), color: 'indigo.6' },
                { name: 'materialEvents', label: t('usage.materialEvents'), color: 'teal.6' },
              ]}
            />
          </div>
        )}
      </Card>
    </Stack>
  );
}

function Evidence({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const qc = useQueryClient();
  const photos = useOp('projects.photos', { projectId });
  const docs = useOp('projects.documents', { projectId });
  const [rows, setRows] = useState<{ id?: string; title: string; datedOn: string; submittedOn: string }[] | null>(null);
  const current = rows ?? docs.data?.rows ?? [];
  const upload = async (file: File | null) => {
    if (!file) return;
    try {
      await call('projects.addPhoto', { projectId, fileName: file.name, caption: '', data: await readAsBase64(file) });
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  const saveDocs = async () => {
    try {
      await call('projects.saveDocuments', { projectId, documents: current });
      setRows(null);
      notify.saved();
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4">
            {t('photos.title')}
          </Title>
          <FileButton onChange={(f) => void upload(f)} accept="image/jpeg,image/png,image/webp">
            {(props) => (
              <Button size="xs" {...props} leftSection={<IconPhoto size={14} aria-hidden />}>
                {t('photos.add')}
              </Button>
            )}
          </FileButton>
        </Group>
        <Text size="xs" c="dimmed" mb="sm">
          {t('photos.help')}
        </Text>
        <Table fz="sm">
          <Table.Tbody>
            {(photos.data?.rows ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.fileName}</Table.Td>
                <Table.Td>{p.takenAt ? t('photos.takenAt', { date: formatDateTime(p.takenAt, lang) }) : t('photos.noDate')}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {p.sha256.slice(0, 12)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('documents.title')}
        </Title>
        <Stack gap="xs">
          {current.map((d, i) => (
            <Group key={d.id ?? `n${i}`} gap="xs" align="flex-end" wrap="nowrap">
              <TextInput size="xs" style={{ flex: 1 }} label={t('documents.name')} value={d.title} onChange={(e) => setRows(current.map((x, j) => (j === i ? { ...x, title: e.currentTarget.value } : x)))} />
              <TextInput size="xs" type="date" label={t('documents.datedOn')} value={d.datedOn} onChange={(e) => setRows(current.map((x, j) => (j === i ? { ...x, datedOn: e.currentTarget.value } : x)))} />
              <TextInput size="xs" type="date" label={t('documents.submittedOn')} value={d.submittedOn} onChange={(e) => setRows(current.map((x, j) => (j === i ? { ...x, submittedOn: e.currentTarget.value } : x)))} />
              <Button size="xs" variant="subtle" color="red" aria-label={`${t('common:actions.remove')} ${i + 1}`} onClick={() => setRows(current.filter((_, j) => j !== i))}>
                <IconTrash size={14} />
              </Button>
            </Group>
          ))}
        </Stack>
        <Group justify="space-between" mt="sm">
          <Button size="xs" variant="default" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setRows([...current, { title: '', datedOn: localToday(), submittedOn: localToday() }])}>
            {t('documents.add')}
          </Button>
          {rows && (
            <Button size="xs" onClick={() => void saveDocs()}>
              {t('common:actions.save')}
            </Button>
          )}
        </Group>
      </Card>
    </SimpleGrid>
  );
}

function RedFlags({ projectId }: { projectId: string }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const flags = useOp('flags.list', { projectId });
  const record = useOpMutation('flags.record');
  const [open, setOpen] = useState<{ rule: RedFlagRule; status: 'cleared' | 'confirmed' } | null>(null);
  const [note, setNote] = useState('');
  const [by, setBy] = useState('');
  const rows = flags.data?.flags ?? [];
  const fmt = (params: Record<string, string | number>) =>
    Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v, lang) : k === 'perUnit' || k === 'median' ? formatKrw(Number(v), lang) : k === 'grade' ? t(`grades.${String(v)}`) : v]));
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('flags.help')}
      </Text>
      {rows.length === 0 ? (
        <Alert color="teal">{t('flags.none')}</Alert>
      ) : (
        rows.map((f, i) => (
          <Card withBorder key={`${f.rule}${i}`} data-testid="red-flag">
            <Group justify="space-between" align="flex-start">
              <div>
                <Group gap="xs">
                  <IconFlag size={16} color="var(--mantine-color-red-8)" aria-hidden />
                  <Text fw={700}>{t(`flags.rules.${f.rule}.title`)}</Text>
                  {f.finding && (
                    <Badge color={f.finding.status === 'cleared' ? 'teal' : 'red'} variant="light" c={f.finding.status === 'cleared' ? 'teal.9' : 'red.9'}>
                      {t(`flags.status.${f.finding.status}`)}
                    </Badge>
                  )}
                </Group>
                <Text size="sm" mt={4}>
                  {t(`flags.rules.${f.rule}.why`, { ...fmt(f.params), ...(f.params.match === 'near' ? { context: 'near' } : {}) })}
                </Text>
                {f.finding && (
                  <Text size="xs" c="dimmed" mt={4}>
                    {t('flags.findingBy', { by: f.finding.recordedBy, at: formatDateTime(f.finding.at, lang) })}: {f.finding.note}
                  </Text>
                )}
              </div>
              <Group gap="xs">
                <Button size="xs" variant="default" onClick={() => setOpen({ rule: f.rule, status: 'cleared' })}>
                  {t('flags.clear')}
                </Button>
                <Button size="xs" color="red" variant="light" onClick={() => setOpen({ rule: f.rule, status: 'confirmed' })}>
                  {t('flags.confirm')}
                </Button>
              </Group>
            </Group>
          </Card>
        ))
      )}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open ? t(`flags.status.${open.status}`) : ''}>
        <Stack>
          <Textarea label={t('flags.note')} required autosize minRows={3} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <TextInput label={t('flags.recordedBy')} required value={by} onChange={(e) => setBy(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              disabled={!note.trim() || !by.trim()}
              onClick={() =>
                open &&
                void record
                  .mutateAsync({ projectId, rule: open.rule, status: open.status, note, recordedBy: by })
                  .then(() => {
                    setOpen(null);
                    setNote('');
                    notify.saved();
                  })
                  .catch(notify.failed)
              }
            >
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
