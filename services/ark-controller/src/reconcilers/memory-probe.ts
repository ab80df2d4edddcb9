import type { EgressGuard } from "@ark/engine";
import { isSuccess, probeHttp } from "./http-probe.js";

export interface MemoryProbeResult {
  ok: boolean;
  message: string;
}

/**
 * GET <address>/ready, or /health when the service has no /ready (404/405): a 2xx answer means available.
 * Never throws; a refused connection or a timeout is reported as unavailable.
 */
export async function probeMemoryService(address: string, timeoutMs: number, egress?: EgressGuard, headers: Record<string, string> = {}): Promise<MemoryProbeResult> {
  const base = address.replace(/\/+$/, "");
  const probe = await probeHttp(base, ["/ready", "/health"], { timeoutMs, egress, headers });
  if (!probe.reached) return { ok: false, message: `memory service at ${base} is not reachable: ${probe.reason}` };
  if (isSuccess(probe.status)) return { ok: true, message: `memory service at ${base} answered GET ${probe.path} with ${probe.status}` };
  return { ok: false, message: `memory service at ${base} is not ready: GET ${probe.path} answered ${probe.status}` };
}
