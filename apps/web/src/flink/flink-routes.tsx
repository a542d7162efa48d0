import { Route, Routes } from 'react-router';
import { NotFound } from '../shell/not-found.js';
import { FlinkOverview } from './overview-page.js';

/** The Flink dashboard's pages under /flink. */
export function FlinkRoutes() {
  return (
    <Routes>
      <Route index element={<FlinkOverview />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
