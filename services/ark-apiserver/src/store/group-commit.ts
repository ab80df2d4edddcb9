import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { KubeObject } from "../kube-object.js";
import { AlreadyExistsError, InvalidKeyError, PreconditionFailedError } from "./errors.js";
import type { ChangeType } from "./schema.js";
import { isEventResource } from "../resources/events.js";

/** Serialises writes across every apiserver on the database, so rv order is commit order. */
const WRITE_LOCK = 7_240_001;
/** Mutations per transaction, and roughly the SQL text one may carry. */
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
  sqlChars: number;
  resolve: (committed: Committed) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes queue up while a transaction is in flight and the next transaction takes them
 * all. One round trip per transaction: BEGIN, the write lock, one conditional statement per mutation
 * (each takes its rv from the sequence, so rv order is statement order), one NOTIFY, COMMIT. A mutation
 * that finds its precondition broken writes nothing and the others go on; a statement that fails
 * outright fails the transaction, and its mutations are then tried one by one.
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
      const sqlChars = 2 * (before.length + after.length) + 1024;
      this.queue.push({ mutation, before, after, sqlChars, resolve, reject });
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
    while (n < this.queue.length && n < MAX_BATCH && (n === 0 || chars + this.queue[n]!.sqlChars <= MAX_BATCH_CHARS)) chars += this.queue[n++]!.sqlChars;
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
      // One bad statement spoils the transaction: give each mutation its own.
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

  /** Runs the batch; for each mutation its rv, or null where its precondition did not hold. */
  private async transaction(batch: Pending[]): Promise<(number | null)[]> {
    const single: number[] = [];
    const created: number[] = [];
    const deleted: number[] = [];
    batch.forEach((p, i) => (isNewEvent(p.mutation) ? created : isEventDelete(p.mutation) ? deleted : single).push(i));
    const statements = single.map((i) => statementFor(batch[i]!));
    // New Events (half the writes of a query), and Events deleted (TTL, cap), each share one set-based statement, placed
    // last: their rvs follow the others'.
    const sets = [
      { members: created, statement: eventsInsertFor },
      { members: deleted, statement: eventsDeleteFor },
    ].filter((set) => set.members.length > 0);
    for (const set of sets) statements.push(set.statement(set.members.map((i) => batch[i]!)));
    const sql = [
      "BEGIN",
      `SELECT pg_advisory_xact_lock(${WRITE_LOCK})`,
      ...statements,
      // The payload is the sequence's last value: with the write lock held, the highest rv this transaction took.
      // A process that has already handed out everything up to it (its own writes, see ChangeFeed.offerLocal) skips the read.
      "SELECT pg_notify('ark_changes', (SELECT last_value FROM changes_rv_seq)::text)",
      "COMMIT",
    ].join(";\n");
    const client = await this.pool.connect();
    try {
      const results = (await client.query(sql)) as unknown as pg.QueryResult<{ rv: string; n?: number }>[];
      const outcomes: (number | null)[] = batch.map(() => null);
      single.forEach((i, at) => {
        const row = results[2 + at]?.rows[0];
        if (row) outcomes[i] = Number(row.rv);
      });
      sets.forEach((set, at) => {
        for (const row of results[2 + single.length + at]!.rows) outcomes[set.members[row.n! - 1]!] = Number(row.rv);
      });
      return outcomes;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}

/** A SQL string literal; the same text as pg's escapeLiteral, with regular expressions instead of a loop per character. */
function lit(value: string | null | undefined): string {
  if (value === null || value === undefined) return "NULL";
  const quoted = value.replace(/'/g, "''");
  return quoted.includes("\\") ? ` E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/** One mutation as a statement returning the rv it took (no row when its precondition failed). */
function statementFor(p: Pending): string {
  const { mutation: m, before, after } = p;
  const { key, object } = m;
  const labels = lit(JSON.stringify(object.metadata.labels ?? {}));
  const ownerUids = (object.metadata.ownerReferences ?? []).map((o) => lit(o.uid));
  const owners = ownerUids.length > 0 ? `ARRAY[${ownerUids.join(",")}]::text[]` : "'{}'::text[]";
  const keyWhere = `api_group=${lit(key.group)} AND resource=${lit(key.resource)} AND namespace=${lit(key.namespace)} AND name=${lit(key.name)}`;
  const text = `${lit(before)} || '"' || r.rv || '"' || ${lit(after)}`;
  const expected = m.expectedResourceVersion === undefined ? "NULL" : String(Math.floor(m.expectedResourceVersion));
  let write: string;
  if (m.type === "ADDED") {
    write = `INSERT INTO objects (api_group, resource, namespace, name, uid, resource_version, labels, owner_uids, object)
      SELECT ${lit(key.group)}, ${lit(key.resource)}, ${lit(key.namespace)}, ${lit(key.name)}, ${lit(object.metadata.uid ?? "")}, r.rv, ${labels}::jsonb, ${owners}, ${text}
      FROM r ON CONFLICT DO NOTHING RETURNING resource_version AS rv, object`;
  } else if (m.type === "MODIFIED") {
    write = `UPDATE objects SET resource_version=r.rv, labels=${labels}::jsonb, owner_uids=${owners}, object=${text}
      FROM r WHERE ${keyWhere} AND resource_version=${expected} RETURNING r.rv, objects.object`;
  } else {
    write = `DELETE FROM objects USING r WHERE ${keyWhere} AND resource_version=${expected} RETURNING r.rv, ${text} AS object`;
  }
  // The previous state for the log is read in the statement (every CTE sees the row as it was), not sent.
  const prev = m.type === "ADDED" ? "NULL" : `(SELECT object FROM objects WHERE ${keyWhere} AND resource_version=${expected})`;
  return `WITH r AS (SELECT nextval('changes_rv_seq') AS rv), o AS (${write}),
    c AS (INSERT INTO changes (rv, type, api_group, resource, namespace, name, labels, object, prev_object)
      SELECT o.rv, '${m.type}', ${lit(key.group)}, ${lit(key.resource)}, ${lit(key.namespace)}, ${lit(key.name)}, ${labels}::jsonb, o.object, ${prev} FROM o RETURNING rv)
    SELECT rv::text AS rv FROM c`;
}

/** A create of an Event with no owners: the Event recorders' writes, which eventsInsertFor takes many at a time. */
function isNewEvent(m: Mutation): boolean {
  return m.type === "ADDED" && isEventResource(m.key.group, m.key.resource) && (m.object.metadata.ownerReferences ?? []).length === 0;
}

/** A delete of an Event from the resourceVersion it was read at: the TTL sweep's and the Events cap's, many at a time. */
function isEventDelete(m: Mutation): boolean {
  return m.type === "DELETED" && isEventResource(m.key.group, m.key.resource) && m.expectedResourceVersion !== undefined;
}

/**
 * Deletes of Events as one statement, each conditional on its expected resourceVersion (a row changed or gone since
 * deletes nothing and returns no row); the change log gets the final state with the delete's rv and the stored one before.
 */
function eventsDeleteFor(batch: Pending[]): string {
  const rows = batch.map(({ mutation: { key, expectedResourceVersion }, before, after }, i) =>
    [String(i + 1), lit(key.group), lit(key.resource), lit(key.namespace), lit(key.name), String(Math.floor(expectedResourceVersion!)), lit(before), lit(after)].join(", "),
  );
  return `WITH i (n, api_group, resource, namespace, name, expected, before, after) AS (VALUES (${rows.join("), (")})),
    r AS (SELECT i.*, nextval('changes_rv_seq') AS rv FROM (SELECT * FROM i ORDER BY n) i),
    o AS (DELETE FROM objects USING r
      WHERE objects.api_group = r.api_group AND objects.resource = r.resource AND objects.namespace = r.namespace AND objects.name = r.name
        AND objects.resource_version = r.expected
      RETURNING r.n, r.rv, r.api_group, r.resource, r.namespace, r.name, objects.labels, r.before || '"' || r.rv || '"' || r.after AS object, objects.object AS prev_object),
    c AS (INSERT INTO changes (rv, type, api_group, resource, namespace, name, labels, object, prev_object)
      SELECT rv, 'DELETED', api_group, resource, namespace, name, labels, object, prev_object FROM o ORDER BY rv RETURNING rv)
    SELECT o.n, c.rv::text AS rv FROM c JOIN o ON o.rv = c.rv`;
}

/**
 * Creates of Events as one statement: each row takes its rv in batch order, a key that exists already (or twice in the
 * batch) inserts nothing and returns no row. Returns (n, rv) for the batch's n-th (from 1) mutation stored.
 */
function eventsInsertFor(batch: Pending[]): string {
  const rows = batch.map(({ mutation: { key, object }, before, after }, i) =>
    [String(i + 1), lit(key.group), lit(key.resource), lit(key.namespace), lit(key.name), lit(object.metadata.uid ?? ""), lit(JSON.stringify(object.metadata.labels ?? {})), lit(before), lit(after)].join(", "),
  );
  return `WITH i (n, api_group, resource, namespace, name, uid, labels, before, after) AS (VALUES (${rows.join("), (")})),
    r AS (SELECT i.*, nextval('changes_rv_seq') AS rv FROM (SELECT * FROM i ORDER BY n) i),
    o AS (INSERT INTO objects (api_group, resource, namespace, name, uid, resource_version, labels, owner_uids, object)
      SELECT api_group, resource, namespace, name, uid, rv, labels::jsonb, '{}'::text[], before || '"' || rv || '"' || after FROM r ORDER BY rv
      ON CONFLICT DO NOTHING RETURNING resource_version AS rv, api_group, resource, namespace, name, labels, object),
    c AS (INSERT INTO changes (rv, type, api_group, resource, namespace, name, labels, object, prev_object)
      SELECT rv, 'ADDED', api_group, resource, namespace, name, labels, object, NULL FROM o RETURNING rv)
    SELECT r.n, c.rv::text AS rv FROM c JOIN r ON r.rv = c.rv`;
}
