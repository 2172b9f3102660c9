import { Card, NumberInput, SimpleGrid, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KPI_DEFINITIONS } from '#shared/domain/programmes';
import { call } from '../api.ts';
import { useNotify } from '../components/common.tsx';
import { l10n } from './ItemInput.tsx';

/** The KPI baseline the company starts from; the post-build check compares against it. Saved on blur. */
export function KpiBaseline({ assessmentId, initial, disabled }: { assessmentId: string; initial: Record<string, number | null>; disabled: boolean }) {
  const { t, i18n } = useTranslation('assessment');
  const notify = useNotify();
  const [values, setValues] = useState<Record<string, number | string>>(() => Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, v ?? ''])));
  const [saved, setSaved] = useState(initial);
  const persist = async (kpiId: string) => {
    const raw = values[kpiId];
    const value = raw === '' || raw === undefined ? null : Number(raw);
    if (value === (saved[kpiId] ?? null)) return;
    try {
      await call('assessments.saveKpi', { assessmentId, kpiId, value });
      setSaved((s) => ({ ...s, [kpiId]: value }));
    } catch (err) {
      notify.failed(err);
    }
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb={4}>
        {t('kpiTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('kpiHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {KPI_DEFINITIONS.map((k) => (
          <NumberInput
            key={k.id}
            label={l10n(k.text, i18n.language)}
            value={values[k.id] ?? ''}
            onChange={(v) => setValues((s) => ({ ...s, [k.id]: v }))}
            onBlur={() => void persist(k.id)}
            thousandSeparator=","
            disabled={disabled}
          />
        ))}
      </SimpleGrid>
    </Card>
  );
}
