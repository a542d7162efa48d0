import type { QueryFunc } from './query-func.js';

/** What an alert's label and annotation templates see (`$labels`, `$externalLabels`, `$externalURL`, `$value`). */
export interface AlertTemplateData {
  /** The alert's series labels, `__name__` included. */
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly value: number;
}

/** Where a template is expanded: the rule (for the template's name), the evaluation time (ms) and the query function templates may call. */
export interface AlertTemplateContext {
  readonly name: string;
  readonly ts: number;
  readonly query: QueryFunc;
}

/**
 * Expands one label or annotation template of an alerting rule. Never rejects: a failure is
 * rendered into the text as upstream's `<error expanding template: …>`, so evaluation goes on.
 */
export type AlertTemplateExpander = (text: string, data: AlertTemplateData, context: AlertTemplateContext) => Promise<string>;
