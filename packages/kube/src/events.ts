import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { CoreV1Event, KubeConfig, V1ObjectMeta } from "@kubernetes/client-node";
import { MERGE_PATCH, rawRequest } from "./clients/raw-request.js";
import { apiStatusCode, isNotFound } from "./errors.js";
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
  /** Batches being written at once (see maxPerRequest); the Events recorded meanwhile wait their turn. Default 8. */
  concurrency?: number;
  /**
   * Events recorded while fewer than `concurrency` requests are being written wait up to this long for the ones
   * recorded after them, and they go out together, after the writes of the reconcile that recorded them; once a
   * request is done, the Events that waited for it go at once. 0 writes from the next turn of the event loop.
   * Default 25 ms.
   */
  batchWindowMs?: number;
  /**
   * The most Events one batch carries. To ark-apiserver, the new Events of a namespace that go out together are one
   * POST of a `v1` List (docs/architecture.md §2), so a batch with Events of several namespaces is that many requests,
   * sent together; an API server that refuses such a List (kube-apiserver answers 400) gets them one POST each from
   * then on. Default 100.
   */
  maxPerRequest?: number;
  /** Events waiting beyond this are dropped (record rejects), as client-go's recorder drops past its queue. Default 10,000 (a burst of 3,000 queries). */
  maxQueued?: number;
  /** Told about dropped events (the first, then every 100th). */
  log?: KubeLogger;
}

export interface EventRecorder {
  /**
   * Creates a core/v1 Event about the object (so `kubectl describe` shows it), or bumps the count of an identical
   * recent one. Events are best effort and must not hold up reconciles: they are written a few requests at a time, in
   * the order recorded and with the time of the call; past `maxQueued` waiting (sustained overload), the call rejects and the event is dropped.
   */
  record(involvedObject: InvolvedObject, event: EventDetails): Promise<CoreV1Event>;
  /**
   * For a graceful stop: records nothing more (record rejects) and resolves once the Events already recorded are
   * written, or after `timeoutMs`, with how many were still unwritten then.
   */
  close(timeoutMs: number): Promise<number>;
}

const MAX_REMEMBERED = 4096;

interface Recorded {
  involved: InvolvedObject;
  event: EventDetails;
  now: Date;
  resolve: (event: CoreV1Event) => void;
  reject: (err: unknown) => void;
}

/** One item of ark-apiserver's answer to a List of Events: a meta/v1 Status. */
interface ItemStatus {
  status?: "Success" | "Failure";
  message?: string;
  details?: { name?: string; uid?: string };
}

