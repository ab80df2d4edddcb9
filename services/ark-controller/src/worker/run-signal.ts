import { EngineError } from "@ark/engine";

export interface RunSignal {
  signal: AbortSignal;
  /** Whether the query's deadline (not a cancel or a shutdown) ended the run. */
  readonly timedOut: boolean;
  dispose(): void;
}

/**
 * The bus's signal (cancel, shutdown) joined with the query's deadline, which the controller fixed when it
 * enqueued the run, so time spent waiting in the queue counts against spec.timeout.
 */
export function runSignal(busSignal: AbortSignal, deadline: string | undefined, timeoutMessage: string): RunSignal {
  const controller = new AbortController();
  let timedOut = false;
  const onBusAbort = (): void => controller.abort(busSignal.reason);
  if (busSignal.aborted) onBusAbort();
  else busSignal.addEventListener("abort", onBusAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  if (deadline !== undefined) {
    const expire = (): void => {
      timedOut = true;
      controller.abort(new EngineError("TIMEOUT", timeoutMessage));
    };
    const remaining = Date.parse(deadline) - Date.now();
    if (remaining <= 0) expire();
    else timer = setTimeout(expire, remaining);
  }
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      busSignal.removeEventListener("abort", onBusAbort);
    },
  };
}
