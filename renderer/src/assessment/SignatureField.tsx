import { Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import SignaturePad from 'signature_pad';

export interface Signature {
  name: string;
  /** PNG, base64 without the data: prefix; null until drawn. */
  png: string | null;
}

/** A signer's name and a pad to sign on with a mouse, pen or finger (signature_pad). */
export function SignatureField({ label, value, onChange }: { label: string; value: Signature; onChange: (v: Signature) => void }) {
  const { t } = useTranslation('assessment');
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePad | null>(null);
  // The pad lives outside React; it reads the latest props through refs.
  const latest = useRef(value);
  const change = useRef(onChange);
  useEffect(() => {
    latest.current = value;
    change.current = onChange;
  });

  useEffect(() => {
    if (!canvas.current) return;
    const p = new SignaturePad(canvas.current, { penColor: '#1b1f3b', minWidth: 0.8, maxWidth: 2.2 });
    p.addEventListener('endStroke', () => change.current({ ...latest.current, png: p.toDataURL('image/png').split(',')[1] ?? null }));
    pad.current = p;
    return () => p.off();
  }, []);

  return (
    <Stack gap={4}>
      <TextInput label={label} required value={value.name} onChange={(e) => onChange({ ...value, name: e.currentTarget.value })} />
      <Paper withBorder radius="sm" p={0} style={{ touchAction: 'none' }}>
        <canvas ref={canvas} width={420} height={120} style={{ width: '100%', height: 120, display: 'block' }} aria-label={t('signHere', { name: label })} role="img" />
      </Paper>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {value.png ? t('signed') : t('signHint')}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => {
            pad.current?.clear();
            onChange({ ...value, png: null });
          }}
        >
          {t('clearSignature')}
        </Button>
      </Group>
    </Stack>
  );
}
