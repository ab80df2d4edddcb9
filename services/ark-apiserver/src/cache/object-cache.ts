import type pg from "pg";
import type { KubeObject, ObjectKey } from "../kube-object.js";
import { matchesFields, type FieldRequirement } from "../selectors/field-selector.js";
import { matchesLabels } from "../selectors/label-selector.js";
import type { Change } from "../store/change-log.js";
import type { ListQuery, ListResult } from "../store/object-store.js";
import { SortedEntries } from "./sorted-entries.js";

/** Rows per query when the cache loads: the whole table is never held in memory as rows at once. */
const LOAD_PAGE = 5000;

/**
 * One object as cached: its stored JSON as UTF-8 bytes (lists send them as they are; off the V8 heap, so the
 * collector never walks or moves them) and the labels selectors need. The text is decoded when asked for;
 * nothing parsed is kept (docs/architecture.md §2.1).
 */
class Entry {
  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly rv: number,
    readonly bytes: Buffer,
    readonly labels: Record<string, string>,
  ) {}

  get text(): string {
    return this.bytes.toString("utf8");
  }
}

export interface CachedObject {
  namespace: string;
  name: string;
  text: string;
  resourceVersion: number;
}

/** The objects of one resource, in key order (namespace, name; bytewise like the database's C collation). */
class ResourceEntries {
  readonly byKey = new Map<string, Entry>();
  sorted = new SortedEntries<Entry>();
  /** Objects per namespace ("" for cluster-scoped ones), for quotas. */
  readonly perNamespace = new Map<string, number>();
  /** rv of the newest change applied to this resource (or of the load). */
  lastChange = 0;

  put(entry: Entry): void {
    this.byKey.set(keyOf(entry.namespace, entry.name), entry);
    if (this.sorted.put(entry)) this.count(entry.namespace, 1);
  }

  remove(namespace: string, name: string): void {
    if (!this.byKey.delete(keyOf(namespace, name))) return;
    this.sorted.remove(namespace, name);
    this.count(namespace, -1);
  }

  count(namespace: string, delta: number): void {
    const n = (this.perNamespace.get(namespace) ?? 0) + delta;
    if (n > 0) this.perNamespace.set(namespace, n);
    else this.perNamespace.delete(namespace);
  }
}

/**
 * Every stored object, in memory, fed by the change log in rv order (the feed that serves watches).
 * `position` is the rv up to which every change is applied, so a synchronous read is a consistent
 * snapshot at `position`. Lists are served from here; writes and GETs go to the database.
 */
export class ObjectCache {
  private resources = new Map<string, ResourceEntries>();
  /** This process's own commits the feed has not brought yet (text undefined: deleted), for `current`. */
  private readonly recent = new Map<string, { rv: number; text: string | undefined }>();
  private loadedAt = 0;
  private at = 0;

  get position(): number {
    return this.at;
  }

  /** Loads every object from one database snapshot; returns the rv it is current at (the feed continues from there). */
  async load(pool: pg.Pool): Promise<number> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const rv = await client.query<[string]>({ text: "SELECT coalesce(max(rv), 0)::text FROM changes", rowMode: "array" });
      const position = Number(rv.rows[0]![0]);
      const resources = new Map<string, ResourceEntries>();
      // A cursor over one snapshot, fetched in pages: each page's rows become compact entries before the next is read.
      await client.query("DECLARE cache_load NO SCROLL CURSOR FOR SELECT api_group, resource, namespace, name, labels::text, object, resource_version::text FROM objects");
      for (;;) {
        const page = await client.query<[string, string, string, string, string, string, string]>({ text: `FETCH ${LOAD_PAGE} FROM cache_load`, rowMode: "array" });
        for (const [group, resource, namespace, name, labels, text, rv] of page.rows) {
          const key = resourceKey(group, resource);
          let entries = resources.get(key);
          if (!entries) resources.set(key, (entries = new ResourceEntries()));
          const entry = new Entry(namespace, name, Number(rv), Buffer.from(text), JSON.parse(labels) as Record<string, string>);
          entries.byKey.set(keyOf(namespace, name), entry);
          entries.count(namespace, 1);
          entries.lastChange = position;
        }
        if (page.rows.length < LOAD_PAGE) break;
      }
      await client.query("COMMIT");
      for (const entries of resources.values()) entries.sorted = SortedEntries.of([...entries.byKey.values()]);
      this.resources = resources;
      this.recent.clear();
      this.loadedAt = position;
      this.at = position;
      return position;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Applies changes in rv order; changes at or before the position are already reflected. */
  apply(changes: readonly Change[]): void {
    for (const change of changes) {
      if (change.rv <= this.at) continue;
      const key = resourceKey(change.group, change.resource);
      let entries = this.resources.get(key);
      if (!entries) this.resources.set(key, (entries = new ResourceEntries()));
      if (change.type === "DELETED") entries.remove(change.namespace, change.name);
      else entries.put(new Entry(change.namespace, change.name, change.rv, Buffer.from(change.object), change.labels));
      if (this.recent.size > 0) {
        const k = objectKey(change.group, change.resource, change.namespace, change.name);
        const mine = this.recent.get(k);
        if (mine && mine.rv <= change.rv) this.recent.delete(k);
      }
      entries.lastChange = change.rv;
      this.at = change.rv;
    }
  }

