import { StrictMode, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';

/** The app the serving process named in index.html (`<meta name="pyrometer-app">`). */
function appName(): string {
  return document.querySelector('meta[name="pyrometer-app"]')?.getAttribute('content') ?? 'prometheus';
}

async function loadApp(name: string): Promise<() => ReactElement> {
  switch (name) {
    case 'alertmanager':
      return (await import('./alertmanager/app.js')).AlertmanagerApp;
    case 'pushgateway':
      return (await import('./pushgateway/app.js')).PushgatewayApp;
    default:
      return (await import('./prometheus/app.js')).PrometheusApp;
  }
}

const App = await loadApp(appName());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
