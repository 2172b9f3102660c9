import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import 'mantine-datatable/styles.css';
import './styles.css';
import { createTheme, type CSSVariablesResolver, MantineProvider, MultiSelect, NumberInput, Select, Textarea, TextInput } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router';
import { call } from './api.ts';
import { App } from './App.tsx';
import { initI18n } from './i18n.ts';

const theme = createTheme({
  fontFamily: "'Pretendard Variable', Pretendard, 'Noto Sans KR', system-ui, sans-serif",
  headings: { fontFamily: "'Pretendard Variable', Pretendard, 'Noto Sans KR', system-ui, sans-serif" },
  primaryColor: 'indigo',
  primaryShade: 7,
  defaultRadius: 'md',
  components: Object.fromEntries(
    [TextInput, NumberInput, Select, MultiSelect, Textarea].map((c) => [
      c.displayName?.replace('@mantine/core/', '') ?? '',
      c.extend({ defaultProps: { inputWrapperOrder: ['label', 'input', 'description', 'error'] } }),
    ]),
  ),
});

/** Darker secondary and light-variant text than Mantine's defaults, so every text passes WCAG AA contrast. */
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#55595e',
    '--mantine-color-placeholder': '#6b7075',
    '--mantine-primary-color-light-color': 'var(--mantine-color-indigo-9)',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-8)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(
      ['indigo', 'red', 'teal', 'yellow', 'orange', 'grape', 'blue', 'gray', 'green'].map((c) => [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`]),
    ),
    // Orange 9 on the light orange background is only 3.9:1.
    '--mantine-color-orange-light-color': '#9c3608',
    // Teal 9 on the light teal background is under 4.5:1 for small text (badges, alert titles).
    '--mantine-color-teal-light-color': '#075e49',
  },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } },
});

async function boot(): Promise<void> {
  const settings = await call('settings.get', {}).catch(() => ({ language: 'ko' as const }));
  await initI18n(settings.language);
  window.dx.on('data.changed', () => void queryClient.invalidateQueries());
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <HashRouter>
            <App />
          </HashRouter>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );
}

void boot();
