import { Alert, Badge, Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconInbox } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppErrorData, FieldError } from '#shared/contract/errors';
import { ApiError } from '../api.ts';

/** Translates an error from the contract (or anything thrown) into the user's language. */
export function useErrorText() {
  const { t } = useTranslation('messages');
  return {
    message: (err: unknown): string => {
      const data: AppErrorData = err instanceof ApiError ? err.data : { code: 'internal', messageKey: 'errors.internal' };
      return t(data.messageKey, data.params ?? {});
    },
    field: (f: FieldError | undefined): string | undefined => (f ? t(f.key, f.params ?? {}) : undefined),
    /** Every field error of a contract error, translated, keyed by field path (for a form's setErrors). */
    fields: (fields: Record<string, FieldError> | undefined): Record<string, string> =>
      Object.fromEntries(Object.entries(fields ?? {}).map(([k, f]) => [k, t(f.key, f.params ?? {})])),
  };
}

export function useNotify() {
  const errors = useErrorText();
  const { t } = useTranslation();
  return {
    saved: (message?: string) =>
      notifications.show({ color: 'teal', message: message ?? t('actions.savedMessage'), closeButtonProps: { 'aria-label': t('actions.close') } }),
    failed: (err: unknown) =>
      notifications.show({ color: 'red', title: t('actions.failedTitle'), message: errors.message(err), closeButtonProps: { 'aria-label': t('actions.close') } }),
  };
}

export function PageHeader({ title, subtitle, actions, badges }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; badges?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-start" mb="lg" wrap="nowrap">
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1} size="h2">
            {title}
          </Title>
          {badges}
        </Group>
        {subtitle && (
          <Text c="dimmed" size="sm">
            {subtitle}
          </Text>
        )}
      </Stack>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

export function ErrorAlert({ error }: { error: unknown }) {
  const errors = useErrorText();
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('actions.failedTitle')} role="alert">
      {errors.message(error)}
    </Alert>
  );
}

export function EmptyState({ title, description, action }: { title: string; description?: string; action?: ReactNode }) {
  return (
    <Stack align="center" gap="xs" py={48}>
      <ThemeIcon size={56} radius="xl" variant="light" color="gray" aria-hidden>
        <IconInbox size={30} />
      </ThemeIcon>
      {/* Explicit colours: the data table's empty-state overlay would otherwise grey them out. */}
      <Text fw={600} c="dark.7">
        {title}
      </Text>
      {description && (
        <Text c="dark.5" size="sm" ta="center" maw={520}>
          {description}
        </Text>
      )}
      {action}
    </Stack>
  );
}

export function ArchivedBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="gray" variant="filled">
      {t('status.archived')}
    </Badge>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children ?? '—'}
      </Text>
    </Stack>
  );
}