export function createEventRecorder(kc: KubeConfig, options: EventRecorderOptions): EventRecorder {
  const instance = options.instance ?? hostname();
  const windowMs = options.aggregateWindowMs ?? 10 * 60_000;
  const recent = new Map<string, { name: string; namespace: string; count: number; firstAt: number }>();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const maxQueued = options.maxQueued ?? 10_000;
  const batchWindowMs = options.batchWindowMs ?? 25;
  const maxPerRequest = Math.max(1, options.maxPerRequest ?? 100);
  const log = options.log ?? consoleLogger;
  // An Event's name ends in this recorder's random tag and a counter: unique among the recorders writing Events about
  // one object without a call to the random source per Event (it was ≈ 1 % of the reconciler's time).
  const nameTag = randomBytes(2).toString("hex");
  let named = 0;
  /** Recorded, not yet being written, in the order recorded. */
  const waiting: Recorded[] = [];
  /** Requests being written, and the Events they carry. */
  let requests = 0;
  let writing = 0;
  let dropped = 0;
  let closed = false;
  /** The API server refused a List of Events: one POST per Event from then on. */
  let oneByOne = false;
  let drained: (() => void) | undefined;
  /** The launch to come (the batch window's, or the next turn's). */
  let due: { cancel(): void } | undefined;

  /** Starts requests for what waits while fewer than `concurrency` are out, each with up to `maxPerRequest` Events. */
  const launch = () => {
    due?.cancel();
    due = undefined;
    while (requests < concurrency && waiting.length > 0) {
      const batch = waiting.splice(0, maxPerRequest);
      requests++;
      writing += batch.length;
      void writeBatch(batch).finally(() => {
        requests--;
        writing -= batch.length;
        // What waited for this request goes now: it has had its window.
        if (waiting.length > 0) launch();
        else if (writing === 0) drained?.();
      });
    }
  };

  /** Never in the recording turn: a status write the recording code issues in this turn goes out first. */
  const schedule = () => {
    if (due || requests >= concurrency) return;
    if (batchWindowMs > 0 && !closed) {
      const timer = setTimeout(launch, batchWindowMs);
      due = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(launch);
      due = { cancel: () => clearImmediate(immediate) };
    }
  };

  const eventBody = (involved: InvolvedObject, event: EventDetails, now: Date): CoreV1Event => {
    const namespace = involved.metadata?.namespace || "default";
    const objectName = involved.metadata?.name ?? "unknown";
    return {
      apiVersion: "v1",
      kind: "Event",
      // Unique enough that events about one object in the same millisecond do not collide (client-go uses nanoseconds).
      metadata: { name: `${objectName}.${Date.now().toString(16)}${nameTag}${(named++ & 0xffff).toString(16).padStart(4, "0")}`, namespace },
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
  };

  const aggregationKey = (r: Recorded) => JSON.stringify([r.involved.metadata?.uid ?? r.involved.metadata?.name, r.involved.kind, r.event.type, r.event.reason, r.event.message]);

  const remember = (key: string, created: CoreV1Event, now: Date) => {
    if (windowMs <= 0) return;
    if (recent.size >= MAX_REMEMBERED) recent.delete(recent.keys().next().value as string);
    recent.set(key, { name: created.metadata?.name ?? "", namespace: created.metadata?.namespace ?? "", count: 1, firstAt: now.getTime() });
  };

  /** A repeat of a recent Event: its count bumped; undefined when that Event is gone (a new one is created instead). */
  async function bump(key: string, r: Recorded): Promise<CoreV1Event | undefined> {
    const earlier = recent.get(key)!;
    try {
      const body = { count: earlier.count + 1, lastTimestamp: r.now.toISOString() };
      const path = `${collectionPath(EVENTS, earlier.namespace)}/${encodeURIComponent(earlier.name)}`;
      const updated = await rawRequest<CoreV1Event>(kc, "PATCH", path, { body, contentType: MERGE_PATCH });
      earlier.count++;
      return updated;
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return undefined;
    }
  }

  /** New Events of one namespace: one List POST where the server takes it, else one POST each, in order. */
  async function createAll(namespace: string, creates: { key: string; r: Recorded; body: CoreV1Event }[]): Promise<void> {
    const path = collectionPath(EVENTS, namespace);
    if (creates.length > 1 && !oneByOne) {
      let statuses: ItemStatus[] | undefined;
      let tooLarge = false;
      try {
        const answer = await rawRequest<{ kind?: string; items?: ItemStatus[] }>(kc, "POST", path, { body: { apiVersion: "v1", kind: "List", metadata: {}, items: creates.map((c) => c.body) } });
        if (answer?.kind === "List" && answer.items?.length === creates.length) statuses = answer.items;
      } catch (err) {
        const code = apiStatusCode(err) ?? 0;
        // Over the server's body limit (large messages): these go one by one, the next List as usual.
        tooLarge = code === 413;
        if (!tooLarge && ![400, 404, 405, 415, 422].includes(code)) {
          for (const { r } of creates) r.reject(err);
          return;
        }
      }
      if (statuses) {
        statuses.forEach((status, i) => {
          const { key, r, body } = creates[i]!;
          if (status.status !== "Success") return r.reject(new Error(`Event ${body.metadata?.name ?? ""}: ${status.message ?? "not created"}`));
          const created = { ...body, metadata: { ...body.metadata, uid: status.details?.uid } };
          remember(key, created, r.now);
          r.resolve(created);
        });
        return;
      }
      if (!tooLarge) {
        // Refused (or answered as another server would): this API server creates Events one at a time.
        oneByOne = true;
        log.warn({ namespace }, "the API server does not take a List of Events; writing them one request each");
      }
    }
    for (const { key, r, body } of creates) {
      try {
        const created = await rawRequest<CoreV1Event>(kc, "POST", path, { body });
        remember(key, created, r.now);
        r.resolve(created);
      } catch (err) {
        r.reject(err);
      }
    }
  }

  async function writeBatch(batch: Recorded[]): Promise<void> {
    const creates = new Map<string, { key: string; r: Recorded; body: CoreV1Event }[]>();
    const bumps: Promise<void>[] = [];
    const create = (key: string, r: Recorded) => {
      const body = eventBody(r.involved, r.event, r.now);
      const namespace = body.metadata!.namespace!;
      (creates.get(namespace) ?? creates.set(namespace, []).get(namespace)!).push({ key, r, body });
    };
    for (const r of batch) {
      const key = aggregationKey(r);
      const earlier = windowMs > 0 ? recent.get(key) : undefined;
      if (earlier && r.now.getTime() - earlier.firstAt < windowMs) {
        bumps.push(bump(key, r).then((updated) => (updated ? r.resolve(updated) : createAll(r.involved.metadata?.namespace || "default", [{ key, r, body: eventBody(r.involved, r.event, r.now) }])), r.reject));
      } else create(key, r);
    }
    await Promise.all([...bumps, ...[...creates].map(([namespace, list]) => createAll(namespace, list))]);
  }

  return {
    record(involved, event) {
      if (closed) return Promise.reject(new Error("event dropped: the recorder is closed (the process is stopping)"));
      if (waiting.length >= maxQueued) {
        dropped++;
        if (dropped % 100 === 1) log.warn({ dropped, waiting: waiting.length }, "too many Kubernetes Events waiting to be written; dropping");
        return Promise.reject(new Error(`event dropped: ${waiting.length} events already waiting to be written`));
      }
      const now = new Date();
      return new Promise<CoreV1Event>((resolve, reject) => {
        waiting.push({ involved, event, now, resolve, reject });
        schedule();
      });
    },
    async close(timeoutMs) {
      closed = true;
      launch();
      if (writing > 0 || waiting.length > 0) {
        const timeout = new AbortController();
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), sleep(timeoutMs, undefined, { signal: timeout.signal }).catch(() => undefined)]);
        timeout.abort();
      }
      const left = writing + waiting.length;
      // Not written in time: dropped, as past maxQueued (their writes would reach a stopped API server).
      for (const r of waiting.splice(0)) r.reject(new Error("event dropped: the recorder closed before it was written"));
      if (left > 0) log.warn({ unwritten: left }, "stopping with Kubernetes Events not yet written; dropping them");
      return left;
    },
  };
}
