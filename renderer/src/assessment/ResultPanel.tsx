import { Alert, Badge, Card, Divider, Group, List, Progress, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { FINANCE_ROUTE, TWO_STAGE_SELECTION, TYPE_GUIDANCE } from '#shared/domain/programmes';
import type { CompanyType, Instrument } from '#shared/instruments/types';
import { findItem } from '#shared/instruments/index';
import type { AssessmentResult } from '#shared/scoring/assessment';
import { l10n } from './ItemInput.tsx';
import { PeerComparison } from './PeerComparison.tsx';
import { ResultCharts } from './ResultCharts.tsx';

const TYPE_COLOR: Record<CompanyType, string> = { excellent: 'teal', average: 'indigo', weak: 'orange' };

/** The result explained: type, axis and dimension scores, the programmes, and what would move it up. */
export function ResultPanel({
  instrument,
  result,
  override,
  previous,
  assessmentId,
}: {
  assessmentId: string;
  instrument: Instrument;
  result: AssessmentResult;
  override: { type: CompanyType; reason: string } | null;
  previous: AssessmentResult | null;
}) {
  const { t, i18n } = useTranslation('assessment');
  const lang = i18n.language;
  const type = override?.type ?? result.type;
  const guidance = TYPE_GUIDANCE[type];
  const itemName = (id: string) => {
    const item = findItem(instrument, id);
    return item ? l10n(item.text, lang) : id;
  };
  return (
    <Card withBorder data-testid="result-panel">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('result')}
        </Title>
        <Badge size="lg" color={TYPE_COLOR[type]} variant="filled" data-testid="result-type">
          {t(`types.${type}`)}
          {!result.complete && ` · ${t('provisional')}`}
        </Badge>
      </Group>
      {!result.complete && (
        <Alert color="yellow" variant="light" mb="sm" p="xs">
          <Text size="sm">{t('resultProvisional', { count: result.missingRequired.length })}</Text>
        </Alert>
      )}
      {override && (
        <Text size="sm" mb="sm" c="dimmed">
          {t('overridden', { type: t(`types.${override.type}`), reason: override.reason })}
        </Text>
      )}
      <Stack gap={6}>
        {(['capability', 'investment'] as const).map((axis) => (
          <div key={axis}>
            <Group justify="space-between">
              <Text size="sm" fw={600}>
                {t(axis)}
              </Text>
              <Text size="sm" fw={700} className="num">
                {result[axis].toFixed(1)}
              </Text>
            </Group>
            <Progress value={result[axis]} aria-label={t(axis)} color={axis === 'capability' ? 'indigo' : 'teal'} />
          </div>
        ))}
      </Stack>
      <Divider my="sm" />
      <ResultCharts instrument={instrument} result={result} previous={previous} />
      <Divider my="sm" />
      <Text size="sm" fw={600} mb={4}>
        {t('dimensions')}
      </Text>
      <Stack gap={2}>
        {result.dimensions.map((d) => {
          const dim = instrument.dimensions.find((x) => x.id === d.id);
          return (
            <Group key={d.id} justify="space-between" wrap="nowrap">
              <Text size="sm">{dim ? l10n(dim.text, lang) : d.id}</Text>
              <Text size="sm" className="num">
                {d.score === null ? '—' : d.score.toFixed(0)}
              </Text>
            </Group>
          );
        })}
      </Stack>
      <Divider my="sm" />
      <PeerComparison assessmentId={assessmentId} instrument={instrument} refreshKey={result.dimensions.map((d) => d.score ?? '-').join(',')} />
      <Divider my="sm" />
      <Text size="sm" fw={600}>
        {t('goal')}: {l10n(guidance.goal, lang)}
      </Text>
      <Text size="sm" c="dimmed" mb={4}>
        {l10n(guidance.interpretation, lang)}
      </Text>
      <Text size="sm" fw={600} mt="xs">
        {t('programmes')}
      </Text>
      <List size="sm" spacing={2}>
        {guidance.programmes.map((p) => (
          <List.Item key={p.id}>
            {l10n(p.text, lang)}
            {p.note && (
              <Text span size="xs" c="dimmed">
                {' '}
                — {l10n(p.note, lang)}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
      {type !== 'weak' && (
        <Text size="xs" c="dimmed" mt={4}>
          {l10n(TWO_STAGE_SELECTION, lang)}
        </Text>
      )}
      {result.highInvestment && (
        <Alert color="teal" variant="light" mt="sm" p="xs" title={t('financeRoute')}>
          <List size="sm">
            <List.Item>{l10n(FINANCE_ROUTE.consulting, lang)}</List.Item>
            {FINANCE_ROUTE.finance.map((f) => (
              <List.Item key={f.id}>{l10n(f.text, lang)}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {result.next && (
        <>
          <Divider my="sm" />
          <Text size="sm" fw={600}>
            {t('nextType', { type: t(`types.${result.next.type}`), cap: result.next.capabilityNeeded.toFixed(1), inv: result.next.investmentNeeded.toFixed(1) })}
          </Text>
          <Text size="xs" c="dimmed" mb={2}>
            {t('nextSteps')}
          </Text>
          <List size="sm" spacing={2}>
            {result.next.steps.slice(0, 6).map((s) => (
              <List.Item key={s.itemId}>
                {itemName(s.itemId)}{' '}
                <Text span size="xs" c="teal.9">
                  {t('gain', { points: s.gain.toFixed(1) })}
                </Text>
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Card>
  );
}
