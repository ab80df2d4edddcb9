import { defaultEgressGuard, type EgressGuard } from "@ark/engine";

/** What GETting a service's probe paths found: the status of the last path asked, or why nothing answered. */
export type HttpProbe = { reached: true; path: string; status: number } | { reached: false; reason: string };

export interface HttpProbeOptions {
  timeoutMs: number;
  egress?: EgressGuard | undefined;
  headers?: Record<string, string>;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/**
 * GETs `<base><path>` for each path in turn, going on to the next only while the service has no such path (404/405).
 * Never throws; a refused connection or a timeout is `reached: false`.
 */
export async function probeHttp(base: string, paths: readonly string[], options: HttpProbeOptions): Promise<HttpProbe> {
  const egress = options.egress ?? defaultEgressGuard;
  let answered: HttpProbe = { reached: false, reason: "no path to probe" };
  for (const path of paths) {
    try {
      const response = await egress.fetch(`${base}${path}`, { signal: AbortSignal.timeout(options.timeoutMs), headers: { "user-agent": "ark-controller", ...options.headers } });
      await response.body?.cancel().catch(() => undefined);
      answered = { reached: true, path, status: response.status };
    } catch (error) {
      return { reached: false, reason: unreachableReason(error) };
    }
    if (isSuccess(answered.status) || (answered.status !== 404 && answered.status !== 405)) break;
  }
  return answered;
}

/** Why a fetch got no answer, in a few words: "timed out", the socket's code (ECONNREFUSED), or the error's message. */
function unreachableReason(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code || cause?.message || (error instanceof Error ? error.message : String(error));
}
