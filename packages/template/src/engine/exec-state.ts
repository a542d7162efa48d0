import { goQuote } from '@pyrometer/model';
import { TemplateError } from '../errors.js';
import type { TemplateFunction } from './functions.js';
import { nodeLocation, nodeString, type AnyNode } from './nodes.js';
import type { ParsedTree } from './parser.js';

/** Go's `missingkey` option: what reading an absent map key yields. */
export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

/** What execution needs from the template set it runs in. */
export interface ExecContext {
  lookupTemplate(name: string): ParsedTree | undefined;
  lookupFunction(name: string): { readonly fn: TemplateFunction; readonly builtin: boolean } | undefined;
  readonly missingKey: MissingKey;
}

/**
 * Where executed output goes: template text as written, and the values actions print (never a
 * function: execution rejects those first). The text sink prints values as Go's `fmt.Print`; the
 * HTML sink escapes them for the context they land in.
 */
export interface OutputSink {
  writeText(text: string): void;
  writeValue(value: unknown, hints?: PrintHints): void;
}

/** What an escaping sink needs to know about how a printed value was produced. */
export interface PrintHints {
  /** The action's pipeline ended in Go's `html` or `urlquery` escaper (html/template merges those). */
  readonly escapedBy?: 'html' | 'urlquery';
}

/** The maximum nesting of `{{template}}` calls, which stops runaway recursion. */
export const MAX_EXEC_DEPTH = 10000;

/** The state of one execution: the current template, node (for errors) and variable stack. */
export class ExecState {
  node: AnyNode | undefined;
  private vars: { name: string; value: unknown }[];

  constructor(
    readonly ctx: ExecContext,
    readonly templateName: string,
    readonly sink: OutputSink,
    readonly depth: number,
    dot: unknown,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  /** A state for a `{{template}}` call: no variables but `$`, one level deeper. */
  enter(templateName: string, dot: unknown): ExecState {
    return new ExecState(this.ctx, templateName, this.sink, this.depth + 1, dot);
  }

  at(node: AnyNode): void {
    this.node = node;
  }

  /** Fails execution with Go's message shape: `template: NAME:L:C: executing "NAME" at <…>: message`. */
  errorf(message: string, cause?: unknown): never {
    const text =
      this.node === undefined
        ? `template: ${this.templateName}: ${message}`
        : `template: ${nodeLocation(this.node)}: executing ${goQuote(this.templateName)} at <${nodeString(this.node)}>: ${message}`;
    throw new TemplateError('exec', text, cause === undefined ? undefined : { cause });
  }

  mark(): number {
    return this.vars.length;
  }

  pop(mark: number): void {
    this.vars.length = mark;
  }

  push(name: string, value: unknown): void {
    this.vars.push({ name, value });
  }

  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  /** Overwrites the n-th variable from the top (range iterations). */
  setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    return this.errorf(`undefined variable: ${name}`);
  }
}
