import { Navigate, type RouteObject } from 'react-router';
import { Layout, type NavItem } from '../shell/layout.js';
import { NotFound } from '../shell/not-found.js';
import { AppRouter } from '../shell/router.js';
import { AlertsPage } from './alerts-page.js';
import { ReceiversPage } from './receivers-page.js';
import { SilenceFormPage } from './silence-form-page.js';
import { SilencePage } from './silence-page.js';
import { SilencesPage } from './silences-page.js';
import { StatusPage } from './status-page.js';

const NAV: NavItem[] = [
  { label: 'Alerts', to: '/alerts' },
  { label: 'Silences', to: '/silences' },
  { label: 'Receivers', to: '/receivers' },
  { label: 'Status', to: '/status' },
];

const ROUTES: RouteObject[] = [
  {
    element: <Layout brand="Alertmanager" nav={NAV} />,
    children: [
      { path: '/', element: <Navigate to="/alerts" replace /> },
      { path: '/alerts', element: <AlertsPage /> },
      { path: '/silences', element: <SilencesPage /> },
      { path: '/silences/new', element: <SilenceFormPage /> },
      { path: '/silences/:id', element: <SilencePage /> },
      { path: '/silences/:id/edit', element: <SilenceFormPage /> },
      { path: '/receivers', element: <ReceiversPage /> },
      { path: '/status', element: <StatusPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/**
 * Links into upstream's UI use hash routes (`/#/alerts?receiver=…`, `/#/silences/new?filter=…`,
 * in notification templates); they become the same paths here before the router starts.
 */
function adoptHashRoute(): void {
  const { hash } = window.location;
  if (hash.startsWith('#/')) window.history.replaceState(null, '', `${document.baseURI.replace(/\/+$/, '')}${hash.slice(1)}`);
}

/** The Alertmanager's UI: alerts by routing group, silences (list, create with preview, edit, expire), receivers, status. */
export function AlertmanagerApp() {
  adoptHashRoute();
  return <AppRouter routes={ROUTES} />;
}
