import type { EgressGuard } from "@ark/engine";
import { apiErrorMessage, resolveHeaders, type EventRecorder, type InformerCache, type Memory } from "@ark/kube";
import { AVAILABLE_CONDITION, AvailableReasons } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { probeMemoryService } from "./memory-probe.js";
import { addressProbeReconciler, resolveAddressVerdict, type AddressVerdict } from "./address-probe.js";

const MEMORY_PROBE_INTERVAL_MS = 60_000;
const MEMORY_PROBE_TIMEOUT_MS = 5_000;

export interface MemoryReconcilerDeps {
  memories: InformerCache<Memory>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource" | "values">;
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
  const timeoutMs = deps.probeTimeoutMs ?? MEMORY_PROBE_TIMEOUT_MS;
  return addressProbeReconciler({
    cache: deps.memories,
    client: deps.resources.ark.memories,
    events: deps.events,
    intervalMs: deps.probeIntervalMs ?? MEMORY_PROBE_INTERVAL_MS,
    resolve: async (memory): Promise<Verdict> => {
      const verdict = await resolveAddressVerdict(deps.resources.resolveValueSource, memory.spec.address, memory.metadata.namespace ?? "", {
        empty: "Invalid address: address cannot be empty",
      });
      return { ...verdict, detail: verdict.message };
    },
    probe: async (memory, address): Promise<Verdict> => {
      let headers: Record<string, string>;
      try {
        headers = await resolveHeaders(memory.spec.headers, memory.metadata.namespace ?? "", deps.resources.values);
      } catch (error) {
        const message = `Failed to resolve headers: ${apiErrorMessage(error)}`;
        return { ok: false, reason: AvailableReasons.AddressResolutionFailed, message, detail: message, address };
      }
      const result = await probeMemoryService(address, timeoutMs, deps.egress, headers);
      return result.ok
        ? { ok: true, reason: AvailableReasons.ProbeSucceeded, message: "Memory address resolved and validated", detail: result.message, address }
        : { ok: false, reason: AvailableReasons.ProbeFailed, message: `Memory service not available: ${result.message}`, detail: result.message, address };
    },
    conditions: (verdict) => [{ type: AVAILABLE_CONDITION, status: verdict.ok ? "True" : "False", reason: verdict.reason, message: verdict.detail }],
    resolvedMessage: (address) => `Successfully resolved address: ${address}`,
  });
}
