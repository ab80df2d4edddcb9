import type { EgressGuard } from "@ark/engine";
import {
  apiErrorMessage,
  patchStatus,
  splitKey,
  type EventRecorder,
  type InformerCache,
  type Memory,
  type MergePatch,
  type ReconcileResult,
} from "@ark/kube";
import { AVAILABLE_CONDITION, AvailableReasons, type MemoryStatus } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { probeMemoryService } from "./memory-probe.js";
import { addressStatus, probeAddressWhenDue, type AddressVerdict } from "./address-probe.js";
import { ProbeSchedule } from "./probe-schedule.js";

const MEMORY_PROBE_INTERVAL_MS = 60_000;
const MEMORY_PROBE_TIMEOUT_MS = 5_000;

export interface MemoryReconcilerDeps {
  memories: InformerCache<Memory>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource">;
  events: EventRecorder;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  /** Where memory services may be reached (metadata addresses refused by default). */
  egress?: EgressGuard;
}

interface Verdict extends AddressVerdict {
  /** The Available condition's message (status.message has upstream's wording). */
  detail: string;
}

/**
 * Memory (docs/upstream-compat.md §5.4 plus a health probe): resolve spec.address → lastResolvedAddress, GET /ready (or /health)
 * → Available and phase ready/error; probe again when the address changes, every interval, and sooner after a failure.
 */
export function memoryReconciler(deps: MemoryReconcilerDeps) {
  const intervalMs = deps.probeIntervalMs ?? MEMORY_PROBE_INTERVAL_MS;
  const timeoutMs = deps.probeTimeoutMs ?? MEMORY_PROBE_TIMEOUT_MS;
  // After failures, probe again sooner: 2 s doubling, never later than the interval.
  const probes = new ProbeSchedule({ retryBaseMs: 2_000 });

  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const memory = deps.memories.get(namespace, name);
    if (!memory) {
      probes.forget(key);
      return;
    }
    const checked = await probeAddressWhenDue(probes, key, memory, { intervalMs, resolve: () => resolveAddress(memory), probe });
    if ("dueIn" in checked) return { requeueAfter: checked.dueIn };
    const { verdict } = checked;
    const desired: MergePatch<MemoryStatus> = addressStatus(memory, {
      ready: verdict.ok,
      message: verdict.message,
      address: verdict.address,
      conditions: [{ type: AVAILABLE_CONDITION, status: verdict.ok ? "True" : "False", reason: verdict.reason, message: verdict.detail }],
    });
    await patchStatus(deps.resources.ark.memories, memory, desired);
    if (verdict.address && verdict.address !== memory.status?.lastResolvedAddress) {
      void deps.events
        .record(memory, { type: "Normal", reason: AvailableReasons.AddressResolved, message: `Successfully resolved address: ${verdict.address}` })
        .catch(() => undefined);
    }
    return { requeueAfter: checked.requeueAfter };
  };

  async function resolveAddress(memory: Memory): Promise<Verdict> {
    try {
      const address = await deps.resources.resolveValueSource(memory.spec.address, memory.metadata.namespace ?? "");
      if (!address) {
        const message = "Invalid address: address cannot be empty";
        return { ok: false, reason: AvailableReasons.InvalidAddress, message, detail: message };
      }
      return { ok: true, reason: AvailableReasons.AddressResolved, message: "", detail: "", address };
    } catch (error) {
      const message = `Failed to resolve address: ${apiErrorMessage(error)}`;
      return { ok: false, reason: AvailableReasons.AddressResolutionFailed, message, detail: message };
    }
  }

  async function probe(address: string): Promise<Verdict> {
    const result = await probeMemoryService(address, timeoutMs, deps.egress);
    return result.ok
      ? { ok: true, reason: AvailableReasons.ProbeSucceeded, message: "Memory address resolved and validated", detail: result.message, address }
      : { ok: false, reason: AvailableReasons.ProbeFailed, message: `Memory service not available: ${result.message}`, detail: result.message, address };
  }
}
