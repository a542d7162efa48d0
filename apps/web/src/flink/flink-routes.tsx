import { Route, Routes } from 'react-router';
import { NotFound } from '../shell/not-found.js';
import { JobPage } from './job-page.js';
import { FlinkOverview } from './overview-page.js';
import { TaskManagerPage } from './taskmanager-page.js';

/** The Flink dashboard's pages under /flink. */
export function FlinkRoutes() {
  return (
    <Routes>
      <Route index element={<FlinkOverview />} />
      <Route path="job/:jobName" element={<JobPage />} />
      <Route path="taskmanager/:tmId" element={<TaskManagerPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
