// The bench's helper processes (the client, the mock model): forked with this script's node flags, called over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export interface BenchChild<R> {
  pid: number;
  /** What the child said it was ready with (serveParent's `ready`). */
  ready: unknown;
  call<T>(request: R): Promise<T>;
  close(): Promise<void>;
}

/** Forks `entry` (a file of e2e/bench) with the same node flags as this script (tsx, the source conditions); resolves once it serves. */
export async function forkBenchChild<R>(entry: string, label: string): Promise<BenchChild<R>> {
  const child: ChildProcess = fork(join(import.meta.dirname, entry), [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let ready!: (value: unknown) => void;
  const serving = new Promise<unknown>((resolve) => (ready = resolve));
  child.on("message", (message: { id: number; result?: unknown; error?: string } | { ready: unknown }) => {
    if ("ready" in message) return ready(message.ready);
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(`${label}: ${message.error}`));
    else call?.resolve(message.result);
  });
  const failed = new Promise<never>((_resolve, reject) => child.once("exit", (code) => reject(new Error(`${label} exited (${code}) before it served`))));
  failed.catch(() => undefined);
  child.on("exit", (code) => {
    for (const call of pending.values()) call.reject(new Error(`${label} exited (${code})`));
    pending.clear();
  });
  const readyWith = await Promise.race([serving, failed]);
  return {
    pid: child.pid ?? 0,
    ready: readyWith,
    call: <T>(request: R) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, request });
      }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exited;
    },
  };
}

/** In a child: answers each request with `handle`'s result, after telling the parent it is `ready`; the parent disconnecting is the stop (`onStop` first). */
export function serveParent<R>(handle: (request: R) => Promise<unknown>, options: { ready?: unknown; onStop?: () => Promise<unknown> } = {}): void {
  const onStop = options.onStop ?? (async () => undefined);
  process.on("message", (message: { id: number; request: R }) => {
    handle(message.request).then(
      (result) => process.send?.({ id: message.id, result }),
      (err: unknown) => process.send?.({ id: message.id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on("disconnect", () => void onStop().finally(() => process.exit(0)));
  process.send?.({ ready: options.ready ?? true });
}
