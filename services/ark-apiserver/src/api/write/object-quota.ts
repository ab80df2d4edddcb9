import type { CachedObject, ObjectCache } from "../../cache/object-cache.js";
import type { ObjectKey } from "../../kube-object.js";
import type { ResourceType } from "../../resource-type.js";
import { isEventResource } from "../../resources/events.js";
import { qualifiedResource, statusErrors } from "../status.js";

export interface ObjectLimits {
  /** Objects of every kind but Events in one namespace. */
  perNamespace: number;
  /** Objects of one kind in the whole server (cluster-scoped kinds, Namespaces among them, included). */
  perKind: number;
  /** Events (core/v1 and events.k8s.io/v1, each) in one namespace; they do not count against perNamespace. */
  eventsPerNamespace: number;
}

/** Config names, so a refusal tells the operator what to raise. */
const QUOTA = {
  perNamespace: "ARK_APISERVER_MAX_OBJECTS_PER_NAMESPACE",
  perKind: "ARK_APISERVER_MAX_OBJECTS_PER_KIND",
} as const;

/** Share of a full Events cap evicted at once, so finding the oldest (a scan) is paid once per that many creates. */
const EVICTION_BATCH_SHARE = 0.01;

interface Pending {
  group: string;
  resource: string;
  namespace: string;
  /** Set once committed; the cache counts it (created, or gone for an eviction) from this rv on. */
  rv?: number;
}

/** An Event to delete so a new one fits: `settled` with the delete's rv, or without when it was not deleted. */
export interface Eviction {
  key: ObjectKey;
  current: { text: string; resourceVersion: number };
  settled(rv?: number): void;
}

export interface Reservation {
  committed(rv: number): void;
  release(): void;
  /** Events the new Event replaces (the least recently written of a full cap); empty for every other create. */
  evictions: Eviction[];
}

/**
 * Caps on stored objects, counted from the object cache plus this process's creates the cache does not have
 * yet (in flight, or committed and not yet back from the feed). A create beyond a cap is refused before
 * anything is written, with Kubernetes' quota wording — except an Event's: a full Events cap makes room by
 * evicting its least recently written Events (docs/architecture.md §2), so what a controller records is never refused.
 */
export class ObjectQuota {
  /** This process's creates the cache does not count yet, and their number by kind, kind and namespace, and namespace (Events left out). */
  private readonly pending = new Set<Pending>();
  private readonly pendingCounts = new Map<string, number>();
  /** Pending creates already committed, waiting for the cache to reach their rv. */
  private committedPending: Pending[] = [];
  /** The cache position the last settle saw (nothing to drop until it moves). */
  private settledAt = -1;
  /** Events being evicted, by object key, counted as gone until the cache has caught up with their delete. */
  private evicting = new Map<string, Pending>();

  constructor(
    private readonly cache: ObjectCache,
    private readonly limits: ObjectLimits,
  ) {}

  /**
   * Checks that one more object fits and holds its place; call `committed(rv)` once stored, or `release()`
   * when the create failed. Throws a 403 Forbidden Status naming the quota; for an Event, names the ones to evict instead.
   */
  reserve(rt: ResourceType, namespace: string, name: string): Reservation {
    this.settle();
    const group = rt.group;
    const resource = rt.plural;
    const events = isEventResource(group, resource);
    const kindUsed = this.cache.count(group, resource) + this.pendingCount(kindKey(group, resource)) - this.evictingCount((p) => p.group === group && p.resource === resource);
    const evictions: Eviction[] = [];
    if (events) {
      if (namespace !== "") {
        const evictingHere = this.evictingCount((p) => p.group === group && p.resource === resource && p.namespace === namespace);
        const used = this.cache.count(group, resource, namespace) + this.pendingCount(kindNamespaceKey(group, resource, namespace)) - evictingHere;
        evictions.push(...this.evict(group, resource, namespace, used, this.limits.eventsPerNamespace));
      }
      evictions.push(...this.evict(group, resource, undefined, kindUsed - evictions.length, this.limits.perKind));
    } else {
      if (kindUsed >= this.limits.perKind) throw exceeded(rt, name, QUOTA.perKind, `count/${qualifiedResource(rt)}`, kindUsed, this.limits.perKind);
      if (namespace !== "") {
        const used = this.cache.countInNamespace(namespace, (g, r) => !isEventResource(g, r)) + this.pendingCount(namespaceKey(namespace));
        if (used >= this.limits.perNamespace) throw exceeded(rt, name, QUOTA.perNamespace, "count/objects", used, this.limits.perNamespace);
      }
    }
    const entry: Pending = { group, resource, namespace };
    this.addPending(entry);
    return {
      committed: (rv) => {
        entry.rv = rv;
        this.committedPending.push(entry);
        this.settle(true);
      },
      release: () => {
        this.removePending(entry);
        // A dry run or a failed create gives back the Events it would have evicted (any already deleted stay deleted).
        for (const eviction of evictions) eviction.settled();
      },
      evictions,
    };
  }

