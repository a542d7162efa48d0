import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, useLocation, type RouteObject } from 'react-router';
import { Loading } from '../shell/components.js';
import { Layout, type NavItem } from '../shell/layout.js';
import { NotFound } from '../shell/not-found.js';
import { AppRouter } from '../shell/router.js';
import { AlertsPage } from './alerts-page.js';
import { AlertmanagerDiscoveryPage } from './alertmanager-discovery-page.js';
import { ConfigPage } from './config-page.js';
import { FlagsPage } from './flags-page.js';
import { RulesPage } from './rules-page.js';
import { ServiceDiscoveryPage } from './service-discovery-page.js';
import { RuntimeInfoPage } from './runtime-info-page.js';
import { TargetsPage } from './targets-page.js';
import { TsdbStatusPage } from './tsdb-status-page.js';

// The query page (CodeMirror, uPlot) and the Flink dashboard load on demand.
const QueryPage = lazy(() => import('./query/query-page.js').then((m) => ({ default: m.QueryPage })));
const FlinkRoutes = lazy(() => import('../flink/flink-routes.js').then((m) => ({ default: m.FlinkRoutes })));

const NAV: NavItem[] = [
  { label: 'Query', to: '/query' },
  { label: 'Alerts', to: '/alerts' },
  { label: 'Flink', to: '/flink' },
  {
    label: 'Status',
    items: [
      { label: 'Target health', to: '/targets' },
      { label: 'Rule health', to: '/rules' },
      { label: 'Service discovery', to: '/service-discovery' },
      { label: 'Runtime & build information', to: '/status' },
      { label: 'Command-line flags', to: '/flags' },
      { label: 'Configuration', to: '/config' },
      { label: 'TSDB status', to: '/tsdb-status' },
      { label: 'Alertmanager discovery', to: '/alertmanager-discovery' },
    ],
  },
];

const lazyPage = (page: ReactNode) => <Suspense fallback={<Loading />}>{page}</Suspense>;

/** Prometheus 2.x links (`/graph?g0.expr=…`, alerts' generatorURL) open the query page with the same state. */
function GraphRedirect() {
  const { search } = useLocation();
  return <Navigate to={`/query${search}`} replace />;
}

const ROUTES: RouteObject[] = [
  {
    element: <Layout brand="Pyrometer" nav={NAV} />,
    children: [
      { path: '/', element: <Navigate to="/query" replace /> },
      { path: '/query', element: lazyPage(<QueryPage />) },
      { path: '/graph', element: <GraphRedirect /> },
      { path: '/alerts', element: <AlertsPage /> },
      { path: '/rules', element: <RulesPage /> },
      { path: '/targets', element: <TargetsPage /> },
      { path: '/service-discovery', element: <ServiceDiscoveryPage /> },
      { path: '/status', element: <RuntimeInfoPage /> },
      { path: '/flags', element: <FlagsPage /> },
      { path: '/config', element: <ConfigPage /> },
      { path: '/tsdb-status', element: <TsdbStatusPage /> },
      { path: '/alertmanager-discovery', element: <AlertmanagerDiscoveryPage /> },
      { path: '/flink/*', element: lazyPage(<FlinkRoutes />) },
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The server's UI: query, alerts, rules, targets, service discovery, status pages, Flink. */
export function PrometheusApp() {
  return <AppRouter routes={ROUTES} />;
}
