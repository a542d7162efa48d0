import { Navigate, type RouteObject } from 'react-router';
import { Layout, PageHeader, type NavItem } from '../shell/layout.js';
import { NotFound } from '../shell/not-found.js';
import { AppRouter } from '../shell/router.js';

const NAV: NavItem[] = [
  { label: 'Alerts', to: '/alerts' },
  { label: 'Silences', to: '/silences' },
  { label: 'Receivers', to: '/receivers' },
  { label: 'Status', to: '/status' },
];

function Placeholder({ title }: { title: string }) {
  return <PageHeader title={title} />;
}

const ROUTES: RouteObject[] = [
  {
    element: <Layout brand="Alertmanager" nav={NAV} />,
    children: [
      { path: '/', element: <Navigate to="/alerts" replace /> },
      { path: '/alerts', element: <Placeholder title="Alerts" /> },
      { path: '/silences', element: <Placeholder title="Silences" /> },
      { path: '/receivers', element: <Placeholder title="Receivers" /> },
      { path: '/status', element: <Placeholder title="Status" /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The Alertmanager's UI. */
export function AlertmanagerApp() {
  return <AppRouter routes={ROUTES} />;
}
