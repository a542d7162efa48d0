import type { RouteObject } from 'react-router';
import { Layout, type NavItem } from '../shell/layout.js';
import { NotFound } from '../shell/not-found.js';
import { AppRouter } from '../shell/router.js';
import { MetricsPage } from './metrics-page.js';
import { StatusPage } from './status-page.js';

const NAV: NavItem[] = [
  { label: 'Metrics', to: '/' },
  { label: 'Status', to: '/status' },
];

const ROUTES: RouteObject[] = [
  {
    element: <Layout brand="Pushgateway" nav={NAV} />,
    children: [
      { path: '/', element: <MetricsPage /> },
      { path: '/status', element: <StatusPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The Pushgateway's UI: groups with their metrics and last push, delete, status. */
export function PushgatewayApp() {
  return <AppRouter routes={ROUTES} />;
}
