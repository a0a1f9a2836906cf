import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ApiError, isApiError } from './api.ts';
import './i18n.ts';
import { RouterProvider } from './router.tsx';
import { meKey } from './session.ts';

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // A session that expires mid-way sends the user back to the sign-in page.
    onError: (error, query) => {
      if (isApiError(error, 401) && query.queryKey[0] !== meKey[0]) queryClient.setQueryData(meKey, null);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // 4xx answers are final (not found, forbidden …); retry only network trouble and 5xx.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <FluentProvider theme={webLightTheme} style={{ minHeight: '100%' }}>
        <RouterProvider>
          <App />
        </RouterProvider>
      </FluentProvider>
    </QueryClientProvider>
  </StrictMode>,
);
