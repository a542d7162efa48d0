import { readFile } from 'node:fs/promises';
import { AlertmanagerError } from '../errors.js';
import { writeFileAtomic } from './atomic-file.js';
import { decodeSnapshot, encodeDelimited, type RecordCodec } from './mesh-snapshot.js';
import type { StateStore } from './state-store.js';

/**
 * A {@link StateStore} kept in one snapshot file (upstream's `silences` / `nflog` files under
 * `--storage.path`). Every change rewrites the snapshot atomically; changes that arrive while a
 * write is running are written together right after it. Each record is encoded once, when it is
 * put, so a write costs the copy of the file, not the coding of every record. `onWrite` reports
 * each snapshot's size.
 */
export class FileStateStore<T> implements StateStore<T> {
  /** Each record's `Mesh*` message, by key. */
  private readonly encoded = new Map<string, Uint8Array>();
  private writing: Promise<void> | undefined;
  private dirty = false;
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(
    private readonly path: string,
    private readonly codec: RecordCodec<T>,
    private readonly onWrite: (bytes: number) => void = () => undefined,
  ) {}

  async load(): Promise<Map<string, T>> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new AlertmanagerError('state', `reading ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    const out = new Map<string, T>();
    try {
      for (const r of decodeSnapshot(this.codec, bytes)) out.set(this.codec.key(r), r);
    } catch (err) {
      throw new AlertmanagerError('state', `${this.path} is not a valid snapshot: ${(err as Error).message}`, { cause: err });
    }
    for (const [key, r] of out) this.encoded.set(key, this.codec.encode(r));
    return out;
  }

  put(record: T): Promise<void> {
    this.encoded.set(this.codec.key(record), this.codec.encode(record));
    return this.scheduleWrite();
  }

  delete(records: readonly T[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    for (const r of records) this.encoded.delete(this.codec.key(r));
    return this.scheduleWrite();
  }

  subscribe(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {
    while (this.writing !== undefined) await this.writing.catch(() => undefined);
  }

  private scheduleWrite(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.dirty = true;
    this.writing ??= this.writeLoop();
    return done;
  }

  private async writeLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const waiters = this.waiters;
      this.waiters = [];
      try {
        const bytes = encodeDelimited(this.encoded.values());
        await writeFileAtomic(this.path, bytes);
        this.onWrite(bytes.length);
        for (const w of waiters) w.resolve();
      } catch (err) {
        const failure = new AlertmanagerError('state', `writing ${this.path}: ${(err as Error).message}`, { cause: err });
        for (const w of waiters) w.reject(failure);
      }
    }
    this.writing = undefined;
  }
}

/** A {@link StateStore} that keeps nothing (no `--storage.path`, and tests). */
export class MemoryStateStore<T> implements StateStore<T> {
  load(): Promise<Map<string, T>> {
    return Promise.resolve(new Map());
  }
  put(): Promise<void> {
    return Promise.resolve();
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
  subscribe(): () => void {
    return () => undefined;
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
