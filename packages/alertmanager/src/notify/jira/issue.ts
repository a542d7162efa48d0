import { goQuote } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import type { JiraConfig } from '../../config/receivers/receiver.js';
import { notifyError } from '../notifier.js';
import { struct } from '../payload.js';
import { prefixed, type Render } from '../render.js';
import { truncateLogged } from '../truncate.js';

/** Jira's limits (runes): summary, description. */
const MAX_SUMMARY_RUNES = 255;
const MAX_DESCRIPTION_RUNES = 32767;

/** The label that ties an issue to its alert group: `ALERT{<SHA-256 of the group key>}`. */
export const groupLabel = (groupHash: string) => `ALERT{${groupHash}}`;

/** Renders `text`, a failure prefixed with `what` (e.g. `summary template: `). */
async function render(text: Render, template: string, what: string): Promise<string> {
  try {
    return await text(template);
  } catch (err) {
    throw prefixed(err, what);
  }
}

/**
 * The JQL finding the group's issue (upstream's `searchExistingIssue`): not the won't-fix
 * resolution; while firing, not done unless it may be reopened; once resolved, within
 * `reopen_duration`; then by project and the group label, open ones first, then the most
 * recently resolved.
 */
export async function searchJql(config: JiraConfig, text: Render, groupHash: string, firing: boolean): Promise<string> {
  let jql = '';
  if (config.wontFixResolution !== '') jql += `resolution != ${goQuote(config.wontFixResolution)} and `;
  const reopenMinutes = Math.trunc((config.reopenDuration ?? 0) / 60_000);
  if (firing && config.reopenTransition === '') jql += 'statusCategory != Done and ';
  if (!firing && reopenMinutes !== 0) jql += `(resolutiondate is EMPTY OR resolutiondate >= -${reopenMinutes}m) and `;
  const project = await render(text, config.project, 'invalid project template or value: ');
  return `${jql}project=${goQuote(project)} and labels=${goQuote(groupLabel(groupHash))} order by status ASC,resolutiondate DESC`;
}

/**
 * The issue to create or update (upstream's `prepareIssueRequestBody`): its fields as a map
 * (Go writes it with sorted keys) — summary, description (parsed as Atlassian Document Format
 * JSON for API version 3), issue type, project, the rendered labels plus the group label
 * (sorted), the priority when it renders non-empty, and the custom `fields` as configured.
 */
export async function issueBody(config: JiraConfig, text: Render, groupHash: string, logger: Logger): Promise<unknown> {
  const summaryText = await render(text, config.summary, 'summary template: ');
  const project = await render(text, config.project, 'project template: ');
  const issueType = await render(text, config.issueType, 'issue_type template: ');
  const summary = truncateLogged(summaryText, MAX_SUMMARY_RUNES, logger, 'summary', {});
  const descriptionText = truncateLogged(await render(text, config.description, 'description template: '), MAX_DESCRIPTION_RUNES, logger, 'description', {});
  let description: unknown = descriptionText;
  if (new URL(config.apiUrl ?? '').pathname.endsWith('/3')) {
    try {
      description = JSON.parse(descriptionText);
    } catch (err) {
      throw notifyError(`description unmarshaling: ${(err as Error).message}`, false, 'other', err);
    }
  }
  const labels: string[] = [];
  for (const [i, label] of config.labels.entries()) labels.push(await render(text, label, `labels[${i}] template: `));
  labels.push(groupLabel(groupHash));
  labels.sort();
  const priority = await render(text, config.priority, 'priority template: ');
  const fields: Record<string, unknown> = {
    description,
    summary,
    issuetype: struct({ name: issueType === '' ? undefined : issueType }),
    labels,
    project: struct({ key: project }),
    ...(priority === '' ? {} : { priority: struct({ name: priority }) }),
    ...config.fields,
  };
  return struct({ fields });
}
