import type { ObjectStore } from "../store/object-store.js";
import { PreconditionFailedError } from "../store/errors.js";
import { deleteStored } from "../api/write/delete-stored.js";

const NAMESPACE_LIST = { group: "", resource: "namespaces" };

/**
 * Background garbage collection: deletes objects whose every owner is gone, and empties then removes
 * terminating namespaces. Woken with the uids of deleted objects (from any replica, through the change
 * feed); a full scan runs at start and on a timer.
 */
export class GarbageCollector {
  private readonly deletedUids = new Set<string>();
  private fullScanDue = true;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.fullScanDue = true;
      this.trigger();
    }, this.intervalMs);
    this.timer.unref();
    this.trigger();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Sweeps soon; `deletedUids` are owners that just went away. */
  trigger(deletedUids: readonly string[] = []): void {
    for (const uid of deletedUids) this.deletedUids.add(uid);
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sweepUntilStable()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** Resolves when a sweep started after this call has finished. */
  async idle(): Promise<void> {
    this.trigger();
    while (this.running) await this.running;
  }

  private async sweepUntilStable(): Promise<void> {
    for (let round = 0; round < 100 && !this.stopped; round++) {
      const progressed = (await this.collectOrphans()) + (await this.finishNamespaces());
      if (progressed === 0) return;
    }
  }

  private async collectOrphans(): Promise<number> {
    const uids = [...this.deletedUids];
    this.deletedUids.clear();
    const full = this.fullScanDue;
    this.fullScanDue = false;
    const orphans = full ? await this.store.orphanedDependents() : uids.length > 0 ? await this.store.orphanedDependentsOf(uids) : [];
    let done = 0;
    for (const orphan of orphans) {
      if (orphan.object.metadata.deletionTimestamp !== undefined) continue;
      done += await this.tryDelete(() => deleteStored(this.store, orphan.key, orphan));
    }
    return done;
  }

  private async finishNamespaces(): Promise<number> {
    let done = 0;
    const namespaces = await this.store.list({ ...NAMESPACE_LIST });
    for (const item of namespaces.items) {
      if (!item.text.includes('"deletionTimestamp"')) continue;
      const ns = await this.store.get({ ...NAMESPACE_LIST, namespace: "", name: item.name });
      if (!ns?.object.metadata.deletionTimestamp) continue;
      const contents = await this.store.objectsInNamespace(item.name);
      for (const obj of contents) {
        if (obj.object.metadata.deletionTimestamp !== undefined) continue;
        done += await this.tryDelete(() => deleteStored(this.store, obj.key, obj));
      }
      if (contents.length === 0 && (ns.object.metadata.finalizers ?? []).length === 0) {
        done += await this.tryDelete(() =>
          this.store.commit({
            type: "DELETED",
            key: { ...NAMESPACE_LIST, namespace: "", name: item.name },
            object: ns.object,
            expectedResourceVersion: ns.resourceVersion,
            previousText: ns.text,
          }),
        );
      }
    }
    return done;
  }

  private async tryDelete(work: () => Promise<unknown>): Promise<number> {
    try {
      await work();
      return 1;
    } catch (err) {
      // Another writer (or replica) got there first; the next sweep sees the new state.
      if (err instanceof PreconditionFailedError) return 0;
      throw err;
    }
  }
}
