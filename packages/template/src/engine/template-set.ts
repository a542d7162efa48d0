import { goQuote } from '@pyrometer/model';
import { TemplateError } from '../errors.js';
import { BUILTINS } from './builtins.js';
import { ExecState, type ExecContext, type MissingKey, type OutputSink } from './exec-state.js';
import { checkFunctionName, normalizeFunction, type FuncMap, type TemplateFunction } from './functions.js';
import { isEmptyTree } from './nodes.js';
import { TextSink } from './output.js';
import { parseTemplates, type ParsedTree } from './parser.js';
import { walk } from './walk.js';

/** Options of a {@link TemplateSet}; see Go's `Template.Funcs`, `Option` and `Delims`. */
export interface TemplateSetOptions {
  /** The set's name, used in `no template … associated with template …` errors. Default `""`. */
  readonly name?: string;
  /** Functions besides the builtins; they take precedence over builtins of the same name. */
  readonly funcs?: FuncMap;
  /** `missingkey`: `default`/`invalid` (a missing map key prints `<no value>`), `zero`, or `error`. */
  readonly missingKey?: MissingKey;
  /** Action delimiters; empty strings mean the default `{{` and `}}`. */
  readonly delimiters?: readonly [string, string];
}

/** Options of one execution. */
export interface ExecuteOptions {
  /**
   * Implementations that replace the set's functions of the same names for this execution only,
   * e.g. functions bound to the evaluation time of one alert. Names must already be known at
   * parse time.
   */
  readonly funcs?: FuncMap;
}

/**
 * A set of named templates sharing functions and options, as Go's `*template.Template` and its
 * associated templates. `parse` adds the templates a text defines; `execute` runs one by name and
 * resolves to its output. Execution is asynchronous because functions may return Promises (the
 * Prometheus `query` function runs a PromQL query). A set may be executed concurrently: every
 * execution has its own state; `parse` must not run during an execution.
 */
export class TemplateSet implements ExecContext {
  readonly name: string;
  readonly missingKey: MissingKey;
  private readonly delimiters: readonly [string, string];
  private readonly funcs = new Map<string, TemplateFunction>();
  private readonly templates = new Map<string, ParsedTree>();

  constructor(
    options: TemplateSetOptions = {},
    private readonly parent?: TemplateSet,
  ) {
    this.name = options.name ?? '';
    this.missingKey = options.missingKey ?? parent?.missingKey ?? 'default';
    this.delimiters = options.delimiters ?? parent?.delimiters ?? ['', ''];
    if (options.funcs !== undefined) this.addFuncs(options.funcs);
  }

  /** Adds (or replaces) functions; affects texts parsed afterwards, as in Go. */
  addFuncs(funcs: FuncMap): this {
    for (const [name, f] of Object.entries(funcs)) {
      checkFunctionName(name);
      this.funcs.set(name, normalizeFunction(name, f));
    }
    return this;
  }

  /**
   * Parses `text` as the template `name` plus everything it defines, and adds them to the set.
   * A later non-empty definition replaces an earlier one; an empty one (only white space and
   * comments, like a file that merely defines templates) never replaces a template. Throws
   * {@link TemplateError} `parse`; the set is unchanged then.
   */
  parse(name: string, text: string): this {
    const trees = parseTemplates(name, text, {
      leftDelim: this.delimiters[0],
      rightDelim: this.delimiters[1],
      hasFunction: (fn) => this.lookupFunction(fn) !== undefined,
    });
    for (const [treeName, tree] of trees) {
      const old = this.lookupTemplate(treeName);
      if (old !== undefined && isEmptyTree(tree.root)) continue;
      this.templates.set(treeName, tree);
    }
    return this;
  }

  lookupTemplate(name: string): ParsedTree | undefined {
    return this.templates.get(name) ?? this.parent?.lookupTemplate(name);
  }

  lookupFunction(name: string): { fn: TemplateFunction; builtin: boolean } | undefined {
    const own = this.funcs.get(name);
    if (own !== undefined) return { fn: own, builtin: false };
    if (this.parent !== undefined) return this.parent.lookupFunction(name);
    const builtin = BUILTINS[name];
    return builtin === undefined ? undefined : { fn: builtin, builtin: true };
  }

  /** The names of all templates in the set (sorted). */
  templateNames(): string[] {
    const names = new Set(this.parent?.templateNames() ?? []);
    for (const name of this.templates.keys()) names.add(name);
    return [...names].sort();
  }

  /**
   * Executes the template `name` with `data` as dot and resolves to its output. Rejects with
   * {@link TemplateError} `not_defined` for an unknown name and `exec` when execution fails.
   */
  async execute(name: string, data: unknown, options: ExecuteOptions = {}): Promise<string> {
    const sink = new TextSink();
    await this.executeTo(name, data, sink, options);
    return sink.result();
  }

  /** Executes into a caller-supplied sink (the HTML escaper uses this). */
  async executeTo(name: string, data: unknown, sink: OutputSink, options: ExecuteOptions = {}): Promise<void> {
    const tree = this.lookupTemplate(name);
    if (tree === undefined) throw new TemplateError('not_defined', `template: no template ${goQuote(name)} associated with template ${goQuote(this.name)}`);
    await walk(new ExecState(this.withOverrides(options.funcs), name, sink, 0, data), data, tree.root);
  }

  private withOverrides(funcs: FuncMap | undefined): ExecContext {
    if (funcs === undefined) return this;
    const overrides = new Map(Object.entries(funcs).map(([name, f]) => [name, normalizeFunction(name, f)]));
    return {
      missingKey: this.missingKey,
      lookupTemplate: (name) => this.lookupTemplate(name),
      lookupFunction: (name) => {
        const fn = overrides.get(name);
        return fn === undefined ? this.lookupFunction(name) : { fn, builtin: false };
      },
    };
  }

  /**
   * A set that sees this set's templates and functions and adds its own on top, leaving this set
   * untouched: what Go gets from `Clone()` followed by `Parse`, without copying.
   */
  overlay(options: Omit<TemplateSetOptions, 'delimiters'> = {}): TemplateSet {
    return new TemplateSet({ name: this.name, ...options }, this);
  }
}
