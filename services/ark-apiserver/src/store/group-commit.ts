import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { KubeObject } from "../kube-object.js";
import { AlreadyExistsError, InvalidKeyError, PreconditionFailedError } from "./errors.js";
import type { ChangeType } from "./schema.js";

/** A batch's writes: the function takes the write lock (7240001) that serialises writes across every apiserver on the database, so rv order is commit order. */
const WRITE_BATCH = { name: "ark_write_batch", text: "SELECT n, rv FROM ark_write_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)" };
/** Mutations per transaction, and roughly the text one may carry. */
const MAX_BATCH = 128;
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

export interface Mutation {
  type: ChangeType;
  key: { group: string; resource: string; namespace: string; name: string };
  /** The object to store (ADDED/MODIFIED) or the final state to announce (DELETED). */
  object: KubeObject;
  /** Required for MODIFIED/DELETED: the resourceVersion the caller read. */
  expectedResourceVersion?: number;
  /** The text of the object before this change. */
  previousText?: string;
}

export interface Committed {
  object: KubeObject;
  text: string;
  resourceVersion: number;
}

interface Pending {
  mutation: Mutation;
  /** The object's JSON with the resourceVersion left to the database: text = before + "rv" + after. */
  before: string;
  after: string;
  chars: number;
  resolve: (committed: Committed) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes queue up while a transaction is in flight and the next transaction takes them
 * all. One round trip per transaction, one call: the write lock, each mutation in order (each takes its rv
 * from the sequence, so rv order is call order), one NOTIFY. A mutation that finds its precondition broken
 * writes nothing and the others go on; a mutation the database refuses outright fails the call, and the
 * batch's mutations are then tried one by one.
 */
export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private writing = false;
  /** A flush is due at the end of this turn's microtasks: the writes they start meet in one transaction. */
  private flushDue = false;
  /** Stands in for the resourceVersion in the serialised object; never appears in real data. */
  private readonly placeholder = `ark-rv-${randomUUID()}`;

  constructor(private readonly pool: pg.Pool) {}

  commit(mutation: Mutation): Promise<Committed> {
    return new Promise((resolve, reject) => {
      const { key } = mutation;
      // Postgres text cannot hold NUL; names and labels are refused before they get here, this is the last line.
      for (const [field, value] of [
        ["metadata.namespace", key.namespace],
        ["metadata.name", key.name],
        ["metadata.uid", mutation.object.metadata.uid ?? ""],
        ...(mutation.object.metadata.ownerReferences ?? []).map((o, i) => [`metadata.ownerReferences[${i}].uid`, String(o.uid)] as const),
      ] as const) {
        if (value.includes("\0")) throw new InvalidKeyError(`${field}: Invalid value: must not contain NUL characters`);
      }
      const marked = { ...mutation.object, metadata: { ...mutation.object.metadata, resourceVersion: this.placeholder } };
      const parts = JSON.stringify(marked).split(`"${this.placeholder}"`);
      if (parts.length !== 2) throw new Error("object text holds the resourceVersion placeholder more than once");
      const [before, after] = parts as [string, string];
      const chars = before.length + after.length + 1024;
      this.queue.push({ mutation, before, after, chars, resolve, reject });
      if (!this.flushDue) {
        this.flushDue = true;
        // After the microtasks now running (process.nextTick runs once they are done): creates started together — a
        // List of Events, a burst of requests answered in one turn — go out in one transaction, not the first alone.
        process.nextTick(() => {
          this.flushDue = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    let chars = 0;
    let n = 0;
    while (n < this.queue.length && n < MAX_BATCH && (n === 0 || chars + this.queue[n]!.chars <= MAX_BATCH_CHARS)) chars += this.queue[n++]!.chars;
    const batch = this.queue.splice(0, n);
    void this.write(batch).finally(() => {
      this.writing = false;
      this.flush();
    });
  }

  private async write(batch: Pending[]): Promise<void> {
    let outcomes: (number | null)[];
    try {
      outcomes = await this.transaction(batch);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One refused mutation fails the whole call: give each mutation its own.
      for (const one of batch) await this.write([one]);
      return;
    }
    // In rv order, so the change feed can hand this process's writes out without reading them back (ChangeFeed.offerLocal).
    const order = batch.map((_p, i) => i).sort((a, b) => (outcomes[a] ?? 0) - (outcomes[b] ?? 0));
    for (const i of order) {
      const p = batch[i]!;
      const rv = outcomes[i];
      const { mutation } = p;
      if (rv === null || rv === undefined) {
        const { key } = mutation;
        if (mutation.type === "ADDED") p.reject(new AlreadyExistsError(`${key.resource} ${key.namespace}/${key.name} exists`));
        else p.reject(new PreconditionFailedError(`${key.resource} ${key.namespace}/${key.name} changed`));
        continue;
      }
      const object = { ...mutation.object, metadata: { ...mutation.object.metadata, resourceVersion: String(rv) } };
      p.resolve({ object, text: `${p.before}"${rv}"${p.after}`, resourceVersion: rv });
    }
  }

  /**
   * Runs the batch as one call of `ark_write_batch` (drizzle/0002_write_batch.sql): one round trip, one transaction, and
   * no SQL text to parse or plan per write (the function's statements keep their plans per connection, the call is a
   * prepared statement). For each mutation its rv, or null where its precondition did not hold.
   */
  private async transaction(batch: Pending[]): Promise<(number | null)[]> {
    // The objects' texts as UTF-8 bytes one after the other, with their lengths: sent as they are, where a text[] would
    // escape every quote of the JSON (and PostgreSQL unescape it).
    const lengths = batch.flatMap((p) => [Buffer.byteLength(p.before), Buffer.byteLength(p.after)]);
    const texts = Buffer.allocUnsafe(lengths.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const p of batch) {
      at += texts.write(p.before, at);
      at += texts.write(p.after, at);
    }
    const values = [
      batch.map((p) => p.mutation.type),
      batch.map((p) => p.mutation.key.group),
      batch.map((p) => p.mutation.key.resource),
      batch.map((p) => p.mutation.key.namespace),
      batch.map((p) => p.mutation.key.name),
      batch.map((p) => p.mutation.object.metadata.uid ?? ""),
      batch.map((p) => JSON.stringify(p.mutation.object.metadata.labels ?? {})),
      batch.map((p) => ownerUidsOf(p.mutation.object)),
      texts,
      lengths,
      batch.map((p) => (p.mutation.expectedResourceVersion === undefined ? null : Math.floor(p.mutation.expectedResourceVersion))),
    ];
    const { rows } = await this.pool.query<{ n: number; rv: string }>({ name: WRITE_BATCH.name, text: WRITE_BATCH.text, values });
    const outcomes: (number | null)[] = batch.map(() => null);
    for (const row of rows) outcomes[row.n - 1] = Number(row.rv);
    return outcomes;
  }
}

/** The owners' uids as a JSON array, or null for none (most objects). */
function ownerUidsOf(object: KubeObject): string | null {
  const owners = object.metadata.ownerReferences ?? [];
  return owners.length === 0 ? null : JSON.stringify(owners.map((o) => String(o.uid)));
}
