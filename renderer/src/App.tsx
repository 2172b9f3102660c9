import { AppShell, Group, NavLink, SegmentedControl, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconBuildingFactory2, IconCertificate, IconClipboardCheck, IconLayoutDashboard, IconRefresh, IconSettings, IconTool, IconUsersGroup } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';
import { call } from './api.ts';
import { AssessmentFormPage } from './pages/AssessmentFormPage.tsx';
import { AssessmentsPage } from './pages/AssessmentsPage.tsx';
import { DashboardPage } from './pages/DashboardPage.tsx';
import { CertificatesPage } from './pages/CertificatesPage.tsx';
import { DiagnosisPage } from './pages/DiagnosisPage.tsx';
import { LevelPage } from './pages/LevelPage.tsx';
import { ProjectFormPage } from './pages/ProjectFormPage.tsx';
import { ProjectPage } from './pages/ProjectPage.tsx';
import { MentorsPage } from './pages/MentorsPage.tsx';
import { OrgDetailPage } from './pages/OrgDetailPage.tsx';
import { OrgFormPage } from './pages/OrgFormPage.tsx';
import { OrgListPage } from './pages/OrgListPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { SyncIndicator, SyncPage } from './pages/SyncPage.tsx';
import { OverdueBadge, useDueReminder } from './worklist/Worklist.tsx';

const NAV = [
  { to: '/', key: 'nav.dashboard', icon: IconLayoutDashboard, end: true },
  { to: '/companies', key: 'nav.companies', icon: IconBuildingFactory2 },
  { to: '/suppliers', key: 'nav.suppliers', icon: IconTool },
  { to: '/mentors', key: 'nav.mentors', icon: IconUsersGroup },
  { to: '/assessments', key: 'nav.assessments', icon: IconClipboardCheck },
  { to: '/certificates', key: 'nav.certificates', icon: IconCertificate },
  { to: '/sync', key: 'nav.sync', icon: IconRefresh },
  { to: '/settings', key: 'nav.settings', icon: IconSettings },
] as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const change = async (lng: string) => {
    const language = lng === 'en' ? 'en' : 'ko';
    await call('settings.setLanguage', { language });
    await i18n.changeLanguage(language);
  };
  return (
    <SegmentedControl
      aria-label={t('language.label')}
      size="xs"
      value={i18n.language.startsWith('en') ? 'en' : 'ko'}
      onChange={(v) => void change(v)}
      data={[
        { value: 'ko', label: '한국어' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}

export function App() {
  const { t } = useTranslation();
  const location = useLocation();
  const active = (to: string, end?: boolean) => (end ? location.pathname === to : location.pathname.startsWith(to));
  useDueReminder();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 0 }} padding="lg">
      <a className="skip-link" href="#main-content">
        {t('nav.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="xs">
            <Title order={2} size="h4" c="indigo.8">
              DX Mentor
            </Title>
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
          </Group>
          <Group gap="sm">
            <SyncIndicator />
            <LanguageSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        <VisuallyHidden>
          <h2>{t('nav.label')}</h2>
        </VisuallyHidden>
        {NAV.map((item) => (
          <NavLink
            key={item.to}
            component={RouterLink}
            to={item.to}
            label={t(item.key)}
            leftSection={<item.icon size={18} stroke={1.6} aria-hidden />}
            active={active(item.to, 'end' in item ? item.end : false)}
            rightSection={item.to === '/' ? <OverdueBadge /> : undefined}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main-content">
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/companies" element={<OrgListPage kind="company" />} />
          <Route path="/companies/new" element={<OrgFormPage kind="company" />} />
          <Route path="/companies/:id" element={<OrgDetailPage kind="company" />} />
          <Route path="/companies/:id/edit" element={<OrgFormPage kind="company" />} />
          <Route path="/suppliers" element={<OrgListPage kind="supplier" />} />
          <Route path="/suppliers/new" element={<OrgFormPage kind="supplier" />} />
          <Route path="/suppliers/:id" element={<OrgDetailPage kind="supplier" />} />
          <Route path="/diagnoses/:id" element={<DiagnosisPage />} />
          <Route path="/levels/:id" element={<LevelPage />} />
          <Route path="/certificates" element={<CertificatesPage />} />
          <Route path="/projects/new" element={<ProjectFormPage />} />
          <Route path="/projects/:id" element={<ProjectPage />} />
          <Route path="/projects/:id/edit" element={<ProjectFormPage />} />
          <Route path="/suppliers/:id/edit" element={<OrgFormPage kind="supplier" />} />
          <Route path="/mentors" element={<MentorsPage />} />
          <Route path="/assessments" element={<AssessmentsPage />} />
          <Route path="/assessments/:id" element={<AssessmentFormPage />} />
          <Route path="/sync" element={<SyncPage />} />
          <Route path="/settings" element={<SettingsPage />} />
        </Routes>
      </AppShell.Main>
    </AppShell>
  );
}
