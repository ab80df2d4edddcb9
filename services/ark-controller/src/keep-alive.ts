import { KubeConfig } from "@kubernetes/client-node";

/**
 * A copy of `kc` whose API calls share one keep-alive agent. client-node 1.4 builds a new https.Agent per
 * request, so every call pays a TLS handshake on both ends (measured: half the controller's throughput).
 * Stopgap until @ark/kube's loadKubeConfig does this; it relies on client-node's private createAgent.
 */
export function withKeepAlive(kc: KubeConfig): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromString(kc.exportConfig());
  const target = copy as unknown as { createAgent?: (cluster: unknown, options: object) => unknown };
  const original = target.createAgent?.bind(copy);
  if (!original) return copy;
  let agent: unknown;
  target.createAgent = (cluster, options) => (agent ??= original(cluster, { ...options, keepAlive: true }));
  return copy;
}
