import type { KubeConfig, Watch } from "@kubernetes/client-node";
import { collectionPath, listRaw, watchFor } from "@ark/kube";
import { backoffDelay, isFinishedQueryPhase, queryKind } from "@ark/types";
import type { AnyArkObject } from "../dto/index.js";

export interface WaitedQuery {
  namespace: string;
  name: string;
  uid: string;
  /** The resourceVersion the create answered: a watch that had not yet delivered past it cannot have missed the finish. */
  resourceVersion?: string;
}

interface Waiter {
  uid: string;
  settle(query: AnyArkObject | undefined): void;
}

/** The last change the watch delivered for a Query: its uid, and the Query itself only once its phase is final. */
interface RecentChange {
  resourceVersion: string;
  uid: string;
  deleted: boolean;
  finished: AnyArkObject | undefined;
  /** What it holds, roughly: the finished Query's JSON length, else RECENT_ENTRY_BYTES. */
  bytes: number;
}

interface Logger {
  warn(obj: object, message: string): void;
}

/** Reads a Query; with `notOlderThan`, as of that resourceVersion or later (which the API server answers from its cache). */
type GetQuery = (namespace: string, name: string, notOlderThan?: string) => Promise<AnyArkObject | undefined>;

export interface QueryFinishWatchOptions {
  kubeConfig: KubeConfig;
  /** A read of one Query (undefined when it does not exist). */
  get: GetQuery;
  log: Logger;
  /** Test seams: the watch, and the resourceVersion a fresh start begins at (a list of one Query). */
  watch?: Pick<Watch, "watch">;
  listVersion?: () => Promise<string | undefined>;
  /** How long the watch stays open with no wait (default IDLE_CLOSE_MS). */
  idleCloseMs?: number;
}

const WATCH_SECONDS = 300;
const RESTART_BACKOFF = { baseMs: 200, maxMs: 10_000 };
/** The watch closes after this long with no wait: it receives every Query's changes, waited for or not. */
const IDLE_CLOSE_MS = 60_000;
/**
 * Queries whose last change the watch keeps (RecentChange): loaded, the watch often delivers a Query's finish before
 * the create's answer reaches the caller, and this answers that wait without a read (one GET in three waits before).
 */
const RECENT_MAX = 512;
/** And at most this much of their JSON: a Query may be megabytes (its answer), and the record is only a shortcut. */
const RECENT_MAX_BYTES = 8 * 1024 * 1024;
const RECENT_ENTRY_BYTES = 256;

/**
 * One watch on every Query for all of ark-api's `?wait=` requests: a waiting request is answered by the watch event
 * that gives its Query a final phase (or deletes it), as soon as the controller writes it, instead of reading the
 * Query over and over. Opened on the first wait and kept open while waits come (resumed where it ended; after 410 Gone
 * it starts again from a fresh list and every waiting Query is read once, since its finish may have fallen in the gap);
 * closed after `idleCloseMs` with none, and the next wait opens it from a fresh list.
 */
export class QueryFinishWatch {
  private readonly path = collectionPath(queryKind);
  private readonly waiters = new Map<string, Set<Waiter>>();
  /** Where the watch resumes (the last resourceVersion seen); undefined: start again from a list. */
  private resourceVersion: string | undefined;
  /**
   * The resourceVersion up to which watch events have been handed to the waiters (the list a run of watches began at,
   * then each event's): a waiter registered now hears of every change after it, and must read those at or before it.
   */
  private delivered: string | undefined;
  private opening: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private failures = 0;
  /** A fresh list replaced the one the watch resumed from: the waiting Queries are read once the new watch is open. */
  private unwatchedGap = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  /** Counts the watches closed for idleness: callbacks of one closed are not taken for the next one's. */
  private generation = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleCloseMs: number;
  /** The last change of the Queries the watch delivered lately, oldest first (at most RECENT_MAX, RECENT_MAX_BYTES). */
  private readonly recent = new Map<string, RecentChange>();
  private recentBytes = 0;
  /** Every change after this resourceVersion is in `recent`: a Query not there has not changed since. */
  private recentFrom: string | undefined;

  private readonly get: GetQuery;
  private readonly log: Logger;
  private readonly watch: Pick<Watch, "watch">;
  private readonly listVersion: () => Promise<string | undefined>;

