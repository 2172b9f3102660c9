import { Card, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../App.tsx';
import { useOp } from '../api.ts';
import { Field, PageHeader } from '../components/common.tsx';

export function SettingsPage() {
  const { t } = useTranslation();
  const info = useOp('app.info', {});
  return (
    <Stack maw={760}>
      <PageHeader title={t('nav.settings')} />
      <Card withBorder>
        <Title order={2} size="h4" mb="xs">
          {t('language.label')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('language.hint')}
        </Text>
        <LanguageSwitch />
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('settings.about')}
        </Title>
        <Stack gap="sm">
          <Field label={t('settings.version')}>{info.data?.version}</Field>
          <Field label={t('settings.deviceId')}>{info.data?.deviceId}</Field>
          <Field label={t('settings.dbPath')}>{info.data?.dbPath}</Field>
          <Field label={t('settings.schemaVersion')}>{info.data?.schemaVersion}</Field>
        </Stack>
      </Card>
    </Stack>
  );
}