  /** A commit of this process, known before the feed brings it back: `current` answers with it meanwhile. */
  noteCommitted(key: ObjectKey, rv: number, text: string | undefined): void {
    if (rv <= this.at) return;
    const k = objectKey(key.group, key.resource, key.namespace, key.name);
    const known = this.recent.get(k);
    if (!known || known.rv < rv) this.recent.set(k, { rv, text });
  }

  /**
   * The newest state this process knows of one object (its own commits included), for a write to start
   * from; undefined when not cached. It may be stale (another replica's write not yet seen): writes are
   * conditional on its resourceVersion and re-read from the database when that fails.
   */
  current(key: ObjectKey): { text: string; resourceVersion: number } | undefined {
    const mine = this.recent.size > 0 ? this.recent.get(objectKey(key.group, key.resource, key.namespace, key.name)) : undefined;
    const entry = this.resources.get(resourceKey(key.group, key.resource))?.byKey.get(keyOf(key.namespace, key.name));
    if (mine && mine.rv > (entry?.rv ?? 0)) return mine.text === undefined ? undefined : { text: mine.text, resourceVersion: mine.rv };
    return entry ? { text: entry.text, resourceVersion: entry.rv } : undefined;
  }

  /** How many objects of one resource are cached: in one namespace, or in all. */
  count(group: string, resource: string, namespace?: string): number {
    const entries = this.resources.get(resourceKey(group, resource));
    if (!entries) return 0;
    return namespace === undefined ? entries.byKey.size : (entries.perNamespace.get(namespace) ?? 0);
  }

  /** How many objects are cached in one namespace, over the resources `counted` accepts. */
  countInNamespace(namespace: string, counted: (group: string, resource: string) => boolean): number {
    let n = 0;
    for (const [key, entries] of this.resources) {
      const slash = key.indexOf("/");
      if (counted(key.slice(0, slash), key.slice(slash + 1))) n += entries.perNamespace.get(namespace) ?? 0;
    }
    return n;
  }

  /** Up to `n` objects of one resource (in one namespace, or in all) that `skip` leaves, least recently written first. */
  leastRecentlyWritten(group: string, resource: string, namespace: string | undefined, n: number, skip: (namespace: string, name: string) => boolean): CachedObject[] {
    const candidates: Entry[] = [];
    this.resources.get(resourceKey(group, resource))?.sorted.forEachFrom(namespace === undefined ? undefined : { namespace, name: "" }, false, (e) => {
      if (namespace !== undefined && e.namespace !== namespace) return false;
      if (!skip(e.namespace, e.name)) candidates.push(e);
    });
    candidates.sort((a, b) => a.rv - b.rv);
    return candidates.slice(0, n).map(({ namespace, name, text, rv }) => ({ namespace, name, text, resourceVersion: rv }));
  }

  /** Everything up to `rv` was read from the log (and nothing changed in between). */
  advanceTo(rv: number): void {
    this.at = Math.max(this.at, rv);
  }

  /**
   * The objects a list selects, at `position`. For a continue page (`atResourceVersion`), only when
   * this resource has not changed since then (the state at that rv is the current one); else undefined.
   */
  list(query: ListQuery, fields: FieldRequirement[], atResourceVersion?: number): ListResult | undefined {
    const entries = this.resources.get(resourceKey(query.group, query.resource));
    if (atResourceVersion !== undefined) {
      if (atResourceVersion > this.at) return undefined;
      if (Math.max(entries?.lastChange ?? 0, this.loadedAt) > atResourceVersion) return undefined;
    }
    const resourceVersion = atResourceVersion ?? this.at;
    if (!entries) return { resourceVersion, items: [], more: false };
    const limit = query.limit && query.limit > 0 ? Math.floor(query.limit) : Infinity;
    const from = query.after ?? (query.namespace !== undefined ? { namespace: query.namespace, name: "" } : undefined);
    const items: ListResult["items"] = [];
    let more = false;
    entries.sorted.forEachFrom(from, query.after !== undefined, (e) => {
      if (query.namespace !== undefined && e.namespace !== query.namespace) return e.namespace < query.namespace;
      if (query.name !== undefined && e.name !== query.name) return;
      if (query.excludeName !== undefined && e.name === query.excludeName) return;
      if (query.excludeNamespace !== undefined && e.namespace === query.excludeNamespace) return;
      if (query.labels && query.labels.length > 0 && !matchesLabels(query.labels, e.labels)) return;
      // Parsed for this list only: a parse kept per object would hold every object whole again.
      if (fields.length > 0 && !matchesFields(fields, JSON.parse(e.text) as KubeObject)) return;
      if (items.length >= limit) {
        more = true;
        return false;
      }
      items.push(e);
    });
    return { resourceVersion, items, more };
  }
}

function resourceKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

function objectKey(group: string, resource: string, namespace: string, name: string): string {
  return `${group}/${resource}/${namespace}/${name}`;
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
