import type { KubeConfig } from "@kubernetes/client-node";
import type { InProcessApi } from "@ark/types";

interface Connection {
  api: InProcessApi;
  /** The kubeconfig's bearer token as the header, read once (these kubeconfigs carry a fixed token). */
  authorization: string | undefined;
}

const connections = new WeakMap<KubeConfig, Connection>();

/**
 * Makes rawRequest answer `kc`'s calls, and `watchFor(kc)` its watches, through ark-apiserver's in-process API (same
 * process, no socket; see docs/architecture.md §2.2); client-node's generated clients keep using `kc`'s server. Returns `kc`.
 */
export function connectInProcess(kc: KubeConfig, api: InProcessApi): KubeConfig {
  const token = kc.getCurrentUser()?.token;
  connections.set(kc, { api, authorization: token ? `Bearer ${token}` : undefined });
  return kc;
}

/** The in-process API `kc` was connected to, if any (a kubeconfig derived from it can be connected too). */
export function inProcessApiOf(kc: KubeConfig): InProcessApi | undefined {
  return connections.get(kc)?.api;
}

export function inProcessConnection(kc: KubeConfig): Connection | undefined {
  return connections.get(kc);
}
