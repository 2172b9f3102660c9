import { RadarChart } from '@mantine/charts';
import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CartesianGrid, ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { CompanyType, Instrument } from '#shared/instruments/types';
import type { AssessmentResult } from '#shared/scoring/assessment';
import { l10n } from './ItemInput.tsx';

const TYPE_FILL: Record<CompanyType, string> = { excellent: '#12b886', average: '#4c6ef5', weak: '#fd7e14' };

/**
 * Live charts: a radar of the capability dimensions and the company's position on the capability ×
 * investment grid with the type regions; a re-assessment shows the previous result (T0) beside it (T1).
 */
export function ResultCharts({ instrument, result, previous }: { instrument: Instrument; result: AssessmentResult; previous: AssessmentResult | null }) {
  const { t, i18n } = useTranslation('assessment');
  const lang = i18n.language;
  const dims = instrument.dimensions.filter((d) => d.axis === 'capability');
  const score = (r: AssessmentResult, id: string) => r.dimensions.find((d) => d.id === id)?.score ?? 0;
  const radar = dims.map((d) => ({ dimension: l10n(d.text, lang), now: score(result, d.id), ...(previous ? { before: score(previous, d.id) } : {}) }));
  const regions = [...instrument.typeRules].reverse();
  const now = t('chart.now');
  const before = t('chart.before');
  return (
    <Stack gap="xs" data-testid="result-charts">
      <Text size="sm" fw={600}>
        {t('chart.radar')}
      </Text>
      <RadarChart
        h={240}
        data={radar}
        dataKey="dimension"
        withPolarRadiusAxis={false}
        withLegend={previous !== null}
        series={[
          ...(previous ? [{ name: 'before', label: before, color: 'orange.7', opacity: 0.12 }] : []),
          { name: 'now', label: now, color: 'indigo.6', opacity: 0.3 },
        ]}
        polarRadiusAxisProps={{ domain: [0, 100] }}
        radarChartProps={{ title: t('chart.radarLabel', { values: radar.map((r) => `${r.dimension} ${r.now.toFixed(0)}`).join(', ') }) }}
      />
      <Text size="sm" fw={600}>
        {t('chart.grid')}
      </Text>
      <div style={{ width: '100%', height: 240 }} role="img" aria-label={t('chart.gridLabel', { cap: result.capability.toFixed(1), inv: result.investment.toFixed(1) })}>
        {/* The chart is drawn for the eye; its meaning is the label above (recharts marks points as unlabelled images). */}
        <div aria-hidden="true" style={{ width: '100%', height: '100%' }}>
        <ResponsiveContainer>
          <ScatterChart margin={{ top: 8, right: 12, bottom: 20, left: 0 }} title={t('chart.gridLabel', { cap: result.capability.toFixed(1), inv: result.investment.toFixed(1) })}>
            <CartesianGrid strokeDasharray="3 3" />
            {regions.map((rule) => (
              <ReferenceArea
                key={rule.type}
                x1={rule.minCapability}
                x2={100}
                y1={rule.minInvestment}
                y2={100}
                fill={TYPE_FILL[rule.type]}
                fillOpacity={0.12}
                label={{ value: t(`types.${rule.type}`), position: 'insideBottomLeft', fontSize: 11, fill: '#343a40' }}
              />
            ))}
            <XAxis type="number" dataKey="x" domain={[0, 100]} name={t('capability')} label={{ value: t('capability'), position: 'insideBottom', offset: -12, fontSize: 11 }} />
            <YAxis type="number" dataKey="y" domain={[0, 100]} name={t('investment')} width={36} />
            <Tooltip cursor={false} />
            {previous && <Scatter name={before} data={[{ x: previous.capability, y: previous.investment }]} fill="#868e96" />}
            <Scatter name={now} data={[{ x: result.capability, y: result.investment }]} fill={TYPE_FILL[result.type]} />
          </ScatterChart>
        </ResponsiveContainer>
        </div>
      </div>
    </Stack>
  );
}
