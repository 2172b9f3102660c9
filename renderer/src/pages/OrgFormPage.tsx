import { ActionIcon, Alert, Button, Card, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import type { AppErrorData } from '#shared/contract/errors';
import { validationError } from '#shared/contract/validation';
import { formatBrn, isValidBrn, normalizeBrn } from '#shared/domain/brn';
import { ksicDivisionOf, ksicName } from '#shared/domain/ksic';
import { REGIONS, regionName } from '#shared/domain/regions';
import { TECH_FIELDS } from '#shared/domain/tech-fields';
import { supplierInput, type OrgDetail, type SupplierInput } from '#shared/schemas/organizations';
import { ApiError, call, useOp } from '../api.ts';
import { ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';
import { KrwInput } from '../components/KrwInput.tsx';
import { useQueryClient } from '@tanstack/react-query';

type Kind = 'company' | 'supplier';
type Num = number | string;

interface FormValues {
  brn: string;
  name: string;
  representative: string;
  region: string | null;
  address: string;
  ksicCode: string;
  industryName: string;
  employees: Num;
  foundedOn: string;
  notes: string;
  financials: { key: string; fiscalYear: Num; revenue: Num; operatingProfit: Num }[];
  contacts: { key: string; id?: string; name: string; role: string; phone: string; email: string }[];
  techFields: string[];
  buildRecordCount: Num;
  vcInvestments: { key: string; id?: string; amount: Num; investedOn: string; investor: string }[];
}

let keySeq = 0;
const newKey = () => `k${++keySeq}`;
const num = (v: Num): number | null => (v === '' || v === null || v === undefined ? null : Number(v));

function emptyValues(): FormValues {
  const year = new Date().getFullYear() - 1;
  return {
    brn: '',
    name: '',
    representative: '',
    region: null,
    address: '',
    ksicCode: '',
    industryName: '',
    employees: '',
    foundedOn: '',
    notes: '',
    financials: [{ key: newKey(), fiscalYear: year, revenue: '', operatingProfit: '' }],
    contacts: [],
    techFields: [],
    buildRecordCount: '',
    vcInvestments: [],
  };
}

function fromDetail(d: OrgDetail): FormValues {
  return {
    brn: formatBrn(d.brn),
    name: d.name,
    representative: d.representative,
    region: d.region,
    address: d.address,
    ksicCode: d.ksicCode,
    industryName: d.industryName,
    employees: d.employees ?? '',
    foundedOn: d.foundedOn ?? '',
    notes: d.notes,
    financials: d.financials.map((f) => ({ key: newKey(), fiscalYear: f.fiscalYear, revenue: f.revenue ?? '', operatingProfit: f.operatingProfit ?? '' })),
    contacts: d.contacts.map((c) => ({ key: newKey(), ...c })),
    techFields: d.techFields,
    buildRecordCount: d.buildRecordCount ?? '',
    vcInvestments: d.vcInvestments.map((v) => ({ key: newKey(), ...v })),
  };
}

function toInput(v: FormValues): SupplierInput {
  return {
    brn: v.brn,
    name: v.name,
    representative: v.representative,
    region: (v.region ?? '') as SupplierInput['region'],
    address: v.address,
    ksicCode: v.ksicCode,
    industryName: v.industryName,
    employees: num(v.employees),
    foundedOn: v.foundedOn === '' ? null : v.foundedOn,
    notes: v.notes,
    financials: v.financials.map((f) => ({ fiscalYear: num(f.fiscalYear) as number, revenue: num(f.revenue), operatingProfit: num(f.operatingProfit) })),
    contacts: v.contacts.map((c) => ({ ...(c.id ? { id: c.id } : {}), name: c.name, role: c.role, phone: c.phone, email: c.email })),
    techFields: v.techFields as SupplierInput['techFields'],
    buildRecordCount: num(v.buildRecordCount),
    vcInvestments: v.vcInvestments.map((x) => ({ ...(x.id ? { id: x.id } : {}), amount: num(x.amount) as number, investedOn: x.investedOn, investor: x.investor })),
  };
}

export function OrgFormPage({ kind }: { kind: Kind }) {
  const { id } = useParams();
  const { t, i18n } = useTranslation(['registry', 'common']);
  const lang = i18n.language;
  const errors = useErrorText();
  const notify = useNotify();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const base = kind === 'company' ? '/companies' : '/suppliers';
  const existing = useOp(kind === 'company' ? 'companies.get' : 'suppliers.get', { id: id ?? '' }, { enabled: Boolean(id) });
  const [serverError, setServerError] = useState<AppErrorData | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm<FormValues>({ mode: 'controlled', initialValues: emptyValues() });
  const loaded = existing.data;

  useEffect(() => {
    if (loaded) form.setValues(fromDetail(loaded));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per record
  }, [loaded?.id]);

  const showFieldErrors = (data: AppErrorData) => {
    form.setErrors(errors.fields(data.fields));
  };

  const submit = async (values: FormValues) => {
    setServerError(null);
    const input = toInput(values);
    const schema = kind === 'company' ? supplierInput.omit({ techFields: true, buildRecordCount: true, vcInvestments: true }) : supplierInput;
    const parsed = schema.safeParse(input, { reportInput: true });
    if (!parsed.success) {
      const data = validationError(parsed.error);
      showFieldErrors(data);
      setServerError(data);
      return;
    }
    setSaving(true);
    try {
      const { techFields, buildRecordCount, vcInvestments, ...companyFields } = input;
      const supplierExtras = { techFields, buildRecordCount, vcInvestments };
      let savedId: string;
      if (kind === 'company') {
        savedId = id ? (await call('companies.update', { id, ...companyFields })).id : (await call('companies.create', companyFields)).id;
      } else {
        const full = { ...companyFields, ...supplierExtras };
        savedId = id ? (await call('suppliers.update', { id, ...full })).id : (await call('suppliers.create', full)).id;
      }
      await qc.invalidateQueries();
      notify.saved();
      void navigate(`${base}/${savedId}`);
    } catch (err) {
      if (err instanceof ApiError) {
        showFieldErrors(err.data);
        setServerError(err.data);
      } else {
        notify.failed(err);
      }
    } finally {
      setSaving(false);
    }
  };

  const brnValue = form.values.brn;
  const brnHint = normalizeBrn(brnValue).length === 10 && isValidBrn(brnValue) ? t('form.brnValid') : undefined;
  const ksicHint = ksicDivisionOf(form.values.ksicCode) ? ksicName(form.values.ksicCode, lang) : t('form.ksicHint');
  const title = id ? t('form.editTitle', { name: loaded?.name ?? '' }) : t(kind === 'company' ? 'company.new' : 'supplier.new');

  if (id && existing.error) return <ErrorAlert error={existing.error} />;

  return (
    <form onSubmit={form.onSubmit((v) => void submit(v))} noValidate>
      <Stack gap="md" maw={1100}>
        <PageHeader
          title={title}
          actions={
            <>
              <Button variant="default" onClick={() => void navigate(id ? `${base}/${id}` : base)}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={saving}>
                {t('common:actions.save')}
              </Button>
            </>
          }
        />
        {serverError && (
          <Alert color="red" role="alert" title={t('common:actions.failedTitle')} data-testid="form-error">
            {errors.message(new ApiError(serverError))}
          </Alert>
        )}
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('form.basics')}
          </Title>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput
              label={t('fields.brn')}
              required
              placeholder="000-00-00000"
              description={brnHint ?? t('form.brnHint')}
              {...form.getInputProps('brn')}
              onBlur={() => {
                const digits = normalizeBrn(form.values.brn);
                if (digits.length === 10) form.setFieldValue('brn', formatBrn(digits));
              }}
              inputMode="numeric"
              maxLength={14}
            />
            <TextInput label={t('fields.name')} required {...form.getInputProps('name')} />
            <TextInput label={t('fields.representative')} required {...form.getInputProps('representative')} />
            <Select
              label={t('fields.region')}
              required
              searchable
              data={REGIONS.map((r) => ({ value: r.code, label: regionName(r.code, lang) }))}
              {...form.getInputProps('region')}
            />
            <TextInput label={t('fields.ksicCode')} required description={ksicHint} inputMode="numeric" maxLength={5} {...form.getInputProps('ksicCode')} />
            <TextInput label={t('fields.industryName')} {...form.getInputProps('industryName')} />
            <TextInput label={t('fields.address')} {...form.getInputProps('address')} style={{ gridColumn: 'span 2' }} />
            <NumberInput label={t('fields.employees')} min={0} allowDecimal={false} thousandSeparator="," {...form.getInputProps('employees')} />
            <TextInput label={t('fields.foundedOn')} type="date" {...form.getInputProps('foundedOn')} />
          </SimpleGrid>
        </Card>

        {kind === 'supplier' && (
          <Card withBorder>
            <Title order={2} size="h4" mb="sm">
              {t('form.supplierProfile')}
            </Title>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <MultiSelect
                label={t('fields.techFields')}
                data={TECH_FIELDS.map((f) => ({ value: f.code, label: t(`tech.${f.code}`) }))}
                {...form.getInputProps('techFields')}
              />
              <NumberInput label={t('fields.buildRecordCount')} min={0} allowDecimal={false} {...form.getInputProps('buildRecordCount')} />
            </SimpleGrid>
            <Text fw={600} size="sm" mt="md" mb={4}>
              {t('fields.vcInvestments')}
            </Text>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('fields.vcAmount')}</Table.Th>
                  <Table.Th>{t('fields.vcDate')}</Table.Th>
                  <Table.Th>{t('fields.vcInvestor')}</Table.Th>
                  <Table.Th aria-label={t('common:actions.remove')} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {form.values.vcInvestments.map((v, i) => (
                  <Table.Tr key={v.key}>
                    <Table.Td>
                      <KrwInput
                        aria-label={t('fields.vcAmount')}
                        {...form.getInputProps(`vcInvestments.${i}.amount`)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput aria-label={t('fields.vcDate')} type="date" {...form.getInputProps(`vcInvestments.${i}.investedOn`)} />
                    </Table.Td>
                    <Table.Td>
                      <TextInput aria-label={t('fields.vcInvestor')} {...form.getInputProps(`vcInvestments.${i}.investor`)} />
                    </Table.Td>
                    <Table.Td>
                      <ActionIcon variant="subtle" color="red" aria-label={t('common:actions.remove')} onClick={() => form.removeListItem('vcInvestments', i)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Button
              variant="subtle"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => form.insertListItem('vcInvestments', { key: newKey(), amount: '', investedOn: '', investor: '' })}
              mt="xs"
              w="fit-content"
            >
              {t('form.addVc')}
            </Button>
          </Card>
        )}

        <Card withBorder>
          <Title order={2} size="h4" mb={4}>
            {t('form.financials')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('form.financialsHint')}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('fields.fiscalYear')}</Table.Th>
                <Table.Th>{t('fields.revenue')}</Table.Th>
                <Table.Th>{t('fields.operatingProfit')}</Table.Th>
                <Table.Th aria-label={t('common:actions.remove')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {form.values.financials.map((f, i) => (
                <Table.Tr key={f.key}>
                  <Table.Td w={140}>
                    <NumberInput aria-label={t('fields.fiscalYear')} allowDecimal={false} min={1950} {...form.getInputProps(`financials.${i}.fiscalYear`)} />
                  </Table.Td>
                  <Table.Td>
                    <KrwInput
                      aria-label={t('fields.revenue')}
                      allowNegative={false}
                      {...form.getInputProps(`financials.${i}.revenue`)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <KrwInput
                      aria-label={t('fields.operatingProfit')}
                      {...form.getInputProps(`financials.${i}.operatingProfit`)}
                    />
                  </Table.Td>
                  <Table.Td w={48}>
                    <ActionIcon variant="subtle" color="red" aria-label={t('common:actions.remove')} onClick={() => form.removeListItem('financials', i)}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Button
            variant="subtle"
            leftSection={<IconPlus size={14} aria-hidden />}
            mt="xs"
            w="fit-content"
            onClick={() => {
              const years = form.values.financials.map((f) => Number(f.fiscalYear)).filter((y) => !Number.isNaN(y));
              const next = years.length ? Math.min(...years) - 1 : new Date().getFullYear() - 1;
              form.insertListItem('financials', { key: newKey(), fiscalYear: next, revenue: '', operatingProfit: '' });
            }}
          >
            {t('form.addYear')}
          </Button>
        </Card>

        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('form.contacts')}
          </Title>
          <Stack gap="xs">
            {form.values.contacts.map((c, i) => (
              <Group key={c.key} align="flex-start" grow preventGrowOverflow={false}>
                <TextInput label={t('fields.contactName')} required {...form.getInputProps(`contacts.${i}.name`)} />
                <TextInput label={t('fields.contactRole')} {...form.getInputProps(`contacts.${i}.role`)} />
                <TextInput label={t('fields.phone')} type="tel" {...form.getInputProps(`contacts.${i}.phone`)} />
                <TextInput label={t('fields.email')} type="email" {...form.getInputProps(`contacts.${i}.email`)} />
                <ActionIcon mt={26} variant="subtle" color="red" aria-label={t('common:actions.remove')} onClick={() => form.removeListItem('contacts', i)} style={{ flexGrow: 0 }}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
          <Button
            variant="subtle"
            leftSection={<IconPlus size={14} aria-hidden />}
            mt="xs"
            w="fit-content"
            onClick={() => form.insertListItem('contacts', { key: newKey(), name: '', role: '', phone: '', email: '' })}
          >
            {t('form.addContact')}
          </Button>
        </Card>

        <Card withBorder>
          <Textarea label={t('fields.notes')} autosize minRows={3} maxRows={10} {...form.getInputProps('notes')} />
        </Card>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void navigate(id ? `${base}/${id}` : base)}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={saving}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
