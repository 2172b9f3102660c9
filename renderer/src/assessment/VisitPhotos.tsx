import { Button, FileButton, Group, Image, Modal, SimpleGrid, Text } from '@mantine/core';
import { IconCamera, IconPhoto } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, useOp } from '../api.ts';
import { useNotify } from '../components/common.tsx';
import { readAsBase64 } from './Evidence.tsx';

function Photo({ id, name }: { id: string; name: string }) {
  const photo = useOp('visits.photo', { id }, { staleTime: Infinity });
  return photo.data ? <Image src={`data:${photo.data.mime};base64,${photo.data.data}`} alt={name} radius="sm" h={160} fit="cover" /> : <div style={{ height: 160 }} />;
}

/** Photos of one visit: add from the camera roll or files, view them. */
export function VisitPhotos({ visitId, count, disabled }: { visitId: string; count: number; disabled: boolean }) {
  const { t } = useTranslation('assessment');
  const notify = useNotify();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const photos = useOp('visits.photos', { visitId }, { enabled: open });
  const add = async (files: File[]) => {
    setBusy(true);
    try {
      for (const file of files) await call('visits.addPhoto', { visitId, fileName: file.name, data: await readAsBase64(file) });
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Group gap={4} wrap="nowrap">
      {count > 0 && (
        <Button size="compact-xs" variant="subtle" leftSection={<IconPhoto size={14} aria-hidden />} onClick={() => setOpen(true)}>
          {t('visitPhotos.count', { count })}
        </Button>
      )}
      {!disabled && (
        <FileButton onChange={(f) => void add(f)} accept="image/jpeg,image/png,image/webp" multiple>
          {(props) => (
            <Button {...props} size="compact-xs" variant="subtle" leftSection={<IconCamera size={14} aria-hidden />} loading={busy}>
              {t('visitPhotos.add')}
            </Button>
          )}
        </FileButton>
      )}
      {open && (
        <Modal opened onClose={() => setOpen(false)} title={t('visitPhotos.title')} size="xl">
          {photos.data?.rows.length ? (
            <SimpleGrid cols={3}>
              {photos.data.rows.map((p) => (
                <Photo key={p.id} id={p.id} name={p.fileName} />
              ))}
            </SimpleGrid>
          ) : (
            <Text size="sm" c="dimmed">
              {t('visitPhotos.none')}
            </Text>
          )}
        </Modal>
      )}
    </Group>
  );
}
