/**
 * JUnit XML results of `test rules --junit` (upstream's `util/junitxml`): one suite per test file,
 * one case per test group run, its failures, or an error when the file could not be run at all.
 */
export class JUnitReport {
  private readonly suites: Suite[] = [];

  /** Starts the suite of a test file; later calls record into it. */
  suite(name: string, timestamp: string): Suite {
    const suite = new Suite(name, timestamp);
    this.suites.push(suite);
    return suite;
  }

  /** The document as Go's `encoding/xml` writes it: no declaration, no indentation. */
  toXML(): string {
    return `<testsuites>${this.suites.map((s) => s.toXML()).join('')}</testsuites>`;
  }
}

interface Case {
  readonly name: string;
  readonly failures: string[];
  error: string;
}

/** One test file's results. */
export class Suite {
  private readonly cases: Case[] = [];
  private failureCount = 0;
  private errorCount = 0;

  constructor(
    readonly name: string,
    private readonly timestamp: string,
  ) {}

  /** Starts a case (a test group). */
  case(name: string): void {
    this.cases.push({ name, failures: [], error: '' });
  }

  /** Records a failure of the current case. */
  fail(message: string): void {
    this.failureCount++;
    this.current().failures.push(message);
  }

  /** Records that the file could not be run. */
  abort(message: string): void {
    this.errorCount++;
    this.current().error = message;
  }

  toXML(): string {
    const attrs = `name="${escape(this.name)}" tests="${this.cases.length}" failures="${this.failureCount}" errors="${this.errorCount}" skipped="0" timestamp="${escape(this.timestamp)}"`;
    const cases = this.cases.map((c) => `<testcase name="${escape(c.name)}">${c.failures.map((f) => `<failure>${escape(f)}</failure>`).join('')}${c.error !== '' ? `<error>${escape(c.error)}</error>` : ''}</testcase>`);
    return `<testsuite ${attrs}>${cases.join('')}</testsuite>`;
  }

  private current(): Case {
    if (this.cases.length === 0) this.case('unknown');
    return this.cases.at(-1)!;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

/** Go's `xml.EscapeText`. */
function escape(text: string): string {
  return text.replace(/["'&<>\t\n\r]/g, (c) => ESCAPES[c]!);
}
