import { ActionIcon, Alert, Badge, Button, Card, Grid, Group, Menu, Modal, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconFileSpreadsheet, IconFileTypeCsv, IconFileTypePdf, IconHistory, IconLock, IconMessagePlus } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDateTime } from '#shared/domain/format';
import { getInstrument } from '#shared/instruments/index';
import type { Answer, CompanyType, Item } from '#shared/instruments/types';
import type { AssessmentResult } from '#shared/scoring/assessment';
import type { OpOutput } from '#shared/contract/index';
import { ApiError, call, useOp } from '../api.ts';
import { Evidence } from '../assessment/Evidence.tsx';
import { ItemInput, l10n } from '../assessment/ItemInput.tsx';
import { KpiBaseline } from '../assessment/KpiBaseline.tsx';
import { ResultPanel } from '../assessment/ResultPanel.tsx';
import { SignatureField, type Signature } from '../assessment/SignatureField.tsx';
import { ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';

type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; at: Date } | { kind: 'failed'; message: string };

function HistoryModal({ assessmentId, item, onClose }: { assessmentId: string; item: Item; onClose: () => void }) {
  const { t, i18n } = useTranslation('assessment');
  const history = useOp('assessments.history', { assessmentId, itemId: item.id });
  const show = (v: unknown) => (v === null || v === undefined ? '—' : JSON.stringify(v));
  return (
    <Modal opened onClose={onClose} title={t('historyTitle', { item: l10n(item.text, i18n.language) })} size="lg">
      {history.data?.rows.length ? (
        <Table>
          <Table.Tbody>
            {history.data.rows.map((r, i) => (
              <Table.Tr key={i}>
                <Table.Td>{formatDateTime(r.at, i18n.language)}</Table.Td>
                <Table.Td>{t(r.field === 'value' ? 'result' : 'comment')}</Table.Td>
                <Table.Td>{t('historyRow', { from: show(r.oldValue), to: show(r.newValue) })}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {r.userId.slice(-8)} · {r.deviceId.slice(-6)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          {t('historyEmpty')}
        </Text>
      )}
    </Modal>
  );
}

export function AssessmentFormPage() {
  const { id = '' } = useParams();
  const view = useOp('assessments.get', { id }, { placeholderData: undefined });
  if (view.error) return <ErrorAlert error={view.error} />;
  if (!view.data) return null;
  return <AssessmentForm key={view.data.id} data={view.data} />;
}

function AssessmentForm({ data }: { data: OpOutput<'assessments.get'> }) {
  const id = data.id;
  const { t, i18n } = useTranslation(['assessment', 'common']);
  const lang = i18n.language;
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const navigate = useNavigate();
  // Local copies: the form is the source of truth while open; every change is saved at once.
  const [answers, setAnswers] = useState<Record<string, Answer | null>>(() => Object.fromEntries(Object.entries(data.answers).map(([k, v]) => [k, v.value as Answer | null])));
  const [comments, setComments] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(data.answers).map(([k, v]) => [k, v.comment])));
  const [result, setResult] = useState<AssessmentResult>(data.result);
  // A colleague's answers arriving by sync (the stored data changed under the open form): take every item
  // whose stored value changed since the form last saw it. Our own saves come back equal and change nothing.
  const [seen, setSeen] = useState(data);
  if (seen !== data) {
    const changed = Object.entries(data.answers).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(seen.answers[k]));
    if (changed.length > 0) {
      setAnswers((a) => ({ ...a, ...Object.fromEntries(changed.map(([k, v]) => [k, v.value as Answer | null])) }));
      setComments((c) => ({ ...c, ...Object.fromEntries(changed.map(([k, v]) => [k, v.comment])) }));
      setResult(data.result);
    }
    setSeen(data);
  }
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [historyItem, setHistoryItem] = useState<Item | null>(null);
  const [confirmFinal, setConfirmFinal] = useState(false);
  const [overrideOpen, setOverrideOpen] = useState(false);
  const [overrideType, setOverrideType] = useState<string | null>(null);
  const [overrideReason, setOverrideReason] = useState('');
  const [overrideError, setOverrideError] = useState<string | undefined>();
  const [exported, setExported] = useState<string | null>(null);
  const company = useOp('companies.get', { id: data.companyId });
  const evidence = useOp('evidence.list', { assessmentId: id });
  const [processSig, setProcessSig] = useState<Signature>({ name: '', png: null });
  const [aiSig, setAiSig] = useState<Signature>({ name: '', png: null });
  const pair = company.data?.pair;
  const bothSigned = Boolean(processSig.png && aiSig.png && processSig.name.trim() && aiSig.name.trim());


  const saveAnswer = useCallback(
    async (itemId: string, value: Answer | null, comment?: string) => {
      setSave({ kind: 'saving' });
      try {
        const r = await call('assessments.saveAnswer', { assessmentId: id, itemId, value, ...(comment === undefined ? {} : { comment }) });
        setResult(r.result);
        setSave({ kind: 'saved', at: new Date() });
      } catch (err) {
        setSave({ kind: 'failed', message: errors.message(err) });
      }
    },
    [id, errors],
  );

  const instrument = getInstrument(data.instrumentId, data.instrumentVersion);
  if (!instrument) return <ErrorAlert error={new ApiError({ code: 'internal', messageKey: 'errors.assessment.unknownInstrument', params: { id: data.instrumentId, version: data.instrumentVersion } })} />;
  const locked = data.finalizedAt !== null;
  const itemResult = (itemId: string) => result.items.find((r) => r.id === itemId);
  const override = data.typeOverride ? { type: data.typeOverride, reason: data.overrideReason } : null;

  const finalize = async () => {
    try {
      const signatures = (['process', 'ai'] as const).flatMap((role) => {
        const sig = role === 'process' ? processSig : aiSig;
        return sig.png ? [{ role, name: sig.name, png: sig.png }] : [];
      });
      await call('assessments.finalize', { id, signatures });
      await qc.invalidateQueries();
      notify.saved();
    } catch (err) {
      notify.failed(err);
    } finally {
      setConfirmFinal(false);
    }
  };
  const exportPdf = async () => {
    try {
      const r = await call('reports.exportAssessment', { id, language: lang.startsWith('en') ? 'en' : 'ko' });
      if (r.path) setExported(r.path);
    } catch (err) {
      notify.failed(err);
    }
  };
  const exportData = async (format: 'csv' | 'xlsx') => {
    try {
      const r = await call('reports.exportAssessmentData', { id, language: lang.startsWith('en') ? 'en' : 'ko', format });
      if (r.path) setExported(r.path);
    } catch (err) {
      notify.failed(err);
    }
  };
  const revise = async () => {
    try {
      const r = await call('assessments.revise', { id });
      await qc.invalidateQueries();
      void navigate(`/assessments/${r.id}`);
    } catch (err) {
      notify.failed(err);
    }
  };
  const saveOverride = async () => {
    try {
      await call('assessments.setOverride', { assessmentId: id, type: (overrideType as CompanyType | null) ?? null, reason: overrideReason });
      await qc.invalidateQueries();
      setOverrideOpen(false);
    } catch (err) {
      setOverrideError(errors.message(err));
    }
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={t('formTitle', { company: data.companyName })}
        subtitle={t('instrument', { name: l10n(instrument.title, lang), version: instrument.version })}
        badges={locked ? <Badge leftSection={<IconLock size={12} aria-hidden />} color="gray">{t('finalized', { date: formatDateTime(data.finalizedAt ?? '', lang) })}</Badge> : <Badge variant="light">{t('draft')}</Badge>}
        actions={
          <>
            <Button variant="default" component={Link} to={`/companies/${data.companyId}`}>
              {data.companyName}
            </Button>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" leftSection={<IconDownload size={16} aria-hidden />}>
                  {t('report.exportMenu')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconFileTypePdf size={16} aria-hidden />} onClick={() => void exportPdf()}>
                  {t('report.export')}
                </Menu.Item>
                <Menu.Item leftSection={<IconFileTypeCsv size={16} aria-hidden />} onClick={() => void exportData('csv')}>
                  {t('report.exportCsv')}
                </Menu.Item>
                <Menu.Item leftSection={<IconFileSpreadsheet size={16} aria-hidden />} onClick={() => void exportData('xlsx')}>
                  {t('report.exportXlsx')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {locked ? (
              <Button onClick={() => void revise()}>{t('revise')}</Button>
            ) : (
              <>
                <Button variant="default" onClick={() => setOverrideOpen(true)}>
                  {t('override')}
                </Button>
                <Button onClick={() => setConfirmFinal(true)} disabled={!result.complete}>
                  {t('finalize')}
                </Button>
              </>
            )}
          </>
        }
      />
      {exported && (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setExported(null)} data-testid="export-done">
          <Group justify="space-between">
            <Text size="sm">{t('report.exported', { path: exported })}</Text>
            <Button size="xs" variant="light" onClick={() => void call('files.open', { path: exported }).catch(notify.failed)}>
              {t('report.open')}
            </Button>
          </Group>
        </Alert>
      )}
      <Text size="sm" c={save.kind === 'failed' ? 'red.8' : 'dimmed'} aria-live="polite" data-testid="save-state">
        {save.kind === 'saving' && t('saving')}
        {save.kind === 'saved' && t('autosaved', { time: save.at.toLocaleTimeString(lang) })}
        {save.kind === 'failed' && `${t('saveFailed')}: ${save.message}`}
      </Text>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            {instrument.sections.map((section) => {
              const scored = section.items.filter((i) => i.type !== 'text');
              const answered = scored.filter((i) => itemResult(i.id)?.status === 'answered' || itemResult(i.id)?.status === 'skipped').length;
              return (
                <Card withBorder key={section.id}>
                  <Group justify="space-between" mb="sm">
                    <Title order={2} size="h4">
                      {l10n(section.text, lang)}
                    </Title>
                    <Text size="sm" c="dimmed">
                      {t('answered', { answered, total: scored.length })}
                    </Text>
                  </Group>
                  <Stack gap="lg">
                    {section.items.map((item) => {
                      const r = itemResult(item.id);
                      return (
                        <Stack key={item.id} gap={6} data-item={item.id}>
                          <Group justify="space-between" wrap="nowrap" align="flex-start">
                            <Text fw={600} size="sm">
                              {l10n(item.text, lang)}
                              {item.required && (
                                <Text span c="red.8" size="xs">
                                  {' '}
                                  · {t('required')}
                                </Text>
                              )}
                            </Text>
                            <Button size="compact-xs" variant="subtle" leftSection={<IconHistory size={12} aria-hidden />} onClick={() => setHistoryItem(item)}>
                              {t('history')}
                            </Button>
                          </Group>
                          {r?.status === 'skipped' ? (
                            <Text size="sm" c="dimmed">
                              {t('skipped')}
                            </Text>
                          ) : (
                            <ItemInput
                              item={item}
                              value={answers[item.id]}
                              disabled={locked}
                              onChange={(value) => {
                                setAnswers((a) => ({ ...a, [item.id]: value }));
                                void saveAnswer(item.id, value);
                              }}
                            />
                          )}
                          {r?.needsEvidence && !evidence.data?.rows.some((e) => e.itemId === item.id) && (
                            <Alert color="orange" variant="light" p={6} icon={<IconAlertTriangle size={16} aria-hidden />}>
                              <Text size="xs">{t('evidence.missing')}</Text>
                            </Alert>
                          )}
                          {item.type !== 'text' && <Evidence assessmentId={id} itemId={item.id} rows={evidence.data?.rows ?? []} disabled={locked} />}
                          {item.type !== 'text' && (
                            <TextInput
                              rightSectionWidth={36}
                              rightSection={
                                locked ? null : (
                                  <Menu position="bottom-end">
                                    <Menu.Target>
                                      <ActionIcon size="sm" variant="subtle" aria-label={t('presetComments')}>
                                        <IconMessagePlus size={14} />
                                      </ActionIcon>
                                    </Menu.Target>
                                    <Menu.Dropdown>
                                      {[...(item.presetComments ?? []), ...(instrument.presetComments ?? [])].map((p) => (
                                        <Menu.Item
                                          key={p.ko}
                                          onClick={() => {
                                            const text = l10n(p, lang);
                                            const current = comments[item.id] ?? '';
                                            const next = current ? `${current}; ${text}` : text;
                                            setComments((c) => ({ ...c, [item.id]: next }));
                                            void saveAnswer(item.id, answers[item.id] ?? null, next);
                                          }}
                                        >
                                          {l10n(p, lang)}
                                        </Menu.Item>
                                      ))}
                                    </Menu.Dropdown>
                                  </Menu>
                                )
                              }
                              size="xs"
                              aria-label={`${t('comment')} — ${l10n(item.text, lang)}`}
                              placeholder={t('comment')}
                              disabled={locked}
                              value={comments[item.id] ?? ''}
                              onChange={(e) => {
                                const v = e.currentTarget.value;
                                setComments((c) => ({ ...c, [item.id]: v }));
                              }}
                              onBlur={() => {
                                if ((comments[item.id] ?? '') !== (data.answers[item.id]?.comment ?? '')) void saveAnswer(item.id, answers[item.id] ?? null, comments[item.id] ?? '');
                              }}
                            />
                          )}
                        </Stack>
                      );
                    })}
                  </Stack>
                </Card>
              );
            })}
            <KpiBaseline assessmentId={id} initial={data.kpis} disabled={locked} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <div style={{ position: 'sticky', top: 72 }}>
            <ResultPanel assessmentId={id} instrument={instrument} result={result} override={override} previous={data.previous?.result ?? null} />
          </div>
        </Grid.Col>
      </Grid>
      {historyItem && <HistoryModal assessmentId={id} item={historyItem} onClose={() => setHistoryItem(null)} />}
      <Modal opened={confirmFinal} onClose={() => setConfirmFinal(false)} title={t('finalizeTitle')} size="lg">
        <Text size="sm" mb="md">
          {t('finalizeBody')}
        </Text>
        <Stack gap="md">
          <SignatureField
            label={t('report.processMentor')}
            value={processSig.name || !pair ? processSig : { ...processSig, name: pair.processMentor }}
            onChange={setProcessSig}
          />
          <SignatureField label={t('report.aiMentor')} value={aiSig.name || !pair ? aiSig : { ...aiSig, name: pair.aiMentor }} onChange={setAiSig} />
        </Stack>
        {!bothSigned && (
          <Text size="sm" c="dimmed" mt="sm">
            {t('signBoth')}
          </Text>
        )}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setConfirmFinal(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => void finalize()} disabled={!bothSigned}>
            {t('finalize')}
          </Button>
        </Group>
      </Modal>
      <Modal opened={overrideOpen} onClose={() => setOverrideOpen(false)} title={t('override')}>
        <Stack>
          <Select
            label={t('type')}
            data={[{ value: '', label: t('overrideNone') }, ...(['excellent', 'average', 'weak'] as const).map((v) => ({ value: v, label: t(`types.${v}`) }))]}
            value={overrideType ?? ''}
            onChange={(v) => setOverrideType(v || null)}
          />
          <Textarea label={t('overrideReason')} value={overrideReason} onChange={(e) => setOverrideReason(e.currentTarget.value)} error={overrideError} autosize minRows={3} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOverrideOpen(false)}>
              {t('common:actions.cancel')}
            </Button>
            <Button onClick={() => void saveOverride()}>{t('common:actions.save')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
