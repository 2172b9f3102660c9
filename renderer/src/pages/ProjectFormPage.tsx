import { Alert, Button, Card, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { validationError } from '#shared/contract/validation';
import { formatDate } from '#shared/domain/format';
import { checkBudget, GRADES, PROGRAMMES, projectWindows, type Grade } from '#shared/domain/projects';
import { projectInput, type ProjectInput } from '#shared/schemas/projects';
import { ApiError, call, useOp } from '../api.ts';
import { ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';
import { KrwInput } from '../components/KrwInput.tsx';
import { l10n } from '../assessment/ItemInput.tsx';

type Num = number | string;
type Project = OpOutput<'projects.get'>;

interface Values {
  programme: string | null;
  title: string;
  startsOn: string;
  endsOn: string;
  contractOn: string;
  finalInspectionOn: string;
  budgetGov: Num;
  budgetCompany: Num;
  budgetLarge: Num;
  swLabourKrw: Num;
  scopeUnits: Num;
  gradesBilled: Partial<Record<Grade, Num>>;
  gradesDeclared: Partial<Record<Grade, Num>>;
  supplierIds: string[];
  notes: string;
}

const num = (v: Num | undefined): number | null => (v === '' || v === undefined || v === null ? null : Number(v));
const grades = (g: Partial<Record<Grade, Num>>) => Object.fromEntries(GRADES.flatMap((k) => (num(g[k]) === null ? [] : [[k, num(g[k]) as number]])));

function fromProject(p: Project | undefined): Values {
  return {
    programme: p?.programme ?? null,
    title: p?.title ?? '',
    startsOn: p?.startsOn ?? '',
    endsOn: p?.endsOn ?? '',
    contractOn: p?.contractOn ?? '',
    finalInspectionOn: p?.finalInspectionOn ?? '',
    budgetGov: p?.budgetGov ?? '',
    budgetCompany: p?.budgetCompany ?? '',
    budgetLarge: p?.budgetLarge || '',
    swLabourKrw: p?.swLabourKrw ?? '',
    scopeUnits: p?.scopeUnits ?? '',
    gradesBilled: p?.gradesBilled ?? {},
    gradesDeclared: p?.gradesDeclared ?? {},
    supplierIds: p?.suppliers.map((s) => s.id) ?? [],
    notes: p?.notes ?? '',
  };
}

export function ProjectFormPage() {
  const { id } = useParams();
  const project = useOp('projects.get', { id: id ?? '' }, { enabled: Boolean(id), placeholderData: undefined });
  if (id && project.error) return <ErrorAlert error={project.error} />;
  if (id && !project.data) return null;
  return <ProjectForm key={id ?? 'new'} project={project.data} />;
}

function ProjectForm({ project }: { project: Project | undefined }) {
  const { t, i18n } = useTranslation(['project', 'common']);
  const lang = i18n.language;
  const [params] = useSearchParams();
  const companyId = project?.companyId ?? params.get('company') ?? '';
  const company = useOp('companies.get', { id: companyId }, { enabled: Boolean(companyId) });
  const navigate = useNavigate();
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const [values, setValues] = useState<Values>(() => fromProject(project));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [supplierQuery, setSupplierQuery] = useState('');
  const suppliers = useOp('suppliers.list', { query: supplierQuery, pageSize: 50 });
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((x) => ({ ...x, [k]: v }));

  // Options: the search results plus the suppliers already picked; excluded or barred ones are flagged and disabled.
  const picked = new Map((project?.suppliers ?? []).map((s) => [s.id, s] as const));
  const options = new Map<string, { value: string; label: string; disabled?: boolean }>();
  for (const s of project?.suppliers ?? []) options.set(s.id, { value: s.id, label: s.name });
  for (const r of suppliers.data?.rows ?? []) {
    if (options.has(r.id)) continue;
    const flagged = r.standing !== 'clear' && !picked.has(r.id);
    options.set(r.id, { value: r.id, label: flagged ? `${r.name} — ${t(`diagnosis:standing.badge.${r.standing}`)}` : r.name, disabled: flagged });
  }

  const input = (): ProjectInput => ({
    companyId,
    programme: values.programme ?? '',
    title: values.title,
    startsOn: values.startsOn,
    endsOn: values.endsOn,
    contractOn: values.contractOn || null,
    finalInspectionOn: values.finalInspectionOn || null,
    budgetGov: num(values.budgetGov) ?? 0,
    budgetCompany: num(values.budgetCompany) ?? 0,
    budgetLarge: num(values.budgetLarge) ?? 0,
    swLabourKrw: num(values.swLabourKrw),
    scopeUnits: num(values.scopeUnits),
    gradesBilled: grades(values.gradesBilled),
    gradesDeclared: grades(values.gradesDeclared),
    supplierIds: values.supplierIds,
    notes: values.notes,
  });

  const save = async () => {
    setFormError(null);
    const data = input();
    const parsed = projectInput.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      setFieldErrors(errors.fields(validationError(parsed.error).fields));
      return;
    }
    setFieldErrors({});
    try {
      const r = project ? await call('projects.update', { ...data, id: project.id }) : await call('projects.create', data);
      await qc.invalidateQueries();
      notify.saved();
      void navigate(`/projects/${r.id}`);
    } catch (err) {
      if (err instanceof ApiError) setFieldErrors(errors.fields(err.data.fields));
      setFormError(errors.message(err));
    }
  };

  const valid = /^\d{4}-\d{2}-\d{2}$/;
  const windows = valid.test(values.startsOn) && valid.test(values.endsOn) && values.endsOn >= values.startsOn ? projectWindows(values.startsOn, values.endsOn) : null;
  const budget = values.programme ? checkBudget(values.programme, num(values.budgetGov) ?? 0, num(values.budgetCompany) ?? 0, num(values.budgetLarge) ?? 0) : null;
  const winWin = values.programme === 'win_win_factory';

  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={project ? t('editTitle', { title: project.title }) : t('newTitle')} subtitle={company.data?.name} />
      {formError && (
        <Alert color="red" role="alert">
          {formError}
        </Alert>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('basics')}
        </Title>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Select
            label={t('programme')}
            required
            searchable
            data={PROGRAMMES.map((p) => ({ value: p.id, label: l10n(p.text, lang) }))}
            value={values.programme}
            error={fieldErrors.programme}
            onChange={(v) => set('programme', v)}
          />
          <TextInput label={t('projectTitle')} required value={values.title} error={fieldErrors.title} onChange={(e) => set('title', e.currentTarget.value)} />
          <MultiSelect
            label={t('suppliers')}
            description={t('suppliersHelp')}
            required
            searchable
            searchValue={supplierQuery}
            onSearchChange={setSupplierQuery}
            data={[...options.values()]}
            value={values.supplierIds}
            error={fieldErrors.supplierIds ?? Object.entries(fieldErrors).find(([k]) => k.startsWith('supplierIds.'))?.[1]}
            onChange={(v) => set('supplierIds', v)}
            nothingFoundMessage={t('noSupplier')}
          />
          <TextInput type="date" label={t('contractOn')} value={values.contractOn} error={fieldErrors.contractOn} onChange={(e) => set('contractOn', e.currentTarget.value)} />
          <TextInput type="date" label={t('startsOn')} required value={values.startsOn} error={fieldErrors.startsOn} onChange={(e) => set('startsOn', e.currentTarget.value)} />
          <TextInput type="date" label={t('endsOn')} required value={values.endsOn} error={fieldErrors.endsOn} onChange={(e) => set('endsOn', e.currentTarget.value)} />
          <TextInput type="date" label={t('finalInspectionOn')} value={values.finalInspectionOn} error={fieldErrors.finalInspectionOn} onChange={(e) => set('finalInspectionOn', e.currentTarget.value)} />
        </SimpleGrid>
        {windows && (
          <Text size="sm" mt="sm" data-testid="windows-preview">
            {t('windowsText', {
              stabFrom: formatDate(windows.stabilisation.from, lang),
              stabTo: formatDate(windows.stabilisation.to, lang),
              asFrom: formatDate(windows.freeAs.from, lang),
              asTo: formatDate(windows.freeAs.to, lang),
            })}
          </Text>
        )}
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb={4}>
          {t('budget')}
        </Title>
        {winWin && (
          <Text size="xs" c="dimmed" mb="sm">
            {t('winWinRule')}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <KrwInput label={t('budgetGov')} required min={0} value={values.budgetGov} error={fieldErrors.budgetGov} onChange={(v) => set('budgetGov', v)} />
          <KrwInput label={t('budgetCompany')} required min={0} value={values.budgetCompany} error={fieldErrors.budgetCompany} onChange={(v) => set('budgetCompany', v)} />
          {winWin && <KrwInput label={t('budgetLarge')} min={0} value={values.budgetLarge} error={fieldErrors.budgetLarge} onChange={(v) => set('budgetLarge', v)} />}
        </SimpleGrid>
        {budget && budget.total > 0 && (
          <Text size="sm" mt="sm" c={budget.problems.length ? 'red.8' : undefined} data-testid="budget-shares">
            {t('shares', { gov: budget.shares.gov, company: budget.shares.company, large: budget.shares.large })}
          </Text>
        )}
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb={4}>
          {t('labour')}
        </Title>
        <Text size="xs" c="dimmed" mb="sm">
          {t('labourHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 2 }} mb="sm">
          <KrwInput label={t('swLabour')} min={0} value={values.swLabourKrw} error={fieldErrors.swLabourKrw} onChange={(v) => set('swLabourKrw', v)} />
          <NumberInput label={t('scopeUnits')} min={0} allowDecimal={false} value={values.scopeUnits} error={fieldErrors.scopeUnits} onChange={(v) => set('scopeUnits', v)} />
        </SimpleGrid>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('grade')}</Table.Th>
              <Table.Th>{t('gradesBilled')}</Table.Th>
              <Table.Th>{t('gradesDeclared')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {GRADES.map((g) => (
              <Table.Tr key={g}>
                <Table.Td>{t(`grades.${g}`)}</Table.Td>
                <Table.Td>
                  <NumberInput size="xs" aria-label={`${t('gradesBilled')} — ${t(`grades.${g}`)}`} min={0} allowDecimal={false} value={values.gradesBilled[g] ?? ''} onChange={(v) => set('gradesBilled', { ...values.gradesBilled, [g]: v })} />
                </Table.Td>
                <Table.Td>
                  <NumberInput size="xs" aria-label={`${t('gradesDeclared')} — ${t(`grades.${g}`)}`} min={0} allowDecimal={false} value={values.gradesDeclared[g] ?? ''} onChange={(v) => set('gradesDeclared', { ...values.gradesDeclared, [g]: v })} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Textarea label={t('notes')} autosize minRows={2} value={values.notes} error={fieldErrors.notes} onChange={(e) => set('notes', e.currentTarget.value)} />
      </Card>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => void navigate(-1)}>
          {t('common:actions.cancel')}
        </Button>
        <Button onClick={() => void save()}>{t('common:actions.save')}</Button>
      </Group>
    </Stack>
  );
}
