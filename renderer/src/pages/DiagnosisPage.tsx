import { BarChart } from '@mantine/charts';
import { ActionIcon, Alert, Badge, Button, Card, Grid, Group, List, Menu, Modal, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconArrowDownRight, IconArrowUpRight, IconDownload, IconFileTypePdf, IconLock, IconPlus, IconSparkles, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { validationError } from '#shared/contract/validation';
import { formatDate, formatDateTime } from '#shared/domain/format';
import { getDiagnosisInstrument } from '#shared/instruments/index';
import type { DiagnosisInstrument, DiagnosisItem } from '#shared/instruments/diagnosis-types';
import { itemsOf, type DiagnosisResult } from '#shared/scoring/diagnosis';
import { diagnosisHeader, planItemInput } from '#shared/schemas/diagnoses';
import { ApiError, call, useOp } from '../api.ts';
import { ItemInput, l10n } from '../assessment/ItemInput.tsx';
import { SignatureField, type Signature } from '../assessment/SignatureField.tsx';
import { ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';
import { LevelBadge } from '../supplier/SupplierPanels.tsx';

type View = OpOutput<'diagnoses.get'>;
type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'failed'; message: string };
type PlanRow = { id?: string; itemId: string | null; what: string; how: string; dueOn: string | null };

export function DiagnosisPage() {
  const { id = '' } = useParams();
  const view = useOp('diagnoses.get', { id }, { placeholderData: undefined });
  if (view.error) return <ErrorAlert error={view.error} />;
  if (!view.data) return null;
  const instrument = getDiagnosisInstrument(view.data.instrumentId, view.data.instrumentVersion);
  if (!instrument) return <ErrorAlert error={new ApiError({ code: 'internal', messageKey: 'errors.assessment.unknownInstrument', params: { id: view.data.instrumentId, version: view.data.instrumentVersion } })} />;
  return <DiagnosisForm key={`${view.data.id}:${view.data.finalizedAt ?? ''}:${view.data.track}`} data={view.data} instrument={instrument} />;
}

function DiagnosisForm({ data, instrument }: { data: View; instrument: DiagnosisInstrument }) {
  const id = data.id;
  const { t, i18n } = useTranslation(['diagnosis', 'common']);
  const lang = i18n.language;
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const locked = data.finalizedAt !== null;
  const [scores, setScores] = useState<Record<string, number | null>>(() => Object.fromEntries(Object.entries(data.answers).map(([k, v]) => [k, v.score])));
  const [comments, setComments] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(data.answers).map(([k, v]) => [k, v.comment])));
  const [result, setResult] = useState<DiagnosisResult>(data.result);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [header, setHeader] = useState({ track: data.track, consultantName: data.consultantName, diagnosedOn: data.diagnosedOn, strategy: data.strategy });
  const [headerErrors, setHeaderErrors] = useState<Record<string, string>>({});
  const [confirmFinal, setConfirmFinal] = useState(false);
  const [consultantSig, setConsultantSig] = useState<Signature>({ name: data.consultantName, png: null });
  const [supplierSig, setSupplierSig] = useState<Signature>({ name: '', png: null });
  const [exported, setExported] = useState<string | null>(null);
  const items = itemsOf(instrument, data.track);

  const saveAnswer = useCallback(
    async (itemId: string, score: number | null | undefined, comment?: string) => {
      setSave({ kind: 'saving' });
      try {
        const r = await call('diagnoses.saveAnswer', { diagnosisId: id, itemId, ...(score === undefined ? {} : { score }), ...(comment === undefined ? {} : { comment }) });
        setResult(r.result);
        setSave({ kind: 'saved', at: new Date() });
      } catch (err) {
        setSave({ kind: 'failed', message: errors.message(err) });
      }
    },
    [id, errors],
  );

  const saveHeader = async (next: typeof header) => {
    setHeader(next);
    const parsed = diagnosisHeader.safeParse(next, { reportInput: true });
    if (!parsed.success) return setHeaderErrors(errors.fields(validationError(parsed.error).fields));
    setHeaderErrors({});
    try {
      await call('diagnoses.updateHeader', { id, ...next });
      setSave({ kind: 'saved', at: new Date() });
      // A change of track changes the items and the result: reload.
      if (next.track !== data.track) await qc.invalidateQueries();
    } catch (err) {
      if (err instanceof ApiError) setHeaderErrors(errors.fields(err.data.fields));
      notify.failed(err);
    }
  };

  const finalize = async () => {
    try {
      const signatures = [
        ...(consultantSig.png ? [{ role: 'consultant' as const, name: consultantSig.name, png: consultantSig.png }] : []),
        ...(supplierSig.png && supplierSig.name.trim() ? [{ role: 'supplier' as const, name: supplierSig.name, png: supplierSig.png }] : []),
      ];
      await call('diagnoses.finalize', { id, signatures });
      notify.saved(t('finalizeDone'));
      setConfirmFinal(false);
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };

  const exportPdf = async (language: 'ko' | 'en') => {
    try {
      const r = await call('reports.exportDiagnosis', { id, language });
      if (r.path) setExported(r.path);
    } catch (err) {
      notify.failed(err);
    }
  };

  const answeredIn = (area: string) => items.filter((i) => i.area === area && typeof scores[i.id] === 'number').length;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('pageTitle', { supplier: data.supplierName })}
        subtitle={`${l10n(instrument.title, lang)} v${instrument.version} · ${t(`tracks.${data.track}`)}`}
        badges={
          locked ? (
            <Badge leftSection={<IconLock size={12} aria-hidden />} color="gray">
              {t('finalized', { date: formatDateTime(data.finalizedAt ?? '', lang) })}
            </Badge>
          ) : (
            <Badge variant="light">{t('status.draft')}</Badge>
          )
        }
        actions={
          <>
            <Button variant="default" component={Link} to={`/suppliers/${data.supplierId}`}>
              {data.supplierName}
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
                  {t('report.export')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconFileTypePdf size={16} aria-hidden />} onClick={() => void exportPdf('ko')}>
                  {t('report.exportIn', { language: t('common:language.ko') })}
                </Menu.Item>
                <Menu.Item leftSection={<IconFileTypePdf size={16} aria-hidden />} onClick={() => void exportPdf('en')}>
                  {t('report.exportIn', { language: t('common:language.en') })}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {!locked && (
              <Button onClick={() => setConfirmFinal(true)} disabled={!result.complete}>
                {t('finalize')}
              </Button>
            )}
          </>
        }
      />
      {exported && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setExported(null)} data-testid="export-done">
          <Group justify="space-between">
            <Text size="sm">{t('assessment:report.exported', { path: exported })}</Text>
            <Button size="xs" variant="light" onClick={() => void call('files.open', { path: exported }).catch(notify.failed)}>
              {t('assessment:report.open')}
            </Button>
          </Group>
        </Alert>
      )}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <Select
            label={t('track')}
            description={t('trackHelp')}
            disabled={locked}
            allowDeselect={false}
            data={(['basic', 'in_depth'] as const).map((v) => ({ value: v, label: t(`tracks.${v}`) }))}
            value={header.track}
            onChange={(v) => void saveHeader({ ...header, track: v === 'in_depth' ? 'in_depth' : 'basic' })}
          />
          <TextInput
            label={t('consultant')}
            required
            disabled={locked}
            value={header.consultantName}
            error={headerErrors.consultantName}
            onChange={(e) => setHeader({ ...header, consultantName: e.currentTarget.value })}
            onBlur={() => header.consultantName !== data.consultantName && void saveHeader(header)}
          />
          <TextInput
            type="date"
            label={t('diagnosedOn')}
            required
            disabled={locked}
            value={header.diagnosedOn}
            error={headerErrors.diagnosedOn}
            onChange={(e) => setHeader({ ...header, diagnosedOn: e.currentTarget.value })}
            onBlur={() => header.diagnosedOn !== data.diagnosedOn && void saveHeader(header)}
          />
        </SimpleGrid>
      </Card>
      <Text size="sm" c={save.kind === 'failed' ? 'red.8' : 'dimmed'} aria-live="polite" data-testid="save-state">
        {save.kind === 'saving' && t('assessment:saving')}
        {save.kind === 'saved' && t('assessment:autosaved', { time: save.at.toLocaleTimeString(lang) })}
        {save.kind === 'failed' && `${t('assessment:saveFailed')}: ${save.message}`}
      </Text>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            {instrument.areas.map((area) => {
              const inArea = items.filter((i) => i.area === area.id);
              return (
                <Card withBorder key={area.id}>
                  <Group justify="space-between" mb="sm">
                    <Title order={2} size="h4">
                      {l10n(area.text, lang)}
                    </Title>
                    <Text size="sm" c="dimmed">
                      {t('answered', { answered: answeredIn(area.id), total: inArea.length })}
                    </Text>
                  </Group>
                  <Stack gap="lg">
                    {inArea.map((item) => (
                      <DiagnosisItemRow
                        key={item.id}
                        item={item}
                        score={scores[item.id] ?? null}
                        comment={comments[item.id] ?? ''}
                        locked={locked}
                        onScore={(v) => {
                          setScores((s) => ({ ...s, [item.id]: v }));
                          void saveAnswer(item.id, v);
                        }}
                        onComment={(v) => setComments((c) => ({ ...c, [item.id]: v }))}
                        onCommentDone={() => {
                          if ((comments[item.id] ?? '') !== (data.answers[item.id]?.comment ?? '')) void saveAnswer(item.id, undefined, comments[item.id] ?? '');
                        }}
                      />
                    ))}
                  </Stack>
                </Card>
              );
            })}
            <PlanEditor diagnosisId={id} initial={data.plan} instrument={instrument} locked={locked} required={data.track === 'in_depth'} />
            {data.track === 'in_depth' && (
              <Card withBorder>
                <Title order={2} size="h4" mb={4}>
                  {t('strategy')}
                </Title>
                <Textarea
                  aria-label={t('strategy')}
                  description={t('strategyHelp')}
                  autosize
                  minRows={4}
                  disabled={locked}
                  value={header.strategy}
                  error={headerErrors.strategy}
                  onChange={(e) => setHeader({ ...header, strategy: e.currentTarget.value })}
                  onBlur={() => header.strategy !== data.strategy && void saveHeader(header)}
                />
              </Card>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md" style={{ position: 'sticky', top: 72 }}>
            <ResultCard instrument={instrument} result={result} previous={data.previous} />
            <Comparison data={data} instrument={instrument} scores={scores} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={confirmFinal} onClose={() => setConfirmFinal(false)} title={t('finalizeTitle')} size="lg">
        <Text size="sm" mb="md">
          {t('finalizeBody')}
        </Text>
        <Stack gap="md">
          <SignatureField label={t('signers.consultant')} value={consultantSig} onChange={setConsultantSig} />
          <SignatureField label={t('signers.supplier')} value={supplierSig} onChange={setSupplierSig} />
        </Stack>
        {!(consultantSig.png && consultantSig.name.trim()) && (
          <Text size="sm" c="dimmed" mt="sm">
            {t('signatureRequired')}
          </Text>
        )}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirmFinal(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => void finalize()} disabled={!(consultantSig.png && consultantSig.name.trim())}>
            {t('finalize')}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function DiagnosisItemRow(props: {
  item: DiagnosisItem;
  score: number | null;
  comment: string;
  locked: boolean;
  onScore: (v: number | null) => void;
  onComment: (v: string) => void;
  onCommentDone: () => void;
}) {
  const { item, score, comment, locked } = props;
  const { t, i18n } = useTranslation('diagnosis');
  const lang = i18n.language;
  return (
    <Stack gap={6} data-item={item.id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text fw={600} size="sm">
          {l10n(item.text, lang)}
        </Text>
        <Group gap={4} wrap="nowrap">
          {item.inDepthOnly && (
            <Badge size="xs" variant="outline" color="grape" c="grape.9">
              {t('inDepthOnly')}
            </Badge>
          )}
          <Badge size="xs" variant="light" color="gray" c="gray.8">
            {t('weight', { weight: item.weight })}
          </Badge>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        {t('evidence')}: {item.evidence.map((e) => t(`evidenceKinds.${e}`)).join(', ')}
      </Text>
      <ItemInput item={{ ...item, dimension: item.area }} value={score} disabled={locked} onChange={(v) => props.onScore(typeof v === 'number' ? v : null)} />
      <TextInput
        size="xs"
        aria-label={`${t('comment')} — ${l10n(item.text, lang)}`}
        placeholder={t('comment')}
        disabled={locked}
        value={comment}
        onChange={(e) => props.onComment(e.currentTarget.value)}
        onBlur={props.onCommentDone}
      />
    </Stack>
  );
}

function ResultCard({ instrument, result, previous }: { instrument: DiagnosisInstrument; result: DiagnosisResult; previous: View['previous'] }) {
  const { t, i18n } = useTranslation('diagnosis');
  const lang = i18n.language;
  const name = (id: string) => {
    const it = instrument.items.find((i) => i.id === id);
    return it ? l10n(it.text, lang) : id;
  };
  const areaName = (id: string) => l10n(instrument.areas.find((a) => a.id === id)?.text ?? { ko: id, en: id }, lang);
  const now = t('compare.now');
  const before = t('compare.before');
  const chart = result.areas.map((a) => ({ area: areaName(a.id), [now]: a.percent, ...(previous ? { [before]: previous.result.areas.find((x) => x.id === a.id)?.percent ?? 0 } : {}) }));
  const delta = previous ? Math.round((result.points - previous.result.points) * 10) / 10 : null;
  return (
    <Card withBorder data-testid="diagnosis-result">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="sm" c="dimmed">
            {t('grade')}
          </Text>
          <Group gap="xs">
            <Title order={2} size="h2" data-testid="diagnosis-grade">
              {result.grade.label}
            </Title>
            {result.grade.excellent && (
              <Badge color="teal" variant="filled">
                {t('excellent')}
              </Badge>
            )}
            {!result.complete && (
              <Badge color="yellow" variant="light" c="yellow.9">
                {t('provisional')}
              </Badge>
            )}
          </Group>
        </div>
        <div style={{ textAlign: 'right' }}>
          <Text size="sm" c="dimmed">
            {t('points')}
          </Text>
          <Text fw={700} size="xl" data-testid="diagnosis-points">
            {result.points.toFixed(1)}
            <Text span size="sm" c="dimmed">
              {' '}
              / 1,000
            </Text>
          </Text>
          {delta !== null && (
            <Text size="sm" c={delta >= 0 ? 'teal.8' : 'red.8'}>
              {delta >= 0 ? <IconArrowUpRight size={14} aria-hidden /> : <IconArrowDownRight size={14} aria-hidden />}
              {t('compare.gradeChange', { from: previous?.result.grade.label ?? '', to: result.grade.label, points: `${delta > 0 ? '+' : ''}${delta.toFixed(1)}` })}
            </Text>
          )}
        </div>
      </Group>
      <Text size="sm" mt={4}>
        {t('toNext')}: {result.toNextGrade ? t('toNextText', { grade: result.toNextGrade.label, points: result.toNextGrade.points.toFixed(1) }) : t('topGrade')}
      </Text>
      <Text size="sm" fw={600} mt="md" mb={4}>
        {t('areaChart')}
      </Text>
      <div role="img" aria-label={result.areas.map((a) => `${areaName(a.id)} ${a.percent}%`).join(', ')}>
        <BarChart
          h={180}
          data={chart}
          dataKey="area"
          orientation="vertical"
          yAxisProps={{ width: 90 }}
          xAxisProps={{ domain: [0, 100] }}
          withLegend={previous !== null}
          series={[{ name: now, color: 'indigo.6' }, ...(previous ? [{ name: before, color: 'gray.5' }] : [])]}
        />
      </div>
      <Table mt="xs">
        <Table.Tbody>
          {result.areas.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>{areaName(a.id)}</Table.Td>
              <Table.Td className="num">
                {a.points.toFixed(1)} / {a.max.toFixed(1)}
              </Table.Td>
              <Table.Td className="num">{a.percent.toFixed(1)}%</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <SimpleGrid cols={2} mt="md">
        <div>
          <Text size="sm" fw={600}>
            {t('strengths')}
          </Text>
          <List size="xs" spacing={2}>
            {result.strongest.map((s) => (
              <List.Item key={s.itemId}>{name(s.itemId)}</List.Item>
            ))}
          </List>
        </div>
        <div>
          <Text size="sm" fw={600}>
            {t('weaknesses')}
          </Text>
          <List size="xs" spacing={2}>
            {result.weakest.slice(0, 5).map((w) => (
              <List.Item key={w.itemId}>
                {name(w.itemId)} ({t('gain', { points: w.gain.toFixed(1) })})
              </List.Item>
            ))}
          </List>
        </div>
      </SimpleGrid>
      <Text size="xs" fw={600} mt="md">
        {t('gradeScale')}
      </Text>
      <Group gap={4} mt={4}>
        {instrument.grades.map((g) => (
          <Badge key={g.label} tt="none" size="sm" variant={g.label === result.grade.label ? 'filled' : 'outline'} color={g.excellent ? 'teal' : 'indigo'} c={g.label === result.grade.label ? undefined : g.excellent ? 'teal.9' : 'indigo.9'}>
            {t('gradeMin', { grade: g.label, min: g.min })}
          </Badge>
        ))}
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('gradeScaleHelp')}
      </Text>
    </Card>
  );
}

/** The consulting plan: suggested from the weakest items, then edited by the consultant. */
function PlanEditor({ diagnosisId, initial, instrument, locked, required }: { diagnosisId: string; initial: View['plan']; instrument: DiagnosisInstrument; locked: boolean; required: boolean }) {
  const { t, i18n } = useTranslation(['diagnosis', 'common']);
  const lang = i18n.language;
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const [rows, setRows] = useState<PlanRow[]>(initial);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});
  const [dirty, setDirty] = useState(false);
  const set = (i: number, patch: Partial<PlanRow>) => {
    setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
    setDirty(true);
  };
  const persist = async () => {
    const plan = rows.map((r) => ({ ...r, dueOn: r.dueOn || null }));
    const bad = plan.map((p) => planItemInput.safeParse(p, { reportInput: true }));
    const fields = Object.fromEntries(bad.flatMap((b, i) => (b.success ? [] : Object.entries(errors.fields(validationError(b.error).fields)).map(([k, v]) => [`${i}.${k}`, v]))));
    setRowErrors(fields);
    if (Object.keys(fields).length) return;
    try {
      await call('diagnoses.savePlan', { id: diagnosisId, plan });
      setDirty(false);
      notify.saved();
      await qc.invalidateQueries();
    } catch (err) {
      if (err instanceof ApiError) setRowErrors(Object.fromEntries(Object.entries(errors.fields(err.data.fields)).map(([k, v]) => [k.replace(/^plan\./, ''), v])));
      notify.failed(err);
    }
  };
  const suggest = async () => {
    try {
      if (dirty) await call('diagnoses.savePlan', { id: diagnosisId, plan: rows });
      const { added } = await call('diagnoses.suggestPlan', { id: diagnosisId });
      const fresh = await call('diagnoses.get', { id: diagnosisId });
      setRows(fresh.plan);
      setDirty(false);
      notify.saved(added ? t('plan.suggested', { count: added }) : t('plan.nothingToSuggest'));
    } catch (err) {
      notify.failed(err);
    }
  };
  const itemName = (id: string | null) => {
    const it = id ? instrument.items.find((i) => i.id === id) : undefined;
    return it ? l10n(it.text, lang) : null;
  };
  return (
    <Card withBorder data-testid="plan">
      <Group justify="space-between" mb={4}>
        <Title order={2} size="h4">
          {t('plan.title')}
        </Title>
        {!locked && (
          <Group gap="xs">
            <Button size="xs" variant="light" leftSection={<IconSparkles size={14} aria-hidden />} onClick={() => void suggest()}>
              {t('plan.suggest')}
            </Button>
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlus size={14} aria-hidden />}
              onClick={() => {
                setRows((r) => [...r, { itemId: null, what: '', how: '', dueOn: null }]);
                setDirty(true);
              }}
            >
              {t('plan.add')}
            </Button>
          </Group>
        )}
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {t('plan.help')}
        {required && ` ${t('plan.required')}`}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('plan.empty')}
        </Text>
      ) : (
        <Stack gap="sm">
          {rows.map((r, i) => (
            <Card key={r.id ?? `new${i}`} withBorder padding="xs" data-testid="plan-row">
              {itemName(r.itemId) && (
                <Text size="xs" c="dimmed" mb={4}>
                  {itemName(r.itemId)}
                </Text>
              )}
              <Group align="flex-start" wrap="nowrap" gap="xs">
                <Stack gap={4} style={{ flex: 1 }}>
                  <TextInput size="xs" label={t('plan.what')} required disabled={locked} value={r.what} error={rowErrors[`${i}.what`]} onChange={(e) => set(i, { what: e.currentTarget.value })} />
                  <Textarea size="xs" label={t('plan.how')} autosize minRows={1} disabled={locked} value={r.how} error={rowErrors[`${i}.how`]} onChange={(e) => set(i, { how: e.currentTarget.value })} />
                </Stack>
                <TextInput size="xs" type="date" w={150} label={t('plan.due')} disabled={locked} value={r.dueOn ?? ''} error={rowErrors[`${i}.dueOn`]} onChange={(e) => set(i, { dueOn: e.currentTarget.value || null })} />
                {!locked && (
                  <ActionIcon
                    mt={22}
                    variant="subtle"
                    color="red"
                    aria-label={`${t('plan.remove')} ${i + 1}`}
                    onClick={() => {
                      setRows((x) => x.filter((_, j) => j !== i));
                      setDirty(true);
                    }}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </Group>
              {locked && r.dueOn && (
                <Text size="xs" c="dimmed">
                  {formatDate(r.dueOn, lang)}
                </Text>
              )}
            </Card>
          ))}
        </Stack>
      )}
      {!locked && dirty && (
        <Group justify="flex-end" mt="sm">
          <Button size="xs" onClick={() => void persist()}>
            {t('plan.save')}
          </Button>
        </Group>
      )}
    </Card>
  );
}

