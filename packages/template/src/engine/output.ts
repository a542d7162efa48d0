import { sprint } from '../fmt/print.js';
import type { OutputSink } from './exec-state.js';

/** Collects output as text: values print as Go's `fmt.Print` does, a missing value as `<no value>`. */
export class TextSink implements OutputSink {
  private readonly parts: string[] = [];

  writeText(text: string): void {
    this.parts.push(text);
  }

  writeValue(value: unknown): void {
    this.parts.push(printedValue(value));
  }

  result(): string {
    return this.parts.join('');
  }
}

/** How an action prints a value in text mode. */
export function printedValue(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  if (typeof value === 'string') return value;
  return sprint([value]);
}
