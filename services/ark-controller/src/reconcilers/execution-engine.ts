import type { EgressGuard } from "@ark/engine";
import type { EventRecorder, ExecutionEngine, InformerCache } from "@ark/kube";
import { AVAILABLE_CONDITION, AvailableReasons } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { addressProbeReconciler, resolveAddressVerdict, type AddressVerdict } from "./address-probe.js";
import { isSuccess, probeHttp } from "./http-probe.js";

const ENGINE_PROBE_INTERVAL_MS = 60_000;
const ENGINE_PROBE_TIMEOUT_MS = 5_000;
/** Written with the same status as Available, for `kubectl wait --for=condition=Ready`. */
const READY_CONDITION = "Ready";

export interface ExecutionEngineReconcilerDeps {
  engines: InformerCache<ExecutionEngine>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource">;
  events: EventRecorder;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  /** Where engines may be reached (metadata addresses refused by default). */
  egress?: EgressGuard;
}

/**
 * ExecutionEngine (docs/upstream-compat.md §5.5 plus a health probe): resolve spec.address → lastResolvedAddress,
 * GET <address>/health → Available and Ready, phase ready/error; probed again when the address changes, every
 * interval, and sooner after a failure.
 */
export function executionEngineReconciler(deps: ExecutionEngineReconcilerDeps) {
  const timeoutMs = deps.probeTimeoutMs ?? ENGINE_PROBE_TIMEOUT_MS;
  return addressProbeReconciler({
    cache: deps.engines,
    client: deps.resources.ark.executionEngines,
    events: deps.events,
    intervalMs: deps.probeIntervalMs ?? ENGINE_PROBE_INTERVAL_MS,
    resolve: async (engine) => {
      const verdict = await resolveAddressVerdict(deps.resources.resolveValueSource, engine.spec.address, engine.metadata.namespace ?? "", {
        empty: "Failed to resolve address: address cannot be empty",
      });
      return verdict.address ? { ...verdict, address: verdict.address.replace(/\/+$/, "") } : verdict;
    },
    probe: async (_engine, address): Promise<AddressVerdict> => {
      const probe = await probeHttp(address, ["/health"], { timeoutMs, egress: deps.egress });
      if (!probe.reached) return { ok: false, reason: AvailableReasons.ProbeFailed, message: `execution engine at ${address} is not reachable: ${probe.reason}`, address };
      if (isSuccess(probe.status)) return { ok: true, reason: AvailableReasons.ProbeSucceeded, message: "ExecutionEngine address resolved successfully", address };
      return { ok: false, reason: AvailableReasons.ProbeFailed, message: `execution engine at ${address} is not healthy: GET /health answered ${probe.status}`, address };
    },
    conditions: (verdict) => {
      const condition = { status: verdict.ok ? ("True" as const) : ("False" as const), reason: verdict.reason, message: verdict.message };
      return [
        { type: AVAILABLE_CONDITION, ...condition },
        { type: READY_CONDITION, ...condition },
      ];
    },
    resolvedMessage: (address) => `Address resolved: ${address}`,
    warnUnresolved: true,
  });
}
