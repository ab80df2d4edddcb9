import type { A2AServerTarget } from "@ark/engine";
import { resolveHeaders, type A2AServer } from "@ark/kube";
import { parseDuration } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { serverAddress } from "./server-address.js";

/**
 * How to reach an A2AServer (discovery and agent calls alike): address, `spec.headers` and endpoint rules resolved.
 * The worker takes the address from the A2AServer, never from an Agent's annotation, so whoever may edit Agents
 * cannot send the server's headers elsewhere.
 */
export async function a2aServerTarget(server: A2AServer, resources: Pick<ArkResources, "resolveValueSource" | "values">, queryParameters?: Record<string, string>): Promise<A2AServerTarget> {
  const address = await serverAddress(server, resources);
  // A query-parameter header goes only on a query's calls (`queryParameters`), not on discovery.
  const headers = await resolveHeaders(server.spec.headers, server.metadata.namespace ?? "", resources.values, queryParameters ? { queryParameters } : {});
  return {
    address,
    headers,
    endpointResolution: server.spec.endpointResolution,
    ...(server.spec.allowedEndpointHosts ? { allowedEndpointHosts: server.spec.allowedEndpointHosts } : {}),
    ...(server.spec.timeout ? { timeoutMs: parseDuration(server.spec.timeout) } : {}),
  };
}