/** Re-diagnosis against the last finalised one, and another consultant's diagnosis item by item. */
function Comparison({ data, instrument, scores }: { data: View; instrument: DiagnosisInstrument; scores: Record<string, number | null> }) {
  const { t, i18n } = useTranslation('diagnosis');
  const lang = i18n.language;
  const others = useOp('diagnoses.listForSupplier', { supplierId: data.supplierId });
  const [otherId, setOtherId] = useState<string | null>(null);
  const other = useOp('diagnoses.get', { id: otherId ?? '' }, { enabled: otherId !== null, placeholderData: undefined });
  const items = itemsOf(instrument, data.track);
  const rowsFor = (theirs: Record<string, number | null>) =>
    items
      .map((i) => ({ item: i, mine: scores[i.id] ?? null, theirs: theirs[i.id] ?? null }))
      .filter((r) => r.mine !== r.theirs);
  const diffTable = (rows: ReturnType<typeof rowsFor>, theirsLabel: string) => (
    <Table fz="xs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('compare.item')}</Table.Th>
          <Table.Th className="num">{theirsLabel}</Table.Th>
          <Table.Th className="num">{t('compare.now')}</Table.Th>
          <Table.Th className="num">{t('compare.change')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => {
          const d = r.mine !== null && r.theirs !== null ? r.mine - r.theirs : null;
          return (
            <Table.Tr key={r.item.id}>
              <Table.Td>{l10n(r.item.text, lang)}</Table.Td>
              <Table.Td className="num">{r.theirs ?? '—'}</Table.Td>
              <Table.Td className="num">{r.mine ?? '—'}</Table.Td>
              <Table.Td className="num" c={d === null ? undefined : d > 0 ? 'teal.8' : 'red.8'} fw={d !== null && Math.abs(d) >= 2 ? 700 : undefined}>
                {d === null ? '—' : `${d > 0 ? '+' : ''}${d}`}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
  const candidates = (others.data?.rows ?? []).filter((r) => r.id !== data.id);
  const otherRows = other.data ? rowsFor(Object.fromEntries(Object.entries(other.data.answers).map(([k, v]) => [k, v.score]))) : [];
  return (
    <Card withBorder data-testid="comparison">
      <Title order={2} size="h4" mb="sm">
        {t('compare.title')}
      </Title>
      <Text size="sm" fw={600}>
        {t('compare.previous')}
      </Text>
      {data.previous ? (
        <>
          <Text size="xs" c="dimmed" mb={4}>
            {t('compare.previousOf', { date: formatDate(data.previous.diagnosedOn, lang), consultant: data.previous.consultantName })}
          </Text>
          {diffTable(rowsFor(data.previous.scores), t('compare.before'))}
        </>
      ) : (
        <Text size="xs" c="dimmed">
          {t('compare.previousNone')}
        </Text>
      )}
      <Text size="sm" fw={600} mt="md">
        {t('compare.consultants')}
      </Text>
      <Text size="xs" c="dimmed" mb={4}>
        {t('compare.consultantsHelp')}
      </Text>
      {candidates.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('compare.noOther')}
        </Text>
      ) : (
        <>
          <Select
            size="xs"
            label={t('compare.pick')}
            clearable
            data={candidates.map((c) => ({ value: c.id, label: `${formatDate(c.diagnosedOn, lang)} · ${c.consultantName} · ${c.grade}` }))}
            value={otherId}
            onChange={setOtherId}
          />
          {other.data && (
            <>
              <Group gap="xs" my={4}>
                <LevelBadge level={{ grade: other.data.result.grade.label, excellent: other.data.result.grade.excellent === true }} />
                <Text size="xs">{t('compare.differ', { count: otherRows.length, big: otherRows.filter((r) => r.mine !== null && r.theirs !== null && Math.abs(r.mine - r.theirs) >= 2).length })}</Text>
              </Group>
              {diffTable(otherRows, other.data.consultantName)}
            </>
          )}
        </>
      )}
    </Card>
  );
}
