import type { RouteObject } from 'react-router';
import { Layout, PageHeader, type NavItem } from '../shell/layout.js';
import { NotFound } from '../shell/not-found.js';
import { AppRouter } from '../shell/router.js';

const NAV: NavItem[] = [
  { label: 'Metrics', to: '/' },
  { label: 'Status', to: '/status' },
];

function Placeholder({ title }: { title: string }) {
  return <PageHeader title={title} />;
}

const ROUTES: RouteObject[] = [
  {
    element: <Layout brand="Pushgateway" nav={NAV} />,
    children: [
      { path: '/', element: <Placeholder title="Metrics" /> },
      { path: '/status', element: <Placeholder title="Status" /> },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The Pushgateway's UI. */
export function PushgatewayApp() {
  return <AppRouter routes={ROUTES} />;
}
