import { connectInProcess, inProcessApiOf, withKeepAlive } from "@ark/kube";
import { identityGrants, type ArkServiceIdentity } from "@ark/types";
import { KubeConfig } from "@kubernetes/client-node";

/** The namespace of the stack's ServiceAccounts, and of ark-api's key Secrets (ARK_API_KEYS_NAMESPACE's default). */
export const SERVICE_NAMESPACE = "ark-system";

/** The stack's in-process services that call the Kubernetes API, and the identities of service-rules.ts each holds. */
const STACK_IDENTITIES: Readonly<Record<string, readonly ArkServiceIdentity[]>> = {
  // One process runs both roles here, so one identity holds both roles' rules.
  "ark-controller": ["ark-controller-reconciler", "ark-controller-worker"],
  "ark-api": ["ark-api"],
  "ark-mcp": ["ark-mcp"],
  "evaluator-llm": ["evaluator-llm"],
  "ark-api-a2a": ["ark-api-a2a"],
};

/**
 * The rules a dev-stack service gets, from packages/types' service-rules.ts. The stack serves one person, so what a
 * cluster grants per listed namespace (ark-api's Secrets of its callers) is granted in every namespace the person
 * creates, and ark-api may create namespaces; the key Secrets stay in their own namespace.
 */
export function stackIdentityRules(service: string, keysNamespace: string = SERVICE_NAMESPACE) {
  const identities = STACK_IDENTITIES[service];
  if (!identities) throw new Error(`${service} has no identity in the dev stack`);
  return identityGrants(identities, { serviceNamespace: SERVICE_NAMESPACE, keysNamespace, secretNamespaces: "all", rbacCreateNamespaces: true });
}

/** `kc` (the stack's way to ark-apiserver: socket or HTTPS) with the service's own token instead of the admin's. */
export function kubeConfigWithToken(kc: KubeConfig, token: string, socketPath?: string): KubeConfig {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the stack's kubeconfig has no cluster");
  const next = new KubeConfig();
  next.loadFromOptions({
    clusters: [cluster],
    users: [{ name: "service", token }],
    contexts: [{ name: "service", cluster: cluster.name, user: "service" }],
    currentContext: "service",
  });
  withKeepAlive(next, socketPath ? { socketPath } : {});
  // A service in the apiserver's process calls it in process, as its own ServiceAccount still (the token above).
  const inProcess = inProcessApiOf(kc);
  return inProcess ? connectInProcess(next, inProcess) : next;
}
