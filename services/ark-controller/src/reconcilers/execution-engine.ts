import { defaultEgressGuard, type EgressGuard } from "@ark/engine";
import {
  apiErrorMessage,
  patchStatus,
  splitKey,
  type EventRecorder,
  type ExecutionEngine,
  type InformerCache,
  type MergePatch,
  type ReconcileResult,
} from "@ark/kube";
import { AVAILABLE_CONDITION, AvailableReasons, type ExecutionEngineStatus } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { addressStatus, probeAddressWhenDue, type AddressVerdict } from "./address-probe.js";
import { ProbeSchedule } from "./probe-schedule.js";

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
  const intervalMs = deps.probeIntervalMs ?? ENGINE_PROBE_INTERVAL_MS;
  const timeoutMs = deps.probeTimeoutMs ?? ENGINE_PROBE_TIMEOUT_MS;
  const probes = new ProbeSchedule({ retryBaseMs: 2_000 });

  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const engine = deps.engines.get(namespace, name);
    if (!engine) {
      probes.forget(key);
      return;
    }
    const checked = await probeAddressWhenDue(probes, key, engine, { intervalMs, resolve: () => resolveAddress(engine), probe });
    if ("dueIn" in checked) return { requeueAfter: checked.dueIn };
    const { resolved, verdict } = checked;
    const condition = { status: verdict.ok ? ("True" as const) : ("False" as const), reason: verdict.reason, message: verdict.message };
    const desired: MergePatch<ExecutionEngineStatus> = addressStatus(engine, {
      ready: verdict.ok,
      message: verdict.message,
      address: verdict.address,
      conditions: [
        { type: AVAILABLE_CONDITION, ...condition },
        { type: READY_CONDITION, ...condition },
      ],
    });
    await patchStatus(deps.resources.ark.executionEngines, engine, desired);
    if (verdict.address && verdict.address !== engine.status?.lastResolvedAddress) {
      void deps.events.record(engine, { type: "Normal", reason: AvailableReasons.AddressResolved, message: `Address resolved: ${verdict.address}` }).catch(() => undefined);
    } else if (!resolved.ok && engine.status?.phase !== "error") {
      void deps.events.record(engine, { type: "Warning", reason: AvailableReasons.AddressResolutionFailed, message: verdict.message }).catch(() => undefined);
    }
    return { requeueAfter: checked.requeueAfter };
  };

  async function resolveAddress(engine: ExecutionEngine): Promise<AddressVerdict> {
    try {
      const address = await deps.resources.resolveValueSource(engine.spec.address, engine.metadata.namespace ?? "");
      if (!address) return { ok: false, reason: AvailableReasons.InvalidAddress, message: "Failed to resolve address: address cannot be empty" };
      return { ok: true, reason: AvailableReasons.AddressResolved, message: "", address: address.replace(/\/+$/, "") };
    } catch (error) {
      return { ok: false, reason: AvailableReasons.AddressResolutionFailed, message: `Failed to resolve address: ${apiErrorMessage(error)}` };
    }
  }

  async function probe(address: string): Promise<AddressVerdict> {
    const egress = deps.egress ?? defaultEgressGuard;
    let status: number;
    try {
      const response = await egress.fetch(`${address}/health`, { signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "ark-controller" } });
      await response.body?.cancel().catch(() => undefined);
      status = response.status;
    } catch (error) {
      return { ok: false, reason: AvailableReasons.ProbeFailed, message: `execution engine at ${address} is not reachable: ${reasonOf(error)}`, address };
    }
    if (status >= 200 && status < 300) {
      return { ok: true, reason: AvailableReasons.ProbeSucceeded, message: "ExecutionEngine address resolved successfully", address };
    }
    return { ok: false, reason: AvailableReasons.ProbeFailed, message: `execution engine at ${address} is not healthy: GET /health answered ${status}`, address };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
