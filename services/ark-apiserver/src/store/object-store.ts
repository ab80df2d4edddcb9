import type pg from "pg";
import type { KubeObject, ObjectKey } from "../kube-object.js";
import { matchesLabels, type LabelRequirement } from "../selectors/label-selector.js";
import { GroupCommitter, type Committed, type Mutation } from "./group-commit.js";
import { WhereClause } from "./where-clause.js";

export interface StoredObject {
  object: KubeObject;
  text: string;
  resourceVersion: number;
}

export interface KeyedObject extends StoredObject {
  key: ObjectKey;
}

interface KeyedRow {
  api_group: string;
  resource: string;
  namespace: string;
  name: string;
  object: string;
  resource_version: string;
}

export interface ListQuery {
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  excludeName?: string;
  excludeNamespace?: string;
  labels?: LabelRequirement[];
  /** Resume after this key (exclusive), for `continue`. */
  after?: { namespace: string; name: string };
  limit?: number;
}

export interface ListResult {
  /** The global resourceVersion of the snapshot the list was read at. */
  resourceVersion: number;
  items: { namespace: string; name: string; text: string; bytes?: Buffer }[];
  /** More objects match after the last item. */
  more: boolean;
}

export type { Committed, Mutation } from "./group-commit.js";

export class ObjectStore {
  private readonly writer: GroupCommitter;

  constructor(
    private readonly pool: pg.Pool,
    /** Told of every successful commit of this process (the object cache's own-writes overlay). */
    private readonly onCommitted?: (mutation: Mutation, committed: Committed) => void,
  ) {
    this.writer = new GroupCommitter(pool);
  }

  async get(key: ObjectKey): Promise<StoredObject | undefined> {
    // No stored key holds NUL (Postgres text cannot), and a query with one would fail.
    if (hasNul(key.namespace) || hasNul(key.name)) return undefined;
    const { rows } = await this.pool.query<{ object: string; resource_version: string }>({
      name: "object-get",
      text: "SELECT object, resource_version FROM objects WHERE api_group=$1 AND resource=$2 AND namespace=$3 AND name=$4",
      values: [key.group, key.resource, key.namespace, key.name],
    });
    const row = rows[0];
    if (!row) return undefined;
    return { object: JSON.parse(row.object) as KubeObject, text: row.object, resourceVersion: Number(row.resource_version) };
  }

