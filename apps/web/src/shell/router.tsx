import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { basePath } from './base-path.js';

/** Mounts an app's routes under the base path the serving process gave (see base-path.ts). */
export function AppRouter({ routes }: { routes: RouteObject[] }) {
  const [router] = useState(() => createBrowserRouter(routes, { basename: basePath() || '/' }));
  return <RouterProvider router={router} />;
}