  private pendingCount(key: string): number {
    return this.pendingCounts.get(key) ?? 0;
  }

  private addPending(entry: Pending): void {
    this.pending.add(entry);
    for (const key of pendingKeys(entry)) this.pendingCounts.set(key, this.pendingCount(key) + 1);
  }

  private removePending(entry: Pending): void {
    if (!this.pending.delete(entry)) return;
    for (const key of pendingKeys(entry)) {
      const n = this.pendingCount(key) - 1;
      if (n > 0) this.pendingCounts.set(key, n);
      else this.pendingCounts.delete(key);
    }
  }

  /** When `used` has reached `limit`: claims the least recently written Events to delete, a batch of them. */
  private evict(group: string, resource: string, namespace: string | undefined, used: number, limit: number): Eviction[] {
    if (used < limit) return [];
    const count = Math.max(used - limit + 1, Math.ceil(limit * EVICTION_BATCH_SHARE));
    const claimed = (ns: string, name: string) => this.evicting.has(evictionKey({ group, resource, namespace: ns, name }));
    return this.cache.leastRecentlyWritten(group, resource, namespace, count, claimed).map((victim) => this.claim(group, resource, victim));
  }

  private claim(group: string, resource: string, victim: CachedObject): Eviction {
    const key = { group, resource, namespace: victim.namespace, name: victim.name };
    const id = evictionKey(key);
    const entry: Pending = { group, resource, namespace: victim.namespace };
    this.evicting.set(id, entry);
    let done = false;
    return {
      key,
      current: { text: victim.text, resourceVersion: victim.resourceVersion },
      settled: (rv) => {
        if (done) return;
        done = true;
        if (rv === undefined) this.evicting.delete(id);
        else entry.rv = rv;
        this.settle(true);
      },
    };
  }

  private evictingCount(matches: (p: Pending) => boolean): number {
    let n = 0;
    for (const p of this.evicting.values()) if (matches(p)) n++;
    return n;
  }

  /** Drops the creates and evictions the cache has caught up with (`force`: something was committed since the last look). */
  private settle(force = false): void {
    const position = this.cache.position;
    if (position === this.settledAt && !force) return;
    this.settledAt = position;
    if (this.committedPending.some((p) => p.rv! <= position)) {
      const caughtUp = this.committedPending.filter((p) => p.rv! <= position);
      this.committedPending = this.committedPending.filter((p) => p.rv! > position);
      for (const p of caughtUp) this.removePending(p);
    }
    for (const [id, p] of this.evicting) if (p.rv !== undefined && p.rv <= position) this.evicting.delete(id);
  }
}

const kindKey = (group: string, resource: string) => `k/${group}/${resource}`;
const kindNamespaceKey = (group: string, resource: string, namespace: string) => `kn/${group}/${resource}/${namespace}`;
const namespaceKey = (namespace: string) => `n/${namespace}`;

/** The counts a pending create is in: its kind, its kind in its namespace, and (not an Event) its namespace's objects. */
function pendingKeys(p: Pending): string[] {
  const keys = [kindKey(p.group, p.resource), kindNamespaceKey(p.group, p.resource, p.namespace)];
  if (p.namespace !== "" && !isEventResource(p.group, p.resource)) keys.push(namespaceKey(p.namespace));
  return keys;
}

function evictionKey(key: ObjectKey): string {
  return `${key.group}/${key.resource}/${key.namespace}/${key.name}`;
}

/** As Kubernetes' ResourceQuota admission words it. */
function exceeded(rt: ResourceType, name: string, quota: string, resource: string, used: number, limit: number) {
  return statusErrors.forbidden(rt, name, `exceeded quota: ${quota}, requested: ${resource}=1, used: ${resource}=${used}, limited: ${resource}=${limit}`);
}