  /**
   * A consistent list: at the current resourceVersion, or (for `continue` pages) at `atResourceVersion`,
   * reconstructed from current rows unchanged since then plus the pre-change states in the change log.
   */
  async list(query: ListQuery, atResourceVersion?: number): Promise<ListResult> {
    if ([query.namespace, query.name, query.after?.namespace, query.after?.name].some(hasNul)) {
      return { resourceVersion: atResourceVersion ?? 0, items: [], more: false };
    }
    const limit = query.limit && query.limit > 0 ? Math.floor(query.limit) : undefined;
    const current = whereFor(query, true);
    if (atResourceVersion !== undefined) current.add(`resource_version <= ${current.param(atResourceVersion)}`);
    const client = await this.pool.connect();
    try {
      // One snapshot for the rows and the resourceVersion they are current at.
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const rv = await client.query<[string]>({ text: "SELECT coalesce(max(rv), 0)::text FROM changes", rowMode: "array" });
      const rows = await client.query<[string, string, string]>({
        text: `SELECT namespace, name, object FROM objects ${current} ORDER BY namespace, name${limit ? ` LIMIT ${limit + 1}` : ""}`,
        values: current.values,
        rowMode: "array",
      });
      let items = rows.rows.map(([namespace, name, text]) => ({ namespace, name, text }));
      if (atResourceVersion !== undefined) {
        items = mergeByKey(items, await this.statesBefore(client, query, atResourceVersion));
      }
      await client.query("COMMIT");
      const more = limit !== undefined && items.length > limit;
      if (more) items = items.slice(0, limit);
      return { resourceVersion: atResourceVersion ?? Number(rv.rows[0]![0]), items, more };
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** For keys changed after `rv`: their state at `rv` (the object before their first later change). */
  private async statesBefore(client: pg.PoolClient, query: ListQuery, rv: number): Promise<ListResult["items"]> {
    const where = whereFor(query, false);
    where.add(`rv > ${where.param(rv)}`);
    const { rows } = await client.query<[string, string, string, string | null]>({
      text: `SELECT DISTINCT ON (namespace, name) namespace, name, type, prev_object FROM changes ${where} ORDER BY namespace, name, rv`,
      values: where.values,
      rowMode: "array",
    });
    const states: ListResult["items"] = [];
    for (const [namespace, name, type, prev] of rows) {
      if (type === "ADDED" || prev === null) continue;
      if (query.labels?.length && !matchesLabels(query.labels, (JSON.parse(prev) as KubeObject).metadata.labels)) continue;
      states.push({ namespace, name, text: prev });
    }
    return states;
  }

  /** Objects whose every owner (by uid) is gone; background garbage collection deletes them. */
  async orphanedDependents(limit = 500): Promise<KeyedObject[]> {
    return this.keyedQuery(
      `SELECT o.api_group, o.resource, o.namespace, o.name, o.object, o.resource_version FROM objects o
       WHERE cardinality(o.owner_uids) > 0
         AND NOT EXISTS (SELECT 1 FROM objects p WHERE p.uid = ANY(o.owner_uids))
       LIMIT ${Math.floor(limit)}`,
      [],
    );
  }

  /** Dependents of any of `uids` whose every owner is gone. */
  async orphanedDependentsOf(uids: string[]): Promise<KeyedObject[]> {
    return this.keyedQuery(
      `SELECT o.api_group, o.resource, o.namespace, o.name, o.object, o.resource_version FROM objects o
       WHERE o.owner_uids && $1::text[]
         AND NOT EXISTS (SELECT 1 FROM objects p WHERE p.uid = ANY(o.owner_uids))`,
      [uids],
    );
  }

  /** Objects that list `uid` among their owners. */
  async dependentsOf(uid: string): Promise<KeyedObject[]> {
    return this.keyedQuery("SELECT api_group, resource, namespace, name, object, resource_version FROM objects WHERE owner_uids @> ARRAY[$1]::text[]", [uid]);
  }

  /** Objects being deleted in the foreground (their finalizers hold foregroundDeletion). */
  async foregroundDeleting(limit = 500): Promise<KeyedObject[]> {
    return this.keyedQuery(
      `SELECT api_group, resource, namespace, name, object, resource_version FROM objects
       WHERE object LIKE '%"foregroundDeletion"%' LIMIT ${Math.floor(limit)}`,
      [],
    );
  }

  /** Every object in a namespace, any resource (namespace deletion). */
  async objectsInNamespace(namespace: string, limit = 500): Promise<KeyedObject[]> {
    return this.keyedQuery(`SELECT api_group, resource, namespace, name, object, resource_version FROM objects WHERE namespace = $1 ORDER BY api_group, resource, name LIMIT ${Math.floor(limit)}`, [namespace]);
  }

  private async keyedQuery(text: string, values: unknown[]): Promise<KeyedObject[]> {
    const { rows } = await this.pool.query<KeyedRow>(text, values);
    return rows.map((r) => ({
      key: { group: r.api_group, resource: r.resource, namespace: r.namespace, name: r.name },
      object: JSON.parse(r.object) as KubeObject,
      text: r.object,
      resourceVersion: Number(r.resource_version),
    }));
  }

  /**
   * Applies one change; the object gets the new resourceVersion. Returns it as stored. Concurrent
   * commits share a transaction (group commit). Throws AlreadyExistsError / PreconditionFailedError.
   */
  async commit(mutation: Mutation): Promise<Committed> {
    const committed = await this.writer.commit(mutation);
    this.onCommitted?.(mutation, committed);
    return committed;
  }
}

function hasNul(value: string | undefined): boolean {
  return value !== undefined && value.includes("\0");
}

function whereFor(query: ListQuery, withLabels: boolean): WhereClause {
  const where = new WhereClause();
  where.add(`api_group = ${where.param(query.group)}`).add(`resource = ${where.param(query.resource)}`);
  if (query.namespace !== undefined) where.add(`namespace = ${where.param(query.namespace)}`);
  if (query.name !== undefined) where.add(`name = ${where.param(query.name)}`);
  if (query.excludeName !== undefined) where.add(`name <> ${where.param(query.excludeName)}`);
  if (query.excludeNamespace !== undefined) where.add(`namespace <> ${where.param(query.excludeNamespace)}`);
  if (withLabels && query.labels) where.labels(query.labels);
  if (query.after) where.add(`(namespace, name) > (${where.param(query.after.namespace)}, ${where.param(query.after.name)})`);
  return where;
}

function mergeByKey<T extends { namespace: string; name: string }>(a: T[], b: T[]): T[] {
  const key = (x: T) => [x.namespace, x.name] as const;
  const before = (x: T, y: T) => {
    const [xn, xm] = key(x);
    const [yn, ym] = key(y);
    return xn < yn || (xn === yn && xm < ym);
  };
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && before(a[i]!, b[j]!))) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}
