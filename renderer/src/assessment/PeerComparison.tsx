import { Group, Progress, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ksicName } from '#shared/domain/ksic';
import type { Instrument } from '#shared/instruments/types';
import { useOp } from '../api.ts';
import { l10n } from './ItemInput.tsx';

/** Percentile per dimension among peers of the same industry and size band, when there are enough. */
export function PeerComparison({ assessmentId, instrument, refreshKey }: { assessmentId: string; instrument: Instrument; refreshKey: string }) {
  const { t, i18n } = useTranslation('assessment');
  const lang = i18n.language;
  const peers = useOp('assessments.peers', { id: assessmentId });
  const { refetch } = peers;
  // The comparison follows the live result: refetch when the scores change.
  useEffect(() => {
    void refetch();
  }, [refreshKey, refetch]);
  const p = peers.data;
  if (!p) return null;
  const group = t('peers.group', { industry: ksicName(p.division, lang), band: t(`peers.bands.${p.band}`) });
  return (
    <Stack gap={4} data-testid="peer-comparison">
      <Text size="sm" fw={600}>
        {t('peers.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {group}
      </Text>
      {p.dimensions === null ? (
        <Text size="sm" c="dimmed">
          {t('peers.notEnough', { count: p.peerCount, min: p.minPeers })}
        </Text>
      ) : (
        p.dimensions.map((d) => {
          const dim = instrument.dimensions.find((x) => x.id === d.id);
          return (
            <div key={d.id}>
              <Group justify="space-between">
                <Text size="xs">{dim ? l10n(dim.text, lang) : d.id}</Text>
                <Text size="xs" className="num">
                  {t('peers.percentile', { value: d.percentile })}
                </Text>
              </Group>
              <Progress size="sm" value={d.percentile} color="teal" aria-label={dim ? l10n(dim.text, lang) : d.id} />
            </div>
          );
        })
      )}
    </Stack>
  );
}
