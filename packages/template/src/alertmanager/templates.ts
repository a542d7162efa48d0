import type { FuncMap } from '../engine/functions.js';
import { TemplateSet } from '../engine/template-set.js';
import { HtmlSink } from '../html/sink.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { alertmanagerFunctions, type AlertmanagerFunctionOptions } from './functions.js';

/** Options of {@link NotificationTemplates}. */
export interface NotificationTemplatesOptions extends AlertmanagerFunctionOptions {
  /**
   * Extra functions. Alertmanager's own functions take precedence over these, as upstream adds
   * its defaults after the options.
   */
  readonly funcs?: FuncMap;
  /** Load the built-in templates (`__subject`, `slack.default.title`, `email.default.html`, …). Default true. */
  readonly builtins?: boolean;
}

/**
 * Alertmanager's notification templates (upstream's `template.Template`): one set of named
 * templates, executed either as text or with html/template's contextual escaping (e-mail bodies).
 * Built-in templates load first; `parse` adds the user's files in order (the Node entry point's
 * `loadNotificationTemplates` reads `templates:` globs). `executeText` / `executeHtml` run a
 * one-off template text (a receiver field such as `title: '{{ template "slack.default.title" . }}'`)
 * against the set without changing it.
 */
export class NotificationTemplates {
  private readonly set: TemplateSet;

  constructor(options: NotificationTemplatesOptions = {}) {
    this.set = new TemplateSet({ funcs: { ...options.funcs, ...alertmanagerFunctions(options) }, missingKey: 'zero' });
    if (options.builtins !== false) this.set.parse('default.tmpl', DEFAULT_TEMPLATES);
  }

  /** Adds the templates of one file, named by its base name. Throws `TemplateError` `parse`. */
  parse(fileName: string, text: string): this {
    this.set.parse(fileName, text);
    return this;
  }

  /** The names of all templates (sorted). */
  templateNames(): string[] {
    return this.set.templateNames();
  }

  /** Runs `text` as a text template on `data`; an empty text gives an empty result. */
  async executeText(text: string, data: unknown): Promise<string> {
    if (text === '') return '';
    return this.set.overlay().parse('', text).execute('', data);
  }

  /** Runs `text` as an HTML template on `data`, escaping printed values by context. */
  async executeHtml(text: string, data: unknown): Promise<string> {
    if (text === '') return '';
    const sink = new HtmlSink();
    await this.set.overlay().parse('', text).executeTo('', data, sink);
    return sink.result();
  }
}
