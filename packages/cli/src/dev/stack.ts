import type { RunningEntry, ServiceEntry, StackContext } from "./stack-context.js";

export type ServiceState = { name: string; state: "running"; running: RunningEntry } | { name: string; state: "skipped"; reason: string } | { name: string; state: "failed"; error: Error };

export interface RunningStack {
  services: ServiceState[];
  /** Stops the running services in reverse start order; errors are collected, not thrown. Idempotent. */
  stop(): Promise<Error[]>;
}

/** Thrown when `interrupt` fired while starting (Ctrl-C during the start); what had started is stopped. */
export class StackInterrupted extends Error {
  override readonly name = "StackInterrupted";
}

/** Starts the entries in order; a required one that fails stops what started and throws. */
export async function startStack(entries: readonly ServiceEntry[], ctx: StackContext, interrupt?: AbortSignal): Promise<RunningStack> {
  const services: ServiceState[] = [];
  let stopping: Promise<Error[]> | undefined;
  const stop = () => (stopping ??= stopAll(services));

  for (const entry of entries) {
    if (interrupt?.aborted) {
      await stop();
      throw new StackInterrupted("interrupted while starting");
    }
    const reason = entry.skip?.(ctx);
    if (reason) {
      services.push({ name: entry.name, state: "skipped", reason });
      continue;
    }
    try {
      const running = await entry.start(ctx);
      ctx.urls.set(entry.name, new URL(running.url).origin);
      services.push({ name: entry.name, state: "running", running });
    } catch (cause) {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      if (entry.required) {
        await stop();
        throw new Error(`${entry.name} failed to start: ${error.message}`, { cause });
      }
      ctx.logger.error({ err: error, service: entry.name }, `${entry.name} failed to start; the stack goes on without it`);
      services.push({ name: entry.name, state: "failed", error });
    }
  }
  return { services, stop };
}

async function stopAll(services: readonly ServiceState[]): Promise<Error[]> {
  const errors: Error[] = [];
  for (const service of [...services].reverse()) {
    if (service.state !== "running") continue;
    try {
      await service.running.stop();
    } catch (err) {
      errors.push(new Error(`${service.name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    }
  }
  return errors;
}
