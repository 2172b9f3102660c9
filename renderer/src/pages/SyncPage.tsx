/**
 * Sync with the central service: enrol this laptop, see what is waiting and when it last synced, sync now,
 * resolve conflicts (keep / take the other / merge the texts) and see changes the server refused.
 */
import { Alert, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconAlertTriangle, IconCloudCheck, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OpOutput } from '#shared/contract/index';
import { formatDateTime, formatNumber } from '#shared/domain/format';
import { findItem, latestInstrument } from '#shared/instruments/index';
import { ApiError, call, useOp, useOpMutation } from '../api.ts';
import { l10n } from '../assessment/ItemInput.tsx';
import { EmptyState, ErrorAlert, PageHeader, useErrorText, useNotify } from '../components/common.tsx';

type Conflict = OpOutput<'sync.conflicts'>['rows'][number];

/** A stored value (JSON text) as people read it. */
export function displayValue(json: string | null): string {
  if (json === null) return '—';
  try {
    const v = JSON.parse(json) as unknown;
    if (typeof v === 'string') {
      try {
        const inner = JSON.parse(v) as unknown;
        return typeof inner === 'string' || typeof inner === 'number' ? String(inner) : v;
      } catch {
        return v;
      }
    }
    return v === null ? '—' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  } catch {
    return json;
  }
}

/** A record deleted on one laptop while another edited it: keep it deleted, or restore it with the edit. */
const isDeleteRace = (c: Conflict) => c.field === 'deleted_at';

/** Texts can be merged; scale points, numbers and choices cannot. */
function mergeable(c: Conflict): boolean {
  if (isDeleteRace(c)) return false;
  const dx = latestInstrument('company-dx');
  const item = c.itemId && dx ? findItem(dx, c.itemId) : undefined;
  if (item) return item.type === 'text' && c.field === 'value';
  if (c.field === 'comment' || c.field === 'notes') return true;
  const words = (json: string | null) => /\s/.test(displayValue(json).trim());
  return words(c.kept.value) || words(c.other.value);
}

/** What changed, for people: the assessment item's text, or the table and field; a delete race says so. */
function useFieldLabel() {
  const { t, i18n } = useTranslation('sync');
  const dx = latestInstrument('company-dx');
  return (c: { tbl: string; field: string; itemId: string | null }, deleteRace = false) => {
    const item = c.itemId && dx ? findItem(dx, c.itemId) : undefined;
    if (item) return l10n(item.text, i18n.language);
    return `${t(`tables.${c.tbl}`, { defaultValue: c.tbl })} · ${deleteRace ? t('deleteRace.what') : c.field}`;
  };
}

/** The record's company, a link while it is on this laptop. */
function Company({ r }: { r: { companyName: string | null; link: string | null; rowId: string } }) {
  return r.link ? <Link to={r.link}>{r.companyName ?? r.rowId}</Link> : <>{r.companyName ?? r.rowId}</>;
}

/** How many refused changes the user has seen listed here: the header says when more have come since. */
const REJECTED_SEEN_KEY = 'dx.sync.rejectedSeen';
const rejectedSeen = (): number => Number(window.localStorage.getItem(REJECTED_SEEN_KEY) ?? 0) || 0;
/** Who shows the count (the header): told when it changes, since its own data does not (it is the same status). */
const seenListeners = new Set<() => void>();
const subscribeRejectedSeen = (listener: () => void) => {
  seenListeners.add(listener);
  return () => void seenListeners.delete(listener);
};
const markRejectedSeen = (count: number) => {
  if (count === rejectedSeen()) return;
  window.localStorage.setItem(REJECTED_SEEN_KEY, String(count));
  for (const listener of seenListeners) listener();
};

