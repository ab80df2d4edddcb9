import { KubeConfig } from "@kubernetes/client-node";

export interface LoadKubeConfigOptions {
  /** A kubeconfig file; wins over KUBECONFIG and in-cluster config. */
  kubeconfigPath?: string;
}

/** The API to talk to: the given file, else KUBECONFIG, else in-cluster, else ~/.kube/config (client-node's loadFromDefault). */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) {
    throw new Error("no Kubernetes API configured: set KUBECONFIG, run in a cluster, or write ~/.kube/config");
  }
  return kc;
}
