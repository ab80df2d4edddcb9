// The bench's client as a process of its own, as a user's client is: its HTTP, TLS and watch work is not charged to
// (nor competes for the main thread of) the stack it measures, which matters for the embedded stack's one process.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { DriveResult } from "./drive.js";
import type { LaneResult, RestVia } from "./rest.js";
import type { SlowBatch } from "./slow-model.js";

export type ClientRequest =
  | { op: "drive"; kubeconfigPath: string; namespace: string; options: { count: number; inFlight: number; prefix: string } }
  | { op: "slowBatch"; kubeconfigPath: string; namespace: string; count: number; prefix: string }
  | { op: "countEvents"; kubeconfigPath: string; namespace: string; prefix: string; expected: number }
  | { op: "rest"; apiUrl: string; namespace: string; via: RestVia; count: number; inFlight: number; prefix: string };

export interface BenchClient {
  pid: number;
  /** driveQueries in the client process. */
  drive(kubeconfigPath: string, namespace: string, options: { count: number; inFlight: number; prefix: string }): Promise<DriveResult>;
  /** slowBatch in the client process. */
  slowBatch(kubeconfigPath: string, namespace: string, count: number, prefix: string): Promise<SlowBatch>;
  /** countQueryEvents in the client process. */
  countEvents(kubeconfigPath: string, namespace: string, prefix: string, expected: number): Promise<number>;
  /** `count` queries through ark-api (`via` ?wait= or SSE), `inFlight` at a time, in the client process. */
  rest(apiUrl: string, namespace: string, run: { via: RestVia; count: number; inFlight: number; prefix: string }): Promise<LaneResult>;
  close(): Promise<void>;
}

export async function startBenchClient(): Promise<BenchClient> {
  // The same node flags as this script (tsx, the source conditions).
  const child: ChildProcess = fork(join(import.meta.dirname, "client-process.ts"), [], { execArgv: process.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  let nextId = 0;
  child.on("message", (message: { id: number; result?: unknown; error?: string }) => {
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) call?.reject(new Error(`bench client: ${message.error}`));
    else call?.resolve(message.result);
  });
  child.on("exit", (code) => {
    for (const call of pending.values()) call.reject(new Error(`bench client exited (${code})`));
    pending.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  const call = <T>(request: ClientRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });
  return {
    pid: child.pid ?? 0,
    drive: (kubeconfigPath, namespace, options) => call<DriveResult>({ op: "drive", kubeconfigPath, namespace, options }),
    slowBatch: (kubeconfigPath, namespace, count, prefix) => call<SlowBatch>({ op: "slowBatch", kubeconfigPath, namespace, count, prefix }),
    countEvents: (kubeconfigPath, namespace, prefix, expected) => call<number>({ op: "countEvents", kubeconfigPath, namespace, prefix, expected }),
    rest: (apiUrl, namespace, run) => call<LaneResult>({ op: "rest", apiUrl, namespace, ...run }),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exited;
    },
  };
}
