import type { ObjectCache } from "../../cache/object-cache.js";
import type { ResourceType } from "../../resource-type.js";
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
  eventsPerNamespace: "ARK_APISERVER_MAX_EVENTS_PER_NAMESPACE",
} as const;

const isEvents = (resource: string) => resource === "events";

interface Pending {
  group: string;
  resource: string;
  namespace: string;
  /** Set once committed; the cache counts it from this rv on. */
  rv?: number;
}

/**
 * Caps on stored objects, counted from the object cache plus this process's creates the cache does not have
 * yet (in flight, or committed and not yet back from the feed). A create beyond a cap is refused before
 * anything is written, with Kubernetes' quota wording.
 */
export class ObjectQuota {
  private pending: Pending[] = [];

  constructor(
    private readonly cache: ObjectCache,
    private readonly limits: ObjectLimits,
  ) {}

  /**
   * Checks that one more object fits and holds its place; call `committed(rv)` once stored, or `release()`
   * when the create failed. Throws a 403 Forbidden Status naming the quota.
   */
  reserve(rt: ResourceType, namespace: string, name: string): { committed(rv: number): void; release(): void } {
    this.settle();
    const group = rt.group;
    const resource = rt.plural;
    const qualified = qualifiedResource(rt);
    const kindUsed = this.cache.count(group, resource) + this.pending.filter((p) => p.group === group && p.resource === resource).length;
    if (kindUsed >= this.limits.perKind) throw exceeded(rt, name, QUOTA.perKind, `count/${qualified}`, kindUsed, this.limits.perKind);
    if (namespace !== "") {
      if (isEvents(resource)) {
        const used = this.cache.count(group, resource, namespace) + this.pending.filter((p) => p.group === group && p.resource === resource && p.namespace === namespace).length;
        if (used >= this.limits.eventsPerNamespace) throw exceeded(rt, name, QUOTA.eventsPerNamespace, `count/${qualified}`, used, this.limits.eventsPerNamespace);
      } else {
        const used = this.cache.countInNamespace(namespace, (_g, r) => !isEvents(r)) + this.pending.filter((p) => p.namespace === namespace && !isEvents(p.resource)).length;
        if (used >= this.limits.perNamespace) throw exceeded(rt, name, QUOTA.perNamespace, "count/objects", used, this.limits.perNamespace);
      }
    }
    const entry: Pending = { group, resource, namespace };
    this.pending.push(entry);
    return {
      committed: (rv) => {
        entry.rv = rv;
        this.settle();
      },
      release: () => {
        this.pending = this.pending.filter((p) => p !== entry);
      },
    };
  }

  /** Drops the creates the cache has caught up with. */
  private settle(): void {
    const position = this.cache.position;
    if (this.pending.some((p) => p.rv !== undefined && p.rv <= position)) this.pending = this.pending.filter((p) => p.rv === undefined || p.rv > position);
  }
}

/** As Kubernetes' ResourceQuota admission words it. */
function exceeded(rt: ResourceType, name: string, quota: string, resource: string, used: number, limit: number) {
  return statusErrors.forbidden(rt, name, `exceeded quota: ${quota}, requested: ${resource}=1, used: ${resource}=${used}, limited: ${resource}=${limit}`);
}
