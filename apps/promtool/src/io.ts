/**
 * Where a promtool command reads and writes. The binary passes the process's streams; tests pass
 * buffers, so every command can run in-process and its output be compared.
 */
export interface PromtoolIO {
  /** Writes to standard output (upstream prints results and SUCCESS lines there). */
  out(text: string): void;
  /** Writes to standard error (upstream prints FAILED blocks and problems there). */
  err(text: string): void;
  /** Reads all of standard input (check metrics, check rules without files). */
  readStdin(): Promise<Buffer>;
}

/** The process's stdout, stderr and stdin. */
export function processIO(): PromtoolIO {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

/** An IO that keeps what is written (for tests and for callers that want the text). */
export function bufferIO(stdin: string | Buffer = ''): PromtoolIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    readStdin: () => Promise.resolve(Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin)),
    stdout: () => out,
    stderr: () => err,
  };
}
