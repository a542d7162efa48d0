import { goQuote } from '@pyrometer/model';
import type { Logger } from '@pyrometer/telemetry';
import type { Alert } from '../../alerts/alert.js';
import type { JiraConfig } from '../../config/receivers/receiver.js';
import type { NotifyContext } from '../context.js';
import { integrationHttpClient } from '../http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from '../notifier.js';
import { groupKeyHash, struct } from '../payload.js';
import { prefixed, rendering, type Render } from '../render.js';
import { jiraRequest, parseObject, type JiraApiOptions } from './api.js';
import { issueBody, searchJql } from './issue.js';

/** The group's issue as the search found it: its key and its status category (`done`, …), if it has a status. */
interface FoundIssue {
  readonly key: string;
  readonly statusCategory: string | undefined;
}

/** Reads the first issue of a search answer (`issues[0]`, with `fields.status.statusCategory.key`). */
function firstIssue(answer: Record<string, unknown>): FoundIssue {
  const issue = ((answer['issues'] as unknown[] | undefined)?.[0] ?? {}) as { key?: unknown; fields?: { status?: { statusCategory?: { key?: unknown } } } };
  const status = issue.fields?.status;
  return { key: typeof issue.key === 'string' ? issue.key : '', statusCategory: status === undefined || status === null ? undefined : String(status.statusCategory?.key ?? '') };
}

/** Searches the group's issue (at most two, the first wins); undefined when there is none. */
async function findIssue(api: JiraApiOptions, config: JiraConfig, text: Render, groupHash: string, firing: boolean, logger: Logger): Promise<FoundIssue | undefined> {
  const jql = await searchJql(config, text, groupHash, firing);
  logger.debug('search for recent issues', { jql });
  let body: string;
  try {
    body = await jiraRequest(api, 'POST', 'search', struct({ expand: [], fields: ['status'], jql, maxResults: 2, startAt: 0 }));
  } catch (err) {
    throw prefixed(err, 'HTTP request to JIRA API: ');
  }
  const answer = parseObject(body);
  const total = typeof answer['total'] === 'number' ? answer['total'] : 0;
  if (total === 0) return undefined;
  const issue = firstIssue(answer);
  if (total > 1) logger.warn('more than one issue matched, selecting the most recently resolved', { selected_issue: issue.key });
  return issue;
}

/** Moves the issue through the named transition: looks its id up by name, then applies it. */
async function transition(api: JiraApiOptions, issueKey: string, name: string, logger: Logger): Promise<void> {
  const path = `issue/${issueKey}/transitions`;
  const transitions = parseObject(await jiraRequest(api, 'GET', path))['transitions'];
  const found = (Array.isArray(transitions) ? (transitions as { id?: unknown; name?: unknown }[]) : []).find((t) => t.name === name);
  if (found === undefined) throw notifyError(`can't find transition ${name} for issue ${issueKey}`, false);
  logger.debug('transitions jira issue', { issue_key: issueKey, transition: name });
  await jiraRequest(api, 'POST', path, struct({ transition: struct({ id: typeof found.id === 'string' && found.id !== '' ? found.id : undefined }) }));
}

/**
 * The Jira integration (`notify/jira`, upstream 0.28): searches the group's issue by its label
 * `ALERT{<SHA-256 of the group key>}`; creates one (POST `issue`) while firing when there is none,
 * else updates it (PUT `issue/<key>`); then reopens a done issue that fires again
 * (`reopen_transition`) or resolves an open one whose alerts resolved (`resolve_transition`). A
 * resolved group without an issue sends nothing. 429 and 5xx are retried; network failures are
 * not, as upstream.
 */
export const jiraIntegration: IntegrationFactory<'jira'> = async (config: JiraConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const logger = deps.logger.with({ group_key: ctx.groupKey });
      const { data, text } = rendering(deps, ctx, alerts);
      const api: JiraApiOptions = { client, apiUrl: config.apiUrl ?? '', userAgent: deps.userAgent, signal: ctx.signal };
      const groupHash = groupKeyHash(ctx.groupKey);
      const firing = data.Status === 'firing';
      let existing: FoundIssue | undefined;
      try {
        existing = await findIssue(api, config, text, groupHash, firing, logger);
      } catch (err) {
        throw prefixed(err, 'failed to look up existing issues: ');
      }
      if (existing === undefined && !firing) return;
      const body = await issueBody(config, text, groupHash, logger);
      const [method, path] = existing === undefined ? (['POST', 'issue'] as const) : (['PUT', `issue/${existing.key}`] as const);
      logger.debug(existing === undefined ? 'create new issue' : 'updating existing issue', existing === undefined ? {} : { issue_key: existing.key });
      try {
        await jiraRequest(api, method, path, body);
      } catch (err) {
        throw prefixed(err, `failed to ${method} request to ${goQuote(path)}: `);
      }
      if (existing === undefined || existing.key === '' || existing.statusCategory === undefined) return;
      const done = existing.statusCategory === 'done';
      if (firing && done) await transition(api, existing.key, config.reopenTransition, logger);
      if (!firing && !done) await transition(api, existing.key, config.resolveTransition, logger);
    },
    close: () => client.close(),
  };
};
