import type { ModelProvider } from "./provider.js";

/** A Model's `spec.limits` (an ARK addition, docs/upstream-compat.md §8.3). */
export interface ModelLimits {
  /** Calls to the model in flight at once from this process. */
  concurrentCalls?: number;
  /** Calls started in any 60 s from this process. */
  requestsPerMinute?: number;
}

const MINUTE_MS = 60_000;

/** The calls waiting for and holding one Model's limits; its limits are the Model's latest. */
class ModelGate {
  private limits: ModelLimits = {};
  private inFlight = 0;
  /** Start times of the calls of the last minute, oldest first. */
  private readonly starts: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  setLimits(limits: ModelLimits): void {
    this.limits = limits;
    this.drain();
  }

  /** Resolves with the release function once the call may start; rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const admit = () => {
        signal?.removeEventListener("abort", onAbort);
        this.inFlight += 1;
        this.starts.push(Date.now());
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.inFlight -= 1;
          this.drain();
        });
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(admit);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(admit);
      this.drain();
    });
  }

  /** Admits waiting calls in order while the limits allow; wakes itself when the minute window frees a start. */
  private drain(): void {
    while (this.waiting.length > 0) {
      const { concurrentCalls, requestsPerMinute } = this.limits;
      if (concurrentCalls !== undefined && this.inFlight >= concurrentCalls) return;
      if (requestsPerMinute !== undefined) {
        const now = Date.now();
        while (this.starts.length > 0 && this.starts[0]! <= now - MINUTE_MS) this.starts.shift();
        if (this.starts.length >= requestsPerMinute) {
          if (!this.timer) {
            this.timer = setTimeout(
              () => {
                this.timer = undefined;
                this.drain();
              },
              this.starts[0]! + MINUTE_MS - now,
            );
          }
          return;
        }
      } else {
        this.starts.length = 0;
      }
      this.waiting.shift()!();
    }
  }
}

/** One gate per Model resource, for every query of this process. */
export class ModelCallLimiter {
  private readonly gates = new Map<string, ModelGate>();

  /** The provider whose calls wait for the Model's limits; the provider itself when it sets none. */
  limit(provider: ModelProvider, resource: string, limits: ModelLimits | undefined): ModelProvider {
    const gate = this.gates.get(resource);
    if (!limits || (limits.concurrentCalls === undefined && limits.requestsPerMinute === undefined)) {
      // Limits removed: calls already waiting go on as soon as they may.
      gate?.setLimits({});
      return provider;
    }
    const current = gate ?? new ModelGate();
    current.setLimits(limits);
    this.gates.set(resource, current);
    return {
      type: provider.type,
      model: provider.model,
      description: provider.description,
      async chat(request) {
        const release = await current.acquire(request.signal);
        try {
          return await provider.chat(request);
        } finally {
          release();
        }
      },
    };
  }
}

/** The process-wide limiter createModelProvider uses unless ProviderOptions names another. */
export const processModelLimiter = new ModelCallLimiter();
