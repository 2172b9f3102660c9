import { ActionIcon, Button, FileButton, Group, Image, Paper, Text } from '@mantine/core';
import { IconCamera, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, useOp } from '../api.ts';
import { useNotify } from '../components/common.tsx';

/** A chosen file's bytes as base64, for the contract. */
export function readAsBase64(file: File): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? (reader.result.split(',')[1] ?? '') : '');
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

function Thumb({ id, name, onRemove, disabled }: { id: string; name: string; onRemove: () => void; disabled: boolean }) {
  const { t } = useTranslation('assessment');
  const image = useOp('evidence.image', { id }, { staleTime: Infinity });
  return (
    <Paper withBorder p={2} pos="relative">
      {image.data ? <Image src={`data:${image.data.mime};base64,${image.data.data}`} alt={name} w={96} h={72} fit="cover" radius="sm" /> : <div style={{ width: 96, height: 72 }} />}
      {!disabled && (
        <ActionIcon size="sm" variant="filled" color="dark" pos="absolute" top={4} right={4} aria-label={t('evidence.remove', { name })} onClick={onRemove}>
          <IconTrash size={12} />
        </ActionIcon>
      )}
    </Paper>
  );
}

/** Evidence photos of one item: thumbnails, attach (JPEG/PNG/WebP) and remove. */
export function Evidence({ assessmentId, itemId, rows, disabled }: { assessmentId: string; itemId: string; rows: { id: string; itemId: string; fileName: string }[]; disabled: boolean }) {
  const { t } = useTranslation('assessment');
  const notify = useNotify();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const mine = rows.filter((r) => r.itemId === itemId);
  const attach = async (files: File[]) => {
    setBusy(true);
    try {
      for (const file of files) {
        await call('evidence.add', { assessmentId, itemId, fileName: file.name, data: await readAsBase64(file) });
      }
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string) => {
    try {
      await call('evidence.remove', { id });
      await qc.invalidateQueries();
    } catch (err) {
      notify.failed(err);
    }
  };
  if (disabled && mine.length === 0) return null;
  return (
    <Group gap="xs" align="center">
      {mine.map((r) => (
        <Thumb key={r.id} id={r.id} name={r.fileName} disabled={disabled} onRemove={() => void remove(r.id)} />
      ))}
      {!disabled && (
        <FileButton onChange={(f) => void attach(f)} accept="image/jpeg,image/png,image/webp" multiple>
          {(props) => (
            <Button {...props} size="compact-xs" variant="subtle" leftSection={<IconCamera size={14} aria-hidden />} loading={busy}>
              {t('evidence.add')}
            </Button>
          )}
        </FileButton>
      )}
      {mine.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('evidence.count', { count: mine.length })}
        </Text>
      )}
    </Group>
  );
}