  constructor(options: QueryFinishWatchOptions) {
    this.get = options.get;
    this.log = options.log;
    this.watch = options.watch ?? watchFor(options.kubeConfig);
    this.listVersion = options.listVersion ?? (async () => (await listRaw(options.kubeConfig, this.path, { limit: "1" })).metadata?.resourceVersion);
    this.idleCloseMs = options.idleCloseMs ?? IDLE_CLOSE_MS;
  }

  /**
   * The Query once its phase is final; undefined once it is gone (deleted, or replaced by another of the same name).
   * When `signal` aborts first: the Query as it is then (read), or undefined with `readOnAbort: false`.
   */
  async wait(query: WaitedQuery, signal: AbortSignal, { readOnAbort = true }: { readOnAbort?: boolean } = {}): Promise<AnyArkObject | undefined> {
    if (this.closed) throw new Error("ark-api is shutting down");
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const key = `${query.namespace}/${query.name}`;
    let settle!: (query: AnyArkObject | undefined) => void;
    const settled = new Promise<AnyArkObject | undefined>((resolve) => (settle = resolve));
    const waiter: Waiter = { uid: query.uid, settle };
    const set = this.waiters.get(key) ?? new Set();
    set.add(waiter);
    this.waiters.set(key, set);
    // From here on every watch event reaches this waiter; what the watch delivered before (the finish among it, when the
    // query ran while the create's answer was on its way) is read once.
    const deliveredBefore = this.delivered;
    const onAbort = () => settle(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    if (signal.aborted) onAbort();
    try {
      await this.open();
      // The watch may have delivered the finish before this waiter listened: a read as of what it had delivered shows it.
      const delivered = deliveredBefore ?? this.delivered;
      if (!isAtLeast(query.resourceVersion, delivered)) {
        if (isAtLeast(query.resourceVersion, this.recentFrom)) this.checkRecent(key, query.resourceVersion as string);
        else this.check(key, await this.get(query.namespace, query.name, delivered));
      }
      const result = await settled;
      if (signal.aborted) return readOnAbort ? await this.get(query.namespace, query.name) : undefined;
      return result;
    } finally {
      signal.removeEventListener("abort", onAbort);
      set.delete(waiter);
      if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
      if (this.waiters.size === 0) this.closeWhenIdle();
    }
  }

  /** Whether a watch is open. */
  get watching(): boolean {
    return this.abort !== undefined;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    clearTimeout(this.idleTimer);
    this.abort?.abort();
    for (const set of this.waiters.values()) for (const waiter of set) waiter.settle(undefined);
  }

  private closeWhenIdle(): void {
    if (this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.waiters.size > 0) return;
      // Opening or retrying: left to finish, and closed after the next idle stretch.
      if (!this.abort) return this.closeWhenIdle();
      this.generation += 1;
      this.abort.abort();
      this.abort = undefined;
      this.opening = undefined;
      this.failures = 0;
      // The next watch starts from a fresh list; a wait then reads its Query once when created before it.
      this.resourceVersion = undefined;
      this.delivered = undefined;
      this.forgetRecent(undefined);
    }, this.idleCloseMs);
    this.idleTimer.unref();
  }

  /** Resolves once a watch is open (at once while one is). */
  private open(): Promise<void> {
    this.opening ??= this.connect().catch((err: unknown) => {
      // The next wait tries again; this one reports the failure.
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async connect(): Promise<void> {
    // A fresh list after an earlier watch (410 Gone): what it missed is read below. The first list needs none (wait reads).
    if (this.resourceVersion === undefined) {
      this.unwatchedGap ||= this.delivered !== undefined;
      this.resourceVersion = await this.listVersion();
      // A waiter registered from here on reads its Query when created before this list (the gap is not watched).
      this.delivered = this.resourceVersion;
      this.forgetRecent(this.resourceVersion);
    }
    let ended = false;
    let gone = false;
    const generation = this.generation;
    const end = (err: unknown) => {
      if (ended || generation !== this.generation) return;
      ended = true;
      this.abort = undefined;
      if (gone || (err as { statusCode?: number } | null)?.statusCode === 410) this.resourceVersion = undefined;
      this.restart(err);
    };
    const controller = await this.watch.watch(
      this.path,
      { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_SECONDS },
      (phase: string, obj: AnyArkObject) => {
        if (ended || generation !== this.generation) return;
        if (phase === "ERROR") {
          gone = (obj as { code?: number }).code === 410;
          this.abort?.abort();
          end(new Error(`watch error: ${(obj as { message?: string }).message ?? phase}`));
          return;
        }
        this.failures = 0;
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.resourceVersion = this.delivered = rv;
        if (phase === "BOOKMARK") return;
        const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
        if (rv) this.remember(key, rv, phase === "DELETED", obj);
        if (this.waiters.has(key)) this.check(key, phase === "DELETED" ? undefined : obj, obj.metadata.uid);
      },
      end,
    );
    if (ended) {
      // It failed before it opened (a refused request calls back before watch() returns): restart() retries with backoff.
      controller.abort();
      return;
    }
    this.abort = controller;
    // After 410 Gone the finish of a waiting Query may have fallen between the old watch and the new list.
    if (!this.unwatchedGap) return;
    this.unwatchedGap = false;
    for (const [key, set] of this.waiters) if (set.size > 0) void this.recheck(key);
  }

  private restart(err: unknown): void {
    if (this.closed) return;
    if (err) this.failures += 1;
    const reconnect = () => {
      this.opening = this.connect().catch((failure: unknown) => {
        this.log.warn({ err: failure }, "query watch for ?wait= failed; retrying");
        this.restart(failure);
      });
    };
    this.retry = setTimeout(reconnect, backoffDelay(this.failures, RESTART_BACKOFF));
  }

  private async recheck(key: string): Promise<void> {
    const [namespace, name] = key.split("/") as [string, string];
    try {
      this.check(key, await this.get(namespace, name));
    } catch (err) {
      this.log.warn({ err, query: key }, "reading a waited Query after the watch restarted failed");
    }
  }

  /** Keeps a delivered change as the Query's last; the oldest kept are forgotten past RECENT_MAX or RECENT_MAX_BYTES. */
  private remember(key: string, resourceVersion: string, deleted: boolean, query: AnyArkObject): void {
    const finished = !deleted && isFinishedQueryPhase((query.status as { phase?: string } | undefined)?.phase);
    const before = this.recent.get(key);
    if (before) {
      this.recent.delete(key);
      this.recentBytes -= before.bytes;
    }
    const bytes = finished ? JSON.stringify(query).length : RECENT_ENTRY_BYTES;
    this.recent.set(key, { resourceVersion, uid: query.metadata.uid ?? "", deleted, finished: finished ? query : undefined, bytes });
    this.recentBytes += bytes;
    while (this.recent.size > RECENT_MAX || this.recentBytes > RECENT_MAX_BYTES) {
      const [oldestKey, oldest] = this.recent.entries().next().value as [string, RecentChange];
      this.recent.delete(oldestKey);
      this.recentBytes -= oldest.bytes;
      this.recentFrom = oldest.resourceVersion;
    }
  }

  /** Starts the record of recent changes afresh: complete from `from` on (undefined: no record until a list). */
  private forgetRecent(from: string | undefined): void {
    this.recent.clear();
    this.recentBytes = 0;
    this.recentFrom = from;
  }

  /**
   * Settles the key's waiters from the Query's last change after `createdAt`, which `recent` holds when there was one;
   * none: the Query is as created, not finished.
   */
  private checkRecent(key: string, createdAt: string): void {
    const change = this.recent.get(key);
    if (!change || isAtLeast(createdAt, change.resourceVersion)) return;
    const set = this.waiters.get(key);
    if (!set) return;
    for (const waiter of set) {
      if (change.deleted || change.uid !== waiter.uid) waiter.settle(undefined);
      else if (change.finished) waiter.settle(change.finished);
    }
  }

  /** Settles the key's waiters the Query (or its absence, `goneUid` the uid deleted) answers. */
  private check(key: string, query: AnyArkObject | undefined, goneUid?: string): void {
    const set = this.waiters.get(key);
    if (!set) return;
    for (const waiter of set) {
      if (!query) {
        if (goneUid === undefined || goneUid === waiter.uid) waiter.settle(undefined);
      } else if (query.metadata.uid !== waiter.uid) {
        // Another Query of the same name: the one waited for is gone.
        waiter.settle(undefined);
      } else if (isFinishedQueryPhase((query.status as { phase?: string } | undefined)?.phase)) {
        waiter.settle(query);
      }
    }
  }
}

/** Whether resourceVersion `a` is at or after `b` (both integers, as ark-apiserver's and etcd's are); false when unknown. */
function isAtLeast(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) >= BigInt(b);
}
