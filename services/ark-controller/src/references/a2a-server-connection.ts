import type { A2AServerTarget } from "@ark/engine";
import { resolveHeaders, type A2AServer } from "@ark/kube";
import { parseDuration } from "@ark/types";
import type { ArkResources } from "../resources.js";

/** An A2AServer's `spec.address` resolved in its namespace; an empty address is an error. */
export async function a2aServerAddress(server: A2AServer, resources: Pick<ArkResources, "resolveValueSource">): Promise<string> {
  const address = await resources.resolveValueSource(server.spec.address, server.metadata.namespace ?? "");
  if (!address) throw new Error("address cannot be empty");
  return address;
}

/**
 * How to reach an A2AServer (discovery and agent calls alike): address, `spec.headers` and endpoint rules resolved.
 * The worker takes the address from the A2AServer, never from an Agent's annotation, so whoever may edit Agents
 * cannot send the server's headers elsewhere.
 */
export async function a2aServerTarget(server: A2AServer, resources: Pick<ArkResources, "resolveValueSource" | "values">): Promise<A2AServerTarget> {
  const address = await a2aServerAddress(server, resources);
  const headers = await resolveHeaders(server.spec.headers, server.metadata.namespace ?? "", resources.values);
  return {
    address,
    headers,
    endpointResolution: server.spec.endpointResolution,
    ...(server.spec.allowedEndpointHosts ? { allowedEndpointHosts: server.spec.allowedEndpointHosts } : {}),
    ...(server.spec.timeout ? { timeoutMs: parseDuration(server.spec.timeout) } : {}),
  };
}
