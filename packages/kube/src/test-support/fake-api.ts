import { KubeConfig } from "@kubernetes/client-node";

/** A kubeconfig for a fake API server of a test, over plain HTTP with a dummy token. */
export function kubeConfigForUrl(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server, skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  return kc;
}