export function SyncPage() {
  const { t, i18n } = useTranslation('sync');
  const skewAmount = (ms: number) =>
    ms >= 86_400_000 ? t('clockSkew.days', { count: Math.round(ms / 86_400_000) }) : ms >= 3_600_000 ? t('clockSkew.hours', { count: Math.round(ms / 3_600_000) }) : t('clockSkew.minutes', { count: Math.round(ms / 60_000) });
  const lang = i18n.language;
  const notify = useNotify();
  const label = useFieldLabel();
  const status = useOp('sync.status', {}, { refetchInterval: 3000 });
  const conflicts = useOp('sync.conflicts', {});
  const rejected = useOp('sync.rejected', {});
  const now = useOpMutation('sync.now');
  const s = status.data;
  const refusedCount = s?.rejected;
  useEffect(() => {
    if (refusedCount !== undefined) markRejectedSeen(refusedCount);
  }, [refusedCount]);
  if (status.error) return <ErrorAlert error={status.error} />;
  if (!s) return null;
  const open = (conflicts.data?.rows ?? []).filter((c) => !c.resolved);
  const done = (conflicts.data?.rows ?? []).filter((c) => c.resolved);
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader
        title={t('title')}
        subtitle={s.connected ? t('connectedTo', { server: s.serverUrl ?? '' }) : t('notConnected')}
        actions={
          s.connected ? (
            <Button
              leftSection={<IconRefresh size={16} aria-hidden />}
              // Not disabled by a background round: a click then waits for it and runs one of its own.
              loading={now.isPending}
              onClick={() =>
                now.mutate(
                  {},
                  {
                    onSuccess: (r) =>
                      notify.saved(
                        t('done', { pushed: formatNumber(r.pushed, lang), pulled: formatNumber(r.pulled, lang) }) +
                          (r.rejected > 0 ? ` · ${t('doneRejected', { refused: formatNumber(r.rejected, lang) })}` : ''),
                      ),
                    onError: notify.failed,
                  },
                )
              }
            >
              {t('syncNow')}
            </Button>
          ) : null
        }
      />
      {s.clockSkewMs !== 0 && (
        <Alert color="orange" icon={<IconAlertTriangle aria-hidden />} title={t('clockSkew.title')} data-testid="clock-skew">
          {t(s.clockSkewMs > 0 ? 'clockSkew.ahead' : 'clockSkew.behind', { amount: skewAmount(Math.abs(s.clockSkewMs)) })}
        </Alert>
      )}
      {s.stuck && (
        <Alert color="red" icon={<IconAlertTriangle aria-hidden />} title={t('stuckTitle')}>
          {t('stuckBody', { since: s.oldestPendingAt ? formatDateTime(s.oldestPendingAt, lang) : '' })}
        </Alert>
      )}
      {s.scopeRemoval && (
        <Alert color="blue" icon={<IconInfoCircle aria-hidden />} title={t('scopeRemoval.title')} data-testid="scope-removal">
          {[
            s.scopeRemoval.companies > 0 ? t('scopeRemoval.companies', { count: s.scopeRemoval.companies, formatted: formatNumber(s.scopeRemoval.companies, lang) }) : null,
            s.scopeRemoval.suppliers > 0 ? t('scopeRemoval.suppliers', { count: s.scopeRemoval.suppliers, formatted: formatNumber(s.scopeRemoval.suppliers, lang) }) : null,
            t('scopeRemoval.when', { at: formatDateTime(s.scopeRemoval.at, lang) }),
          ]
            .filter(Boolean)
            .join(' ')}
        </Alert>
      )}
      {!s.connected ? (
        <EnrolCard />
      ) : (
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Stat label={t('lastSuccess')} value={s.lastSuccessAt ? formatDateTime(s.lastSuccessAt, lang) : t('never')} />
          <Stat
            label={t('pending')}
            value={formatNumber(s.pending, lang)}
            hint={[s.oldestPendingAt ? t('oldest', { at: formatDateTime(s.oldestPendingAt, lang) }) : null, s.filesToSend > 0 ? t('filesToSend', { count: s.filesToSend, formatted: formatNumber(s.filesToSend, lang) }) : null, s.missingFiles > 0 ? t('missingFiles', { count: s.missingFiles, formatted: formatNumber(s.missingFiles, lang) }) : null].filter(Boolean).join(' · ') || undefined}
            testId="sync-pending"
          />
          <Stat label={t('conflicts')} value={formatNumber(s.openConflicts, lang)} testId="sync-conflicts" />
          <Stat label={t('rejected')} value={formatNumber(s.rejected, lang)} />
        </SimpleGrid>
      )}
      {s.connected && s.lastError && (
        <Alert color="orange" title={t('lastErrorTitle')}>
          {t('lastError', { error: s.lastError, next: s.nextAttemptAt ? formatDateTime(s.nextAttemptAt, lang) : '—' })}
        </Alert>
      )}
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          {t('conflictsTitle')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('conflictsHelp')}
        </Text>
        {open.length === 0 ? <EmptyState title={t('noConflicts')} /> : <ConflictTable rows={open} />}
        {done.length > 0 && (
          <Text size="xs" c="dimmed" mt="sm">
            {t('resolvedCount', { count: done.length, formatted: formatNumber(done.length, lang) })}
          </Text>
        )}
      </Card>
      {(rejected.data?.rows.length ?? 0) > 0 && (
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('rejectedTitle')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('rejectedHelp')}
          </Text>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('when')}</Table.Th>
                <Table.Th>{t('what')}</Table.Th>
                <Table.Th>{t('value')}</Table.Th>
                <Table.Th>{t('reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rejected.data?.rows.map((r) => (
                <Table.Tr key={r.opId}>
                  <Table.Td>{formatDateTime(r.at, lang)}</Table.Td>
                  <Table.Td>
                    <Company r={r} />
                    <Text size="xs" c="dimmed">
                      {label(r)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{displayValue(r.value)}</Table.Td>
                  <Table.Td>{t(r.messageKey, { ns: 'messages', defaultValue: r.reason })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <Group>
        <Button
          variant="default"
          onClick={() =>
            void call('sync.checkIntegrity', {})
              .then((r) => notify.saved(r.altered + r.unlogged === 0 ? t('integrityOk') : t('integrityFixed', { altered: formatNumber(r.altered, lang), repaired: formatNumber(r.repaired, lang), unlogged: formatNumber(r.unlogged, lang) })))
              .catch(notify.failed)
          }
        >
          {t('checkIntegrity')}
        </Button>
      </Group>
      {s.connected && (
        <Group>
          <Button variant="subtle" color="red" onClick={() => void call('sync.disconnect', {}).then(() => status.refetch())}>
            {t('disconnect')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string | undefined; testId?: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={22} fw={700}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

function EnrolCard() {
  const { t } = useTranslation('sync');
  const errors = useErrorText();
  const notify = useNotify();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState(t('defaultDeviceName'));
  const fields = error instanceof ApiError ? errors.fields(error.data.fields) : {};
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('enrolTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('enrolHelp')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setPending(true);
          setError(null);
          // The message goes out before the refresh replaces this card with the sync status.
          void call('sync.enrol', { serverUrl: serverUrl.trim(), code: code.trim(), deviceName })
            .then(async () => {
              notify.saved(t('enrolled'));
              await qc.invalidateQueries();
            })
            .catch((err: unknown) => {
              setError(err);
              setPending(false);
            });
        }}
      >
        <Stack gap="sm" maw={520}>
          <TextInput label={t('serverUrl')} placeholder="https://dx.example.kr" value={serverUrl} onChange={(e) => setServerUrl(e.currentTarget.value)} error={fields.serverUrl} required />
          <TextInput label={t('code')} placeholder="XXXX-XXXX-XXXX-XXXX" value={code} onChange={(e) => setCode(e.currentTarget.value)} error={fields.code} required />
          <TextInput label={t('deviceName')} value={deviceName} onChange={(e) => setDeviceName(e.currentTarget.value)} error={fields.deviceName} required />
          {error !== null && !Object.keys(fields).length && <Alert color="red">{errors.message(error)}</Alert>}
          <Group>
            <Button type="submit" loading={pending} leftSection={<IconCloudCheck size={16} aria-hidden />}>
              {t('enrol')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function ConflictTable({ rows }: { rows: Conflict[] }) {
  const { t, i18n } = useTranslation(['sync', 'common']);
  const label = useFieldLabel();
  // A delete race shows "deleted (when)" against "restore", not a timestamp against a dash.
  const shown = (c: Conflict, side: 'kept' | 'other') => {
    if (!isDeleteRace(c)) return displayValue(c[side].value);
    const v = c[side].value === null ? null : (JSON.parse(c[side].value) as unknown);
    return typeof v === 'string' ? t('deleteRace.deleted', { date: formatDateTime(v, i18n.language) }) : t('deleteRace.restore');
  };
  const notify = useNotify();
  const qc = useQueryClient();
  const [merging, setMerging] = useState<Conflict | null>(null);
  const [merged, setMerged] = useState('');
  // Told before the lists refresh: the row (and this table) goes away once the conflict is resolved.
  const decide = (c: Conflict, choice: 'kept' | 'other' | 'merged', text?: string) =>
    void call('sync.resolve', { id: c.id, choice, ...(text !== undefined ? { merged: text } : {}) })
      .then(async () => {
        notify.saved(t('resolved'));
        await qc.invalidateQueries();
      })
      .catch(notify.failed);
  return (
    <>
      <Table data-testid="conflicts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('what')}</Table.Th>
            <Table.Th>{t('keptValue')}</Table.Th>
            <Table.Th>{t('otherValue')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Company r={c} />
                <Text size="xs" c="dimmed">
                  {label(c, isDeleteRace(c))}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color="teal">
                  {shown(c, 'kept')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color="orange">
                  {shown(c, 'other')}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Group gap={6} justify="flex-end">
                  <Button size="compact-sm" variant="default" onClick={() => decide(c, 'kept')} aria-label={isDeleteRace(c) ? t('deleteRace.keep') : t('keepLabel', { value: shown(c, 'kept') })}>
                    {isDeleteRace(c) ? t('deleteRace.keep') : t('keep')}
                  </Button>
                  <Button size="compact-sm" variant="default" onClick={() => decide(c, 'other')} aria-label={isDeleteRace(c) ? t('deleteRace.restoreAction') : t('takeOtherLabel', { value: shown(c, 'other') })}>
                    {isDeleteRace(c) ? t('deleteRace.restoreAction') : t('takeOther')}
                  </Button>
                  {mergeable(c) && (
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    onClick={() => {
                      setMerging(c);
                      setMerged(`${displayValue(c.kept.value)}\n${displayValue(c.other.value)}`);
                    }}
                  >
                    {t('merge')}
                  </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={merging !== null} onClose={() => setMerging(null)} title={t('mergeTitle')}>
        <Textarea label={t('mergedText')} autosize minRows={4} value={merged} onChange={(e) => setMerged(e.currentTarget.value)} />
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setMerging(null)}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            onClick={() => {
              if (merging) decide(merging, 'merged', merged);
              setMerging(null);
            }}
          >
            {t('saveMerged')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

/** The header's sync indicator: nothing until enrolled; then waiting changes, conflicts, or when it last synced. */
export function SyncIndicator() {
  const { t, i18n } = useTranslation('sync');
  const status = useOp('sync.status', {}, { refetchInterval: 5000 });
  const seen = useSyncExternalStore(subscribeRejectedSeen, rejectedSeen);
  const s = status.data;
  if (!s?.connected) return null;
  const lang = i18n.language;
  // Changes refused since the user last looked at the sync page (they are undone here: the form changed back).
  const refused = Math.max(0, s.rejected - seen);
  const label =
    s.openConflicts > 0
      ? t('badgeConflicts', { count: s.openConflicts, formatted: formatNumber(s.openConflicts, lang) })
      : s.running
        ? t('badgeRunning')
        : s.pending > 0
          ? t('badgePending', { count: s.pending, formatted: formatNumber(s.pending, lang) })
          : refused > 0
            ? t('badgeRejected', { count: refused, formatted: formatNumber(refused, lang) })
            : t('badgeSynced');
  const color = s.openConflicts > 0 || s.stuck ? 'red' : s.lastError || refused > 0 ? 'orange' : s.pending > 0 ? 'yellow' : 'teal';
  return (
    <Badge component={Link} to="/sync" variant="light" color={color} size="lg" style={{ cursor: 'pointer', textTransform: 'none' }} data-testid="sync-indicator">
      {label}
    </Badge>
  );
}
