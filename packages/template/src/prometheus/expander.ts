import { TemplateError } from '../errors.js';
import type { MissingKey } from '../engine/exec-state.js';
import { TemplateSet } from '../engine/template-set.js';
import { GO_TYPE, StringMap } from '../values.js';
import { contextFunctions, prometheusFunctions, type PrometheusFunctionContext } from './functions.js';
import type { QueryFunc } from './query-result.js';

/** Options of one expansion, as `template.NewTemplateExpander`'s arguments. */
export interface ExpandOptions extends PrometheusFunctionContext {
  /** Go's `missingkey` option; Prometheus's default is `zero`. */
  readonly missingKey?: MissingKey;
}

/** Parsed templates by (option, name, text); alert templates repeat every evaluation. */
const PARSED = new Map<string, TemplateSet>();
const MAX_PARSED = 1024;
/** Parsing needs every function's name; the context-bound ones are rebound for each execution. */
const PARSE_FUNCS = prometheusFunctions({ timeMs: 0, externalURL: '' });

function parsed(text: string, name: string, missingKey: MissingKey): TemplateSet {
  const key = `${missingKey}\u0000${name}\u0000${text}`;
  let set = PARSED.get(key);
  if (set === undefined) {
    try {
      set = new TemplateSet({ name, funcs: PARSE_FUNCS, missingKey }).parse(name, text);
    } catch (err) {
      throw new TemplateError('parse', `error parsing template ${name}: ${(err as Error).message}`, { cause: err });
    }
    if (PARSED.size >= MAX_PARSED) PARSED.clear();
    PARSED.set(key, set);
  }
  return set;
}

/**
 * Expands `text` as Prometheus's `Expander.Expand` does: a text template named `name` with
 * Prometheus's functions bound to `options`, executed on `data`. Rejects with
 * {@link TemplateError}: `parse` (`error parsing template NAME: …`) or `exec`
 * (`error executing template NAME: …`). Parsed texts are cached, so repeated expansions of the
 * same annotation cost only execution.
 */
export async function expandPrometheusTemplate(text: string, name: string, data: unknown, options: ExpandOptions): Promise<string> {
  const set = parsed(text, name, options.missingKey ?? 'zero');
  try {
    return await set.execute(name, data, { funcs: contextFunctions(options) });
  } catch (err) {
    throw new TemplateError('exec', `error executing template ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** Rule templates get these variables first, so `$labels`, `$value` … work (upstream's `defs`). */
const ALERT_PREAMBLE = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/**
 * The data alert templates run on (`template.AlertTemplateData`): `.Labels`, `.ExternalLabels`,
 * `.ExternalURL` and `.Value` (a float64, or a native histogram).
 */
export class AlertTemplateData {
  static readonly [GO_TYPE] = 'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }';
  readonly Labels: StringMap;
  readonly ExternalLabels: StringMap;

  constructor(
    labels: LabelPairs,
    externalLabels: LabelPairs,
    readonly ExternalURL: string,
    readonly Value: unknown,
  ) {
    this.Labels = toStringMap(labels);
    this.ExternalLabels = toStringMap(externalLabels);
  }
}

/** Label pairs as a `Labels` object, `[name, value]` pairs or a plain record. */
export type LabelPairs = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

function toStringMap(pairs: LabelPairs): StringMap {
  return Symbol.iterator in pairs ? new StringMap(pairs as Iterable<readonly [string, string]>) : new StringMap(pairs as Record<string, string>);
}

/** What one alert's label and annotation templates are expanded for. */
export interface AlertExpansion {
  /** The alerting rule's name: the template is named `__alert_<name>`. */
  readonly ruleName: string;
  /** The alert's series labels (before the rule's labels are added). */
  readonly labels: LabelPairs;
  /** The sample value (`$value`): a float64, or a native histogram object. */
  readonly value: unknown;
  /** The evaluation time in ms since the epoch (`query` runs at it, `now` returns it). */
  readonly timeMs: number;
}

/** Options of an {@link AlertTemplateExpander}: what stays the same across evaluations. */
export interface AlertTemplateExpanderOptions {
  readonly externalURL: string;
  readonly externalLabels?: LabelPairs;
  readonly query?: QueryFunc;
  /** Called when a template fails (upstream logs a warning); the failure text is still returned. */
  readonly onError?: (error: TemplateError, text: string, expansion: AlertExpansion) => void;
}

/**
 * Expands alerting-rule labels and annotations as Prometheus's rule manager does: the preamble
 * defining `$labels`, `$externalLabels`, `$externalURL` and `$value`, the template named
 * `__alert_<rule>`, and a failure rendered as `<error expanding template: …>` instead of thrown.
 */
export class AlertTemplateExpander {
  constructor(private readonly options: AlertTemplateExpanderOptions) {}

  async expand(text: string, alert: AlertExpansion): Promise<string> {
    const data = new AlertTemplateData(alert.labels, this.options.externalLabels ?? {}, this.options.externalURL, alert.value);
    try {
      return await expandPrometheusTemplate(ALERT_PREAMBLE + text, `__alert_${alert.ruleName}`, data, {
        query: this.options.query,
        timeMs: alert.timeMs,
        externalURL: this.options.externalURL,
      });
    } catch (err) {
      const error = err instanceof TemplateError ? err : new TemplateError('exec', String(err), { cause: err });
      this.options.onError?.(error, text, alert);
      return `<error expanding template: ${error.message}>`;
    }
  }
}

/**
 * Checks that an alerting rule's label or annotation template parses, as rule-file validation
 * does (`rulefmt` / `promtool check rules`). Returns the parse error, or undefined.
 */
export function checkAlertTemplate(ruleName: string, text: string): TemplateError | undefined {
  try {
    parsed(ALERT_PREAMBLE + text, `__alert_${ruleName}`, 'zero');
    return undefined;
  } catch (err) {
    if (err instanceof TemplateError) return new TemplateError('parse', (err.cause as Error).message, { cause: err.cause });
    throw err;
  }
}
