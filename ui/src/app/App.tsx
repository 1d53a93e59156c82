import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { ApiError, setUnauthorizedHandler } from '../api/client';
import { SESSION_KEY, useSession } from '../api/session';
import { ErrorAlert, Spinner } from '../components/ui';
import { LoginPage, SetupPage } from '../pages/auth/AuthPages';
import { DashboardPage } from '../pages/dashboard/DashboardPage';
import { Layout } from './Layout';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a dropped connection may.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
  },
});
setUnauthorizedHandler(() => void queryClient.invalidateQueries({ queryKey: SESSION_KEY }));

/** Sends a visitor to owner creation on first start, to login without a session, and lets the rest through. */
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Spinner />;
  if (session.error) return <ErrorAlert error={session.error} />;
  if (session.data.setupRequired) return <Navigate to="/setup" replace />;
  if (!session.data.user) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

/** The setup and login pages, only for visitors without a session. */
function Public({ page }: { page: 'setup' | 'login' }) {
  const session = useSession();
  if (session.isPending) return <Spinner />;
  if (session.data?.user) return <Navigate to="/" replace />;
  if (page === 'login' && session.data?.setupRequired) return <Navigate to="/setup" replace />;
  if (page === 'setup' && session.data && !session.data.setupRequired) return <Navigate to="/login" replace />;
  return page === 'setup' ? <SetupPage /> : <LoginPage />;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p>{t('errors.notFound')}</p>
      <Link to="/">{t('notFound.home')}</Link>
    </section>
  );
}

/** Moves focus to the page's heading on navigation, so screen readers announce the new page. */
function FocusOnNavigate() {
  const location = useLocation();
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
  return null;
}

function Root() {
  return (
    <>
      <FocusOnNavigate />
      <Outlet />
    </>
  );
}

// The dashboard comes with the first page; the other pages load when first opened.
const wizard = async () => ({ Component: (await import('../pages/wizard/WizardPage')).WizardPage });

const router = createBrowserRouter([
  {
    element: <Root />,
    children: [
      { path: '/setup', element: <Public page="setup" /> },
      { path: '/login', element: <Public page="login" /> },
      {
        element: <RequireSession />,
        children: [
          {
            element: <Layout />,
            children: [
              { path: '/', element: <DashboardPage /> },
              { path: '/connections/new', lazy: wizard },
              { path: '/connections/:id/edit', lazy: wizard },
              {
                path: '/connections/:id/runs',
                lazy: async () => ({ Component: (await import('../pages/runs/ConnectionRunsPage')).ConnectionRunsPage }),
              },
              { path: '/runs/:id', lazy: async () => ({ Component: (await import('../pages/runs/RunPage')).RunPage }) },
              { path: '/accounts', lazy: async () => ({ Component: (await import('../pages/accounts/AccountsPage')).AccountsPage }) },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
]);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
