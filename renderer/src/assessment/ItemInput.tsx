import { Group, NumberInput, Radio, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Answer, DonePlannedAnswer, Item, L10n } from '#shared/instruments/types';

export const l10n = (text: L10n, lang: string) => (lang.startsWith('ko') ? text.ko : text.en);

interface Props {
  item: Item;
  value: Answer | null | undefined;
  disabled: boolean;
  onChange: (value: Answer | null) => void;
}

/** One item's answer control, by answer type. Every control is usable with the keyboard alone. */
export function ItemInput({ item, value, disabled, onChange }: Props) {
  const { t, i18n } = useTranslation('assessment');
  const lang = i18n.language;
  const label = l10n(item.text, lang);
  switch (item.type) {
    case 'scale':
      return (
        <Radio.Group value={typeof value === 'number' ? String(value) : null} onChange={(v) => onChange(Number(v))} aria-label={label}>
          <Stack gap={6}>
            {([1, 2, 3, 4, 5] as const).map((level) => {
              const anchor = item.anchors[level];
              return <Radio key={level} value={String(level)} disabled={disabled} label={anchor ? `${level} — ${l10n(anchor, lang)}` : String(level)} />;
            })}
          </Stack>
        </Radio.Group>
      );
    case 'ypn':
      return (
        <Radio.Group value={typeof value === 'string' ? value : null} onChange={(v) => onChange(v)} aria-label={label}>
          <Group gap="lg">
            {(['yes', 'partly', 'no'] as const).map((v) => (
              <Radio key={v} value={v} disabled={disabled} label={t(`ypn.${v}`)} />
            ))}
          </Group>
        </Radio.Group>
      );
    case 'number':
      return <NumberField item={item} value={typeof value === 'number' ? value : null} disabled={disabled} onChange={onChange} label={label} />;
    case 'donePlanned': {
      const current: DonePlannedAnswer = typeof value === 'object' && value !== null ? value : { done: [], planned: [] };
      const stateOf = (id: string) => (current.done.includes(id) ? 'done' : current.planned.includes(id) ? 'planned' : 'none');
      const set = (id: string, state: string) =>
        onChange({
          done: state === 'done' ? [...current.done.filter((d) => d !== id), id] : current.done.filter((d) => d !== id),
          planned: state === 'planned' ? [...current.planned.filter((d) => d !== id), id] : current.planned.filter((d) => d !== id),
        });
      return (
        <Stack gap={6}>
          {item.options.map((o) => (
            <Group key={o.id} justify="space-between" wrap="nowrap">
              <Text size="sm">{l10n(o.text, lang)}</Text>
              <SegmentedControl
                size="xs"
                disabled={disabled}
                aria-label={l10n(o.text, lang)}
                value={stateOf(o.id)}
                onChange={(v) => set(o.id, v)}
                data={(['none', 'planned', 'done'] as const).map((s) => ({ value: s, label: t(`dp.${s}`) }))}
              />
            </Group>
          ))}
        </Stack>
      );
    }
    case 'text':
      return <TextField value={typeof value === 'string' ? value : ''} disabled={disabled} onChange={onChange} label={label} />;
  }
}

/** Numbers save when the field settles (blur or 700 ms after the last key), not on every digit. */
function NumberField({ item, value, disabled, onChange, label }: { item: Extract<Item, { type: 'number' }>; value: number | null; disabled: boolean; onChange: (v: number | null) => void; label: string }) {
  const { t } = useTranslation('assessment');
  const [draft, setDraft] = useState<number | string>(value ?? '');
  // A saved value arriving from outside (another field, a reload) replaces the draft.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(value ?? '');
  }
  useEffect(() => {
    const next = draft === '' ? null : Number(draft);
    if (next === value) return;
    const timer = setTimeout(() => onChange(next), 700);
    return () => clearTimeout(timer);
  }, [draft, value, onChange]);
  const suffix = t(`units.${item.unit}`);
  return (
    <NumberInput
      aria-label={label}
      w={280}
      value={draft}
      onChange={setDraft}
      min={item.min}
      max={item.max}
      thousandSeparator=","
      suffix={suffix}
      disabled={disabled}
      onBlur={() => {
        const next = draft === '' ? null : Number(draft);
        if (next !== value) onChange(next);
      }}
    />
  );
}

function TextField({ value, disabled, onChange, label }: { value: string; disabled: boolean; onChange: (v: string | null) => void; label: string }) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  return (
    <Textarea
      aria-label={label}
      autosize
      minRows={2}
      value={draft}
      disabled={disabled}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => draft !== value && onChange(draft === '' ? null : draft)}
    />
  );
}
