import { splitKey } from "@ark/kube";
import { backoffDelay } from "@ark/types";

export interface Probed {
  metadata: { uid?: string; generation?: number };
  status?: { observedGeneration?: number } | undefined;
}

export interface LastProbe<Memo> {
  uid: string;
  generation: number | undefined;
  /** What else the probe depended on (e.g. the resolved address): a change means probing again. */
  fingerprint: string;
  at: number;
  /** Probes failed in a row. */
  failures: number;
  memo: Memo | undefined;
}

export interface ProbeScheduleOptions {
  /** After failures, probe again sooner: this much, doubling per failure, never later than the interval. */
  retryBaseMs: number;
  /** And never later than this after a failure (default: the interval). */
  retryMaxMs?: number;
}

/**
 * When each object was last probed and how it went, for reconcilers that check something outside the cluster
 * (a model provider, a memory service, an MCP server): probe on a change (uid, generation, fingerprint, or a status
 * not written for this generation), every interval, and sooner after failures.
 */
export class ProbeSchedule<Memo = undefined> {
  private readonly last = new Map<string, LastProbe<Memo>>();

  constructor(private readonly options: ProbeScheduleOptions) {}

  /** The last probe of the object as it is now, or undefined when it must be probed afresh. */
  current(key: string, obj: Probed, fingerprint = ""): LastProbe<Memo> | undefined {
    const last = this.last.get(key);
    const generation = obj.metadata.generation;
    const same = last && last.uid === (obj.metadata.uid ?? "") && last.generation === generation && last.fingerprint === fingerprint;
    return same && obj.status?.observedGeneration === generation ? last : undefined;
  }

  /** Milliseconds until the next probe after `last` is due (≤ 0: now). */
  dueIn(last: LastProbe<Memo>, intervalMs: number): number {
    return last.at + this.delay(last.failures, intervalMs) - Date.now();
  }

  /** Remembers a probe just made (failures counted on from `current`, the probe before it); returns it. */
  record(key: string, obj: Probed, fingerprint: string, ok: boolean, current: LastProbe<Memo> | undefined, memo?: Memo): LastProbe<Memo> {
    const probe: LastProbe<Memo> = {
      uid: obj.metadata.uid ?? "",
      generation: obj.metadata.generation,
      fingerprint,
      at: Date.now(),
      failures: ok ? 0 : (current?.failures ?? 0) + 1,
      memo,
    };
    this.last.set(key, probe);
    return probe;
  }

  /** When to probe again after `failures` failures in a row. */
  delay(failures: number, intervalMs: number): number {
    if (failures === 0) return intervalMs;
    const maxMs = Math.min(intervalMs, this.options.retryMaxMs ?? intervalMs);
    return Math.min(intervalMs, backoffDelay(failures, { baseMs: this.options.retryBaseMs, maxMs }));
  }

  forget(key: string): void {
    this.last.delete(key);
  }

  /** The object `key` names in the cache; gone, its probes are forgotten and the answer is undefined. */
  objectOf<T>(key: string, cache: { get(namespace: string, name: string): T | undefined }): T | undefined {
    const { namespace, name } = splitKey(key);
    const obj = cache.get(namespace, name);
    if (!obj) this.forget(key);
    return obj;
  }
}
