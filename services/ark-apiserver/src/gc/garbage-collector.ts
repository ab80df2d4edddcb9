import type { ObjectStore } from "../store/object-store.js";
import { PreconditionFailedError } from "../store/errors.js";
import { deleteStored, FOREGROUND_FINALIZER } from "../api/write/delete-stored.js";
import type { ObjectMeta } from "../kube-object.js";

const NAMESPACE_LIST = { group: "", resource: "namespaces" };

/**
 * Garbage collection: deletes objects whose every owner is gone; deletes the dependents of owners deleted
 * in the foreground and then lets the owners go; empties then removes terminating namespaces. Woken with the uids of deleted objects (from any replica, through the change
 * feed); a full scan runs at start and on a timer.
 */
export class GarbageCollector {
  private readonly deletedUids = new Set<string>();
  private fullScanDue = true;
  /** Owners deleted in the foreground may exist: look for them on the next sweeps. */
  private foregroundDue = true;
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
  trigger(deletedUids: readonly string[] = [], { foreground = false } = {}): void {
    for (const uid of deletedUids) this.deletedUids.add(uid);
    if (foreground) this.foregroundDue = true;
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
      const progressed = (await this.collectOrphans()) + (await this.finishForeground()) + (await this.finishNamespaces());
      if (progressed === 0) return;
    }
  }

  private async collectOrphans(): Promise<number> {
    const uids = [...this.deletedUids];
    this.deletedUids.clear();
    const full = this.fullScanDue;
    this.fullScanDue = false;
    if (full) this.foregroundDue = true;
    const orphans = full ? await this.store.orphanedDependents() : uids.length > 0 ? await this.store.orphanedDependentsOf(uids) : [];
    let done = 0;
    for (const orphan of orphans) {
      if (orphan.object.metadata.deletionTimestamp !== undefined) continue;
      done += await this.tryDelete(() => deleteStored(this.store, orphan.key, orphan));
    }
    return done;
  }

  /**
   * Owners with the foregroundDeletion finalizer: their dependents are deleted (in the foreground too
   * when they block the owner), and once no dependent with blockOwnerDeletion is left the finalizer goes.
   */
  private async finishForeground(): Promise<number> {
    if (!this.foregroundDue) return 0;
    const owners = (await this.store.foregroundDeleting()).filter((o) => o.object.metadata.deletionTimestamp !== undefined && (o.object.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER));
    // Keep looking while owners wait: their dependents' deletions wake the collector.
    this.foregroundDue = owners.length > 0;
    let done = 0;
    for (const owner of owners) {
      const uid = owner.object.metadata.uid;
      if (!uid) continue;
      let blocking = 0;
      for (const dependent of await this.store.dependentsOf(uid)) {
        const blocks = dependent.object.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion === true) ?? false;
        if (blocks) blocking++;
        if (dependent.object.metadata.deletionTimestamp !== undefined) continue;
        done += await this.tryDelete(() => deleteStored(this.store, dependent.key, dependent, false, { foreground: blocks }));
      }
      if (blocking > 0) continue;
      const finalizers = (owner.object.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER);
      const metadata: ObjectMeta = { ...owner.object.metadata, finalizers };
      if (finalizers.length === 0) delete metadata.finalizers;
      done += await this.tryDelete(() =>
        this.store.commit({
          type: finalizers.length === 0 ? "DELETED" : "MODIFIED",
          key: owner.key,
          object: { ...owner.object, metadata },
          expectedResourceVersion: owner.resourceVersion,
          previousText: owner.text,
        }),
      );
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
