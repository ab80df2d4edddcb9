import { setTimeout as delay } from "node:timers/promises";

/** A readiness check passes unless it throws or rejects; the signal aborts when it runs out of time. */
export type ReadinessCheck = (signal: AbortSignal) => unknown;

export type CheckResult = { status: "ok" } | { status: "failed"; error: string };

export interface ReadinessReport {
  ready: boolean;
  status: "ready" | "not_ready" | "shutting_down";
  checks: Record<string, CheckResult>;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  const timer = new AbortController();
  const timeout = delay(timeoutMs, undefined, { signal: timer.signal }).then(() => {
    controller.abort();
    throw new Error(`timed out after ${timeoutMs} ms`);
  });
  try {
    await Promise.race([Promise.resolve().then(() => check(controller.signal)), timeout]);
    return { status: "ok" };
  } catch (err) {
    return { status: "failed", error: errorMessage(err) };
  } finally {
    timer.abort();
  }
}

/** The named checks behind GET /ready, plus the shutting-down flag that fails it at once. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  constructor(private readonly timeoutMs: number) {}

  add(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async report(): Promise<ReadinessReport> {
    if (this.shuttingDown) return { ready: false, status: "shutting_down", checks: {} };
    const entries = await Promise.all([...this.checks].map(async ([name, check]) => [name, await runCheck(check, this.timeoutMs)] as const));
    const ready = entries.every(([, result]) => result.status === "ok");
    return { ready, status: ready ? "ready" : "not_ready", checks: Object.fromEntries(entries) };
  }
}
