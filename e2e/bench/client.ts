// The bench's client as a process of its own, as a user's client is: its HTTP, TLS and watch work is not charged to
// (nor competes for the main thread of) the stack it measures, which matters for the embedded stack's one process.
import { forkBenchChild } from "./child.js";
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
  const child = await forkBenchChild<ClientRequest>("client-process.ts", "bench client");
  return {
    pid: child.pid,
    drive: (kubeconfigPath, namespace, options) => child.call<DriveResult>({ op: "drive", kubeconfigPath, namespace, options }),
    slowBatch: (kubeconfigPath, namespace, count, prefix) => child.call<SlowBatch>({ op: "slowBatch", kubeconfigPath, namespace, count, prefix }),
    countEvents: (kubeconfigPath, namespace, prefix, expected) => child.call<number>({ op: "countEvents", kubeconfigPath, namespace, prefix, expected }),
    rest: (apiUrl, namespace, run) => child.call<LaneResult>({ op: "rest", apiUrl, namespace, ...run }),
    close: () => child.close(),
  };
}
