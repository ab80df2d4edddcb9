import type { EgressGuard } from "@ark/engine";
import { patchStatus, type ArkObject, type EventRecorder, type InformerCache, type KindClient, type MergePatch, type ReconcileResult, type ValueSourceReader } from "@ark/kube";
import type { Condition } from "@ark/types";
import { discoveryStatus, goDurationMs, type DiscoveryConditions } from "./discovery-status.js";
import type { ArkResources } from "../resources.js";
import { ProbeSchedule, type LastProbe } from "./probe-schedule.js";

/** What the reconciler of a discovered kind needs besides the two caches (servers and children). */
export interface DiscoveryDeps {
  resources: Pick<ArkResources, "ark" | "resolveValueSource">;
  /** Secrets and ConfigMaps of `spec.headers`. */
  values: ValueSourceReader;
  events: EventRecorder;
  /** Where tenant servers may be reached (metadata addresses refused whatever the configuration). */
  egress?: EgressGuard;
}

type DiscoveredServer = ArkObject<{ pollInterval?: string | undefined }, { conditions?: Condition[]; observedGeneration?: number }>;

/** A server kind whose children are discovered from the server it names: MCPServer (Tools), A2AServer (its Agent). */
export interface DiscoveredKind<S extends DiscoveredServer, Outcome extends { ok: boolean }, Memo> {
  cache: InformerCache<S>;
  defaultPollMs: number;
  /** The conditions of a server with none yet, written before its first discovery. */
  initializing: DiscoveryConditions;
  /** Not due yet: what may be done without asking the server (e.g. put back children edited by hand). */
  betweenPolls?(server: S, last: LastProbe<Memo>): Promise<void>;
  discover(server: S): Promise<Outcome>;
  /** What to remember of this discovery until the next one (`last`: the one before). */
  memo?(outcome: Outcome, last: LastProbe<Memo> | undefined): Memo;
  /** Applies the outcome: children and status. */
  settle(server: S, outcome: Outcome, memo: Memo | undefined): Promise<void>;
}

/**
 * The reconciler of a discovered kind: discover every spec.pollInterval (0: never again), on a change, and sooner
 * after failures (1 s doubling, at most the interval or 5 min).
 */
export function discoveryReconciler<S extends DiscoveredServer, Outcome extends { ok: boolean }, Memo = undefined>(
  kind: DiscoveredKind<S, Outcome, Memo>,
  writeStatus: (server: S, conditions: DiscoveryConditions) => Promise<S | undefined>,
) {
  const discoveries = new ProbeSchedule<Memo>({ retryBaseMs: 1_000, retryMaxMs: 300_000 });
  const requeue = (ms: number): ReconcileResult | undefined => (ms < Infinity ? { requeueAfter: ms } : undefined);

  return async (key: string): Promise<ReconcileResult | void> => {
    let server = discoveries.objectOf(key, kind.cache);
    if (!server) return;
    const pollMs = goDurationMs(server.spec.pollInterval, kind.defaultPollMs);
    const last = discoveries.current(key, server);
    if (last) {
      const due = discoveries.dueIn(last, pollMs);
      if (due > 0) {
        await kind.betweenPolls?.(server, last);
        return requeue(due);
      }
    }
    if (!server.status?.conditions?.length) server = (await writeStatus(server, kind.initializing)) ?? server;
    const outcome = await kind.discover(server);
    const memo = kind.memo?.(outcome, last);
    const { failures } = discoveries.record(key, server, "", outcome.ok, last, memo);
    await kind.settle(server, outcome, memo);
    return requeue(discoveries.delay(failures, pollMs));
  };
}

/** Writes a discovered server's status (the conditions given, `extra`, observedGeneration); the server as written, or undefined when nothing changed. */
export function discoveryStatusWriter<Spec, Status extends object>(client: Pick<KindClient<Spec, Status, unknown>, "patchStatus">) {
  return async (server: ArkObject<Spec, Status>, conditions: DiscoveryConditions, extra: MergePatch<Status> = {} as MergePatch<Status>): Promise<ArkObject<Spec, Status> | undefined> =>
    patchStatus(client, server, discoveryStatus(server as DiscoveredServer, conditions, extra as object) as MergePatch<Status>);
}

/** Records an Event on the object, never failing the reconcile. */
export function recordEvent(events: EventRecorder, obj: ArkObject<unknown, unknown>, type: "Normal" | "Warning", reason: string, message: string): void {
  void events.record(obj, { type, reason, message }).catch(() => undefined);
}
