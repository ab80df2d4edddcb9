import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { CoreV1Event, KubeConfig, V1ObjectMeta } from "@kubernetes/client-node";
import { MERGE_PATCH, rawRequest } from "./clients/raw-request.js";
import { isNotFound } from "./errors.js";
import { consoleLogger, type KubeLogger } from "./logger.js";
import { collectionPath, EVENTS } from "./resource.js";

export interface InvolvedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Pick<V1ObjectMeta, "name" | "namespace" | "uid" | "resourceVersion">;
}

export interface EventDetails {
  type: "Normal" | "Warning";
  /** CamelCase, e.g. QueryResolveStart. */
  reason: string;
  message: string;
}

export interface EventRecorderOptions {
  /** source.component and reportingComponent, e.g. ark-controller. */
  component: string;
  /** reportingInstance; the host name by default. */
  instance?: string;
  /** A repeat of the same event within this window bumps count on the earlier one instead of a new Event; 0 turns it off. Default 10 minutes. */
  aggregateWindowMs?: number;
  /** Events written at once; the rest wait their turn. Default 8. */
  concurrency?: number;
  /**
   * An Event recorded while fewer than `concurrency` are being written waits up to this long for the ones recorded after
   * it, and they go out together (ark-apiserver stores them in one transaction), after the writes of the reconcile that
   * recorded them; past `concurrency`, the next waiting starts as soon as one is done. 0 writes each from the next turn
   * of the event loop. Default 25 ms.
   */
  batchWindowMs?: number;
  /** Events waiting beyond this are dropped (record rejects), as client-go's recorder drops past its queue. Default 10,000 (a burst of 3,000 queries). */
  maxQueued?: number;
  /** Told about dropped events (the first, then every 100th). */
  log?: KubeLogger;
}

export interface EventRecorder {
  /**
   * Creates a core/v1 Event about the object (so `kubectl describe` shows it), or bumps the count of an identical
   * recent one. Events are best effort and must not hold up reconciles: a few are written at a time, in the order
   * recorded and with the time of the call; past `maxQueued` waiting (sustained overload), the call rejects and the event is dropped.
   */
  record(involvedObject: InvolvedObject, event: EventDetails): Promise<CoreV1Event>;
  /**
   * For a graceful stop: records nothing more (record rejects) and resolves once the Events already recorded are
   * written, or after `timeoutMs`, with how many were still unwritten then.
   */
  close(timeoutMs: number): Promise<number>;
}

const MAX_REMEMBERED = 4096;

export function createEventRecorder(kc: KubeConfig, options: EventRecorderOptions): EventRecorder {
  const instance = options.instance ?? hostname();
  const windowMs = options.aggregateWindowMs ?? 10 * 60_000;
  const recent = new Map<string, { name: string; namespace: string; count: number; firstAt: number }>();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const maxQueued = options.maxQueued ?? 10_000;
  const batchWindowMs = options.batchWindowMs ?? 25;
  const log = options.log ?? consoleLogger;
  const waiting: (() => void)[] = [];
  let writing = 0;
  let dropped = 0;
  let closed = false;
  let drained: (() => void) | undefined;
  /** Writes started below `concurrency`, waiting for the batch window to close. */
  const batch: (() => void)[] = [];
  let batchTimer: NodeJS.Timeout | undefined;

  const flushBatch = () => {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    for (const write of batch.splice(0)) write();
  };

  /** A write started below `concurrency`: it goes out when the batch window closes, with the others started meanwhile. */
  const joinBatch = (run: () => void) => {
    writing++;
    batch.push(run);
    batchTimer ??= setTimeout(flushBatch, batchWindowMs);
  };

  function schedule<T>(write: () => Promise<T>): Promise<T> {
    if (waiting.length >= maxQueued) {
      dropped++;
      if (dropped % 100 === 1) log.warn({ dropped, waiting: waiting.length }, "too many Kubernetes Events waiting to be written; dropping");
      return Promise.reject(new Error(`event dropped: ${waiting.length} events already waiting to be written`));
    }
    return new Promise<T>((resolve, reject) => {
      const run = () =>
        void write()
          .then(resolve, reject)
          .finally(() => {
            writing--;
            waiting.shift()?.();
            if (writing === 0 && waiting.length === 0) drained?.();
          });
      // Never in the recording turn: a status write the recording code issues in this turn goes out first (Events are
      // not on anyone's critical path; in a group-committing apiserver they would delay that write).
      const start = () => {
        writing++;
        setImmediate(run);
      };
      if (writing >= concurrency) waiting.push(start);
      else if (batchWindowMs <= 0 || closed) start();
      else joinBatch(run);
    });
  }

  async function create(involved: InvolvedObject, event: EventDetails, now: Date): Promise<CoreV1Event> {
    const namespace = involved.metadata?.namespace || "default";
    const objectName = involved.metadata?.name ?? "unknown";
    const body: CoreV1Event = {
      // Unique enough that events about one object in the same millisecond do not collide (client-go uses nanoseconds).
      metadata: { name: `${objectName}.${Date.now().toString(16)}${randomBytes(4).toString("hex")}`, namespace },
      involvedObject: {
        apiVersion: involved.apiVersion,
        kind: involved.kind,
        name: objectName,
        namespace: involved.metadata?.namespace,
        uid: involved.metadata?.uid,
        resourceVersion: involved.metadata?.resourceVersion,
      },
      type: event.type,
      reason: event.reason,
      message: event.message,
      source: { component: options.component, host: instance },
      reportingComponent: options.component,
      reportingInstance: instance,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    return rawRequest<CoreV1Event>(kc, "POST", collectionPath(EVENTS, namespace), { body });
  }

  async function write(involved: InvolvedObject, event: EventDetails, now: Date): Promise<CoreV1Event> {
    const key = JSON.stringify([involved.metadata?.uid ?? involved.metadata?.name, involved.kind, event.type, event.reason, event.message]);
    const earlier = windowMs > 0 ? recent.get(key) : undefined;
    if (earlier && now.getTime() - earlier.firstAt < windowMs) {
      try {
        const body = { count: earlier.count + 1, lastTimestamp: now.toISOString() };
        const path = `${collectionPath(EVENTS, earlier.namespace)}/${encodeURIComponent(earlier.name)}`;
        const updated = await rawRequest<CoreV1Event>(kc, "PATCH", path, { body, contentType: MERGE_PATCH });
        earlier.count++;
        return updated;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const created = await create(involved, event, now);
    if (windowMs > 0) {
      if (recent.size >= MAX_REMEMBERED) recent.delete(recent.keys().next().value as string);
      recent.set(key, { name: created.metadata?.name ?? "", namespace: created.metadata?.namespace ?? "", count: 1, firstAt: now.getTime() });
    }
    return created;
  }

  return {
    record(involved, event) {
      if (closed) return Promise.reject(new Error("event dropped: the recorder is closed (the process is stopping)"));
      const now = new Date();
      return schedule(() => write(involved, event, now));
    },
    async close(timeoutMs) {
      closed = true;
      flushBatch();
      if (writing > 0 || waiting.length > 0) {
        const timeout = new AbortController();
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), sleep(timeoutMs, undefined, { signal: timeout.signal }).catch(() => undefined)]);
        timeout.abort();
      }
      const left = writing + waiting.length;
      // Not written in time: dropped, as past maxQueued (their writes would reach a stopped API server).
      waiting.length = 0;
      if (left > 0) log.warn({ unwritten: left }, "stopping with Kubernetes Events not yet written; dropping them");
      return left;
    },
  };
}
