import { defaultEgressGuard, type EgressGuard } from "@ark/engine";

export interface MemoryProbeResult {
  ok: boolean;
  message: string;
}

/**
 * GET <address>/ready, or /health when the service has no /ready (404/405): a 2xx answer means available.
 * Never throws; a refused connection or a timeout is reported as unavailable.
 */
export async function probeMemoryService(address: string, timeoutMs: number, egress: EgressGuard = defaultEgressGuard): Promise<MemoryProbeResult> {
  const base = address.replace(/\/+$/, "");
  let last = "";
  for (const path of ["/ready", "/health"]) {
    let status: number;
    try {
      const response = await egress.fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "ark-controller" } });
      await response.body?.cancel().catch(() => undefined);
      status = response.status;
    } catch (error) {
      return { ok: false, message: `memory service at ${base} is not reachable: ${reasonOf(error)}` };
    }
    if (status >= 200 && status < 300) return { ok: true, message: `memory service at ${base} answered GET ${path} with ${status}` };
    last = `GET ${path} answered ${status}`;
    if (status !== 404 && status !== 405) break;
  }
  return { ok: false, message: `memory service at ${base} is not ready: ${last}` };
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
