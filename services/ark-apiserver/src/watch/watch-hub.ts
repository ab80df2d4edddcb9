import type { Change } from "../store/change-log.js";
import type { Watcher } from "./watcher.js";

/** In-memory fan-out of the change feed to the watches of this process, indexed by resource. */
export class WatchHub {
  private readonly byResource = new Map<string, Set<Watcher>>();

  add(watcher: Watcher): void {
    const key = resourceKey(watcher.filter.group, watcher.filter.resource);
    let set = this.byResource.get(key);
    if (!set) this.byResource.set(key, (set = new Set()));
    set.add(watcher);
  }

  remove(watcher: Watcher): void {
    const key = resourceKey(watcher.filter.group, watcher.filter.resource);
    const set = this.byResource.get(key);
    set?.delete(watcher);
    if (set?.size === 0) this.byResource.delete(key);
  }

  dispatch(changes: Change[]): void {
    for (const change of changes) {
      const set = this.byResource.get(resourceKey(change.group, change.resource));
      if (set) for (const watcher of set) watcher.offer(change);
    }
  }

  closeAll(): void {
    for (const set of this.byResource.values()) for (const w of set) w.close();
    this.byResource.clear();
  }

  /** Open watches by `group/resource`. */
  countsByResource(): Array<[string, number]> {
    return [...this.byResource].map(([key, set]) => [key, set.size]);
  }

  get size(): number {
    let n = 0;
    for (const set of this.byResource.values()) n += set.size;
    return n;
  }
}

function resourceKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}
