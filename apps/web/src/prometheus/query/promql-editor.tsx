import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, insertNewlineAndIndent } from '@codemirror/commands';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, highlightSpecialChars, keymap, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { useEffect, useRef } from 'react';
import { basePath } from '../../shell/base-path.js';

// Token colours from CSS variables, so the editor follows the light and dark themes.
const promqlHighlight = HighlightStyle.define([
  { tag: tags.number, color: 'var(--cm-number)' },
  { tag: tags.string, color: 'var(--cm-string)' },
  { tag: tags.keyword, color: 'var(--cm-keyword)', fontWeight: 'bold' },
  { tag: tags.function(tags.variableName), color: 'var(--cm-function)' },
  { tag: tags.labelName, color: 'var(--cm-label)' },
  { tag: tags.operator, color: 'var(--cm-operator)' },
  { tag: tags.modifier, color: 'var(--cm-keyword)', fontWeight: 'bold' },
  { tag: tags.paren, color: 'var(--cm-paren)' },
  { tag: tags.squareBracket, color: 'var(--cm-paren)' },
  { tag: tags.brace, color: 'var(--cm-paren)' },
  { tag: tags.invalid, color: 'var(--bad)' },
  { tag: tags.comment, color: 'var(--muted)', fontStyle: 'italic' },
]);

/** One PromQL extension per page: its completion client caches metric names and label values from the server. */
let sharedPromQL: PromQLExtension | undefined;
function promQL(): PromQLExtension {
  sharedPromQL ??= new PromQLExtension().setComplete({ remote: { url: basePath(), httpMethod: 'GET', cache: { maxAge: 300_000 } } }).activateLinter(true);
  return sharedPromQL;
}

/**
 * The PromQL editor: highlighting, completion of functions, metric names, label names and values
 * from the server (the official codemirror-promql extension), inline syntax errors, bracket
 * matching and history. Enter executes, Shift+Enter adds a line. `value` is applied when it
 * changes from outside (history, format).
 */
export function PromqlEditor({ value, onChange, onExecute }: { value: string; onChange: (expr: string) => void; onExecute: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const callbacks = useRef({ onChange, onExecute });
  callbacks.current = { onChange, onExecute };

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          highlightSpecialChars(),
          history(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ activateOnTyping: true, maxRenderedOptions: 200 }),
          syntaxHighlighting(promqlHighlight),
          placeholder('Enter expression (press Shift+Enter for newlines)'),
          EditorView.lineWrapping,
          promQL().asExtension(),
          Prec.highest(
            keymap.of([
              { key: 'Enter', run: () => (callbacks.current.onExecute(), true) },
              { key: 'Shift-Enter', run: insertNewlineAndIndent },
            ]),
          ),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap]),
          EditorView.updateListener.of((u) => u.docChanged && callbacks.current.onChange(u.state.doc.toString())),
          EditorView.contentAttributes.of({ 'aria-label': 'Expression (PromQL)', 'data-testid': 'promql-editor' }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // Created once: later values arrive through the effect below.
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor !== undefined && editor.state.doc.toString() !== value) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  return <div className="promql-editor" ref={host} />;
}
