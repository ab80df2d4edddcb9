import * as k8s from "@kubernetes/client-node";

export const GROUP = "ark.mckinsey.com";
export const VERSION = "v1alpha1";

/** The typed clients services use, on one kubeconfig. */
export function clientsFor(kc: k8s.KubeConfig) {
  return {
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    core: kc.makeApiClient(k8s.CoreV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
  };
}

/** The Agents resource, as CustomObjectsApi calls take it. */
export const AGENTS = { group: GROUP, version: VERSION, plural: "agents" };

/** Create and get Agents (namespace `default` unless given) through `clients()`, read at call time (suites set it in beforeAll). */
export function agentCalls(clients: () => ReturnType<typeof clientsFor>) {
  return {
    create: (body: AgentObject, namespace = "default") => clients().custom.createNamespacedCustomObject({ ...AGENTS, namespace, body }) as Promise<AgentObject>,
    get: (name: string, namespace = "default") => clients().custom.getNamespacedCustomObject({ ...AGENTS, namespace, name }) as Promise<AgentObject>,
  };
}

export const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

export interface AgentObject {
  apiVersion: string;
  kind: string;
  metadata: k8s.V1ObjectMeta;
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export function agent(name: string, spec: Record<string, unknown> = {}, metadata: Partial<k8s.V1ObjectMeta> = {}): AgentObject {
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "Agent",
    metadata: { name, ...metadata },
    spec: { prompt: "You help.", modelRef: { name: "default" }, ...spec },
  };
}

/** The Kubernetes Status of a failed client-node call. */
export async function statusOf(call: Promise<unknown>): Promise<{ code: number; body: Record<string, any> }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof k8s.ApiException) {
      const body = typeof err.body === "string" ? (JSON.parse(err.body) as Record<string, any>) : (err.body as Record<string, any>);
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error("expected the call to fail");
}
