import { BarChart } from '@mantine/charts';
import { Alert, Badge, Button, Card, Grid, Group, List, Modal, PasswordInput, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconCertificate, IconDownload, IconLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { formatDate, formatDateTime } from '#shared/domain/format';
import { levelConfirmationV1 as inst, type LevelArea, type LevelResult } from '#shared/instruments/level-confirmation-v1';
import { ApiError, call, useOp } from '../api.ts';
import { l10n } from '../assessment/ItemInput.tsx';
import { SignatureField, type Signature } from '../assessment/SignatureField.tsx';
import { ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';

type View = OpOutput<'levels.get'>;

export function LevelPage() {
  const { id = '' } = useParams();
  const view = useOp('levels.get', { id }, { placeholderData: undefined });
  if (view.error) return <ErrorAlert error={view.error} />;
  if (!view.data) return null;
  return <LevelForm key={`${view.data.id}:${view.data.finalizedAt ?? ''}:${view.data.certificate?.id ?? ''}`} data={view.data} />;
}

function LevelForm({ data }: { data: View }) {
  const { t, i18n } = useTranslation(['level', 'common']);
  const lang = i18n.language;
  const notify = useNotify();
  const qc = useQueryClient();
  const locked = data.finalizedAt !== null;
  const [steps, setSteps] = useState<Record<string, number | null>>(() => Object.fromEntries(Object.entries(data.steps).map(([k, v]) => [k, v.step])));
  const [evidence, setEvidence] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(data.steps).map(([k, v]) => [k, v.evidence])));
  const [result, setResult] = useState<LevelResult>(data.result);
  const [signOpen, setSignOpen] = useState(false);
  const [lead, setLead] = useState<Signature>({ name: '', png: null });
  const [second, setSecond] = useState<Signature>({ name: '', png: null });
  const save = async (areaId: string, patch: { step?: number | null; evidence?: string }) => {
    try {
      setResult((await call('levels.saveStep', { confirmationId: data.id, areaId, ...patch })).result);
    } catch (err) {
      notify.failed(err);
    }
  };
  const finalize = async () => {
    if (!lead.png || !second.png) return;
    try {
      await call('levels.finalize', { id: data.id, signatures: [{ role: 'lead', name: lead.name, png: lead.png }, { role: 'second', name: second.name, png: second.png }] });
      setSignOpen(false);
      notify.saved(t('finalized'));
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  const bothSigned = Boolean(lead.png && second.png && lead.name.trim() && second.name.trim());
  return (
    <Stack gap="md">
      <PageHeader
        title={t('pageTitle', { company: data.companyName })}
        subtitle={`${l10n(inst.title, lang)} v${inst.version} · ${formatDate(data.assessedOn, lang)}`}
        badges={
          locked ? (
            <Badge color="gray" leftSection={<IconLock size={12} aria-hidden />}>
              {t('finalizedOn', { date: formatDateTime(data.finalizedAt ?? '', lang) })}
            </Badge>
          ) : (
            <Badge variant="light">{t('draft')}</Badge>
          )
        }
        actions={
          <>
            <Button variant="default" component={Link} to={`/companies/${data.companyId}`}>
              {data.companyName}
            </Button>
            {data.projectId && (
              <Button variant="default" component={Link} to={`/projects/${data.projectId}`}>
                {t('project')}
              </Button>
            )}
            {!locked && (
              <Button disabled={!result.complete} onClick={() => setSignOpen(true)}>
                {t('finalize')}
              </Button>
            )}
          </>
        }
      />
      {locked && <CertificatePanel data={data} />}
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            {inst.fields.map((f) => (
              <Card withBorder key={f.id}>
                <Title order={2} size="h4" mb="sm">
                  {l10n(f.text, lang)}
                </Title>
                <Stack gap="lg">
                  {inst.areas
                    .filter((a) => a.field === f.id)
                    .map((a) => (
                      <AreaInput
                        key={a.id}
                        area={a}
                        step={steps[a.id] ?? null}
                        evidence={evidence[a.id] ?? ''}
                        locked={locked}
                        onStep={(v) => {
                          setSteps((s) => ({ ...s, [a.id]: v }));
                          void save(a.id, { step: v });
                        }}
                        onEvidence={(v) => setEvidence((e) => ({ ...e, [a.id]: v }))}
                        onEvidenceDone={() => (evidence[a.id] ?? '') !== (data.steps[a.id]?.evidence ?? '') && void save(a.id, { evidence: evidence[a.id] ?? '' })}
                      />
                    ))}
                </Stack>
              </Card>
            ))}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md" style={{ position: 'sticky', top: 72 }}>
            <ResultCard result={result} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={signOpen} onClose={() => setSignOpen(false)} title={t('finalizeTitle')} size="lg">
        <Text size="sm" mb="md">
          {t('finalizeBody')}
        </Text>
        <Stack>
          <SignatureField label={t('lead')} value={lead} onChange={setLead} />
          <SignatureField label={t('second')} value={second} onChange={setSecond} />
        </Stack>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setSignOpen(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button disabled={!bothSigned} onClick={() => void finalize()}>
            {t('finalize')}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

function AreaInput(props: { area: LevelArea; step: number | null; evidence: string; locked: boolean; onStep: (v: number) => void; onEvidence: (v: string) => void; onEvidenceDone: () => void }) {
  const { area, step, locked } = props;
  const { t, i18n } = useTranslation('level');
  const lang = i18n.language;
  return (
    <Stack gap={6} data-area={area.id}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          {l10n(area.text, lang)}
        </Text>
        <Badge size="xs" variant="light" color="gray" c="gray.8">
          {t('points', { points: area.points })}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        {t('anchors', { s1: l10n(area.steps[1], lang), s3: l10n(area.steps[3], lang), s5: l10n(area.steps[5], lang) })}
      </Text>
      <SegmentedControl
        aria-label={`${t('step')} — ${l10n(area.text, lang)}`}
        disabled={locked}
        value={step === null ? '' : String(step)}
        onChange={(v) => props.onStep(Number(v))}
        data={[0, 1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: String(n) }))}
      />
      <Textarea size="xs" aria-label={`${t('evidence')} — ${l10n(area.text, lang)}`} placeholder={t('evidence')} autosize minRows={1} disabled={locked} value={props.evidence} onChange={(e) => props.onEvidence(e.currentTarget.value)} onBlur={props.onEvidenceDone} />
    </Stack>
  );
}

function ResultCard({ result }: { result: LevelResult }) {
  const { t, i18n } = useTranslation('level');
  const lang = i18n.language;
  const fieldName = (id: string) => l10n(inst.fields.find((f) => f.id === id)?.text ?? { ko: id, en: id }, lang);
  return (
    <Card withBorder data-testid="level-result">
      <Group justify="space-between" align="flex-start">
        <div>
          <Text size="sm" c="dimmed">
            {t('capability')}
          </Text>
          <Title order={2} size="h2" data-testid="capability-level">
            {t('levelN', { level: result.capabilityLevel })}
          </Title>
          <Text size="sm">
            {t('built')}: <b data-testid="built-level">{t(`builtLevels.${result.builtLevel}`)}</b>
          </Text>
        </div>
        <div style={{ textAlign: 'right' }}>
          <Text size="sm" c="dimmed">
            {t('total')}
          </Text>
          <Text fw={700} size="xl">
            {t('pointsOf', { points: result.points.toFixed(1) })}
          </Text>
          {!result.complete && (
            <Badge color="yellow" variant="light" c="yellow.9">
              {t('missing', { count: result.missing.length })}
            </Badge>
          )}
        </div>
      </Group>
      <div role="img" aria-label={result.fields.map((f) => `${fieldName(f.id)} ${f.points}/${f.max}`).join(', ')}>
        <BarChart mt="md" h={160} orientation="vertical" yAxisProps={{ width: 110 }} data={result.fields.map((f) => ({ field: fieldName(f.id), pct: Math.round((f.points / f.max) * 100) }))} dataKey="field" xAxisProps={{ domain: [0, 100] }} series={[{ name: 'pct', label: '%', color: 'indigo.6' }]} />
      </div>
      <Text size="xs" fw={600} mt="md">
        {t('scales')}
      </Text>
      <Table fz="xs" mt={4}>
        <Table.Tbody>
          {inst.capability.map((c) => (
            <Table.Tr key={c.level} fw={c.level === result.capabilityLevel ? 700 : undefined}>
              <Table.Td>{t('levelN', { level: c.level })}</Table.Td>
              <Table.Td>{t('atLeast', { min: c.min })}</Table.Td>
              <Table.Td>{t(`builtLevels.${inst.built[c.level]}`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" fw={600} mt="md">
        {t('usesTitle')}
      </Text>
      <List size="xs" mt={4}>
        {inst.uses.map((u) => (
          <List.Item key={u.ko}>{l10n(u, lang)}</List.Item>
        ))}
      </List>
      <Text size="xs" c="dimmed" mt="xs">
        {t('validity', { months: inst.validityMonths })}
      </Text>
    </Card>
  );
}

/** Issue the certificate (asking for the key's passphrase where the OS keeps none), export or revoke it. */
function CertificatePanel({ data }: { data: View }) {
  const { t } = useTranslation(['level', 'common']);
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const key = useOp('certificates.keyInfo', {});
  const [askPass, setAskPass] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [passError, setPassError] = useState<string | undefined>();
  const [revokeOpen, setRevokeOpen] = useState(false);
  const [reason, setReason] = useState('');
  const issue = async (pass?: string) => {
    try {
      const r = await call('certificates.issue', { confirmationId: data.id, ...(pass ? { passphrase: pass } : {}) });
      setAskPass(false);
      setPassphrase('');
      notify.saved(t('issued', { number: r.number }));
      await qc.invalidateQueries();
    } catch (err) {
      if (err instanceof ApiError && err.data.messageKey.startsWith('errors.keystore.')) {
        setAskPass(true);
        setPassError(pass ? errors.message(err) : undefined);
      } else notify.failed(err);
    }
  };
  const exportPdf = async (id: string) => {
    try {
      const r = await call('certificates.export', { id });
      if (r.path) notify.saved(t('exported', { path: r.path }));
    } catch (err) {
      notify.failed(err);
    }
  };
  const cert = data.certificate;
  return (
    <Alert color={cert?.revoked ? 'red' : 'teal'} icon={<IconCertificate aria-hidden />} title={cert ? t('certificateNo', { number: cert.number }) : t('readyToIssue')} data-testid="certificate-panel">
      {cert ? (
        <Group>
          {cert.revoked && <Badge color="red">{t('revoked')}</Badge>}
          <Button size="xs" leftSection={<IconDownload size={14} aria-hidden />} onClick={() => void exportPdf(cert.id)}>
            {t('exportPdf')}
          </Button>
          {!cert.revoked && (
            <Button size="xs" color="red" variant="light" onClick={() => setRevokeOpen(true)}>
              {t('revoke')}
            </Button>
          )}
        </Group>
      ) : (
        <Group>
          <Text size="sm">{key.data?.exists ? t('keyReady', { subject: key.data.subject ?? '' }) : t('keyFirstUse')}</Text>
          <Button size="xs" onClick={() => (key.data?.mode === 'passphrase' ? setAskPass(true) : void issue())}>
            {t('issue')}
          </Button>
        </Group>
      )}
      <Modal opened={askPass} onClose={() => setAskPass(false)} title={t('passTitle')}>
        <Text size="sm" mb="sm">
          {key.data?.exists ? t('passBody') : t('passCreate')}
        </Text>
        <PasswordInput label={t('passphrase')} value={passphrase} error={passError} onChange={(e) => setPassphrase(e.currentTarget.value)} data-autofocus />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setAskPass(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button disabled={!passphrase} onClick={() => void issue(passphrase)}>
            {t('issue')}
          </Button>
        </Group>
      </Modal>
      <Modal opened={revokeOpen} onClose={() => setRevokeOpen(false)} title={t('revokeTitle')}>
        <Textarea label={t('revokeReason')} required autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRevokeOpen(false)}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            color="red"
            disabled={!reason.trim() || !cert}
            onClick={() =>
              cert &&
              void call('certificates.revoke', { id: cert.id, reason })
                .then(async () => {
                  setRevokeOpen(false);
                  await qc.invalidateQueries();
                })
                .catch(notify.failed)
            }
          >
            {t('revoke')}
          </Button>
        </Group>
      </Modal>
    </Alert>
  );
}
