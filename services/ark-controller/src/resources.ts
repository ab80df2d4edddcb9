import type { ConfigValueReader, ValueSourceResolver } from "@ark/engine";
import { apiValueSourceReader, createArkClient, createCoreClient, impersonating, resolveValueSource, serviceAccountUser, type ArkClient, type CoreClient, type ValueSourceReader } from "@ark/kube";
import type { KubeConfig } from "@kubernetes/client-node";

/** How the controller and the workers reach resources: typed clients and value-source reads. */
export interface ArkResources {
  ark: ArkClient;
  core: CoreClient;
  /** A ValueSource in a namespace → its value (Secret, ConfigMap, Service or literal). */
  resolveValueSource: ValueSourceResolver;
  /** Secret and ConfigMap keys, for Agent and Query parameters. */
  configValues: ConfigValueReader;
  /** The raw reader beneath both (MCPServer headers). */
  values: ValueSourceReader;
}

/** Resources read straight from the API (reconcilers pass a cache-backed reader instead). */
export function arkResources(kc: KubeConfig, reader?: ValueSourceReader): ArkResources {
  const core = createCoreClient(kc);
  const values = reader ?? apiValueSourceReader(core);
  return {
    ark: createArkClient(kc),
    core,
    resolveValueSource: (source, namespace) => resolveValueSource(source, namespace, values),
    configValues: {
      getSecretValue: (namespace, name, key) => resolveValueSource({ valueFrom: { secretKeyRef: { name, key } } }, namespace, values),
      getConfigMapValue: (namespace, name, key) => resolveValueSource({ valueFrom: { configMapKeyRef: { name, key } } }, namespace, values),
    },
    values,
  };
}

const MAX_IDENTITIES = 256;

/**
 * Resources read as `system:serviceaccount:<namespace>:<name>` (Impersonate-User over `kc`'s connections), one set per
 * identity, kept for the next run of the same one.
 */
export function serviceAccountResources(kc: KubeConfig): (namespace: string, serviceAccount: string) => ArkResources {
  const made = new Map<string, ArkResources>();
  return (namespace, serviceAccount) => {
    const user = serviceAccountUser(namespace, serviceAccount);
    let resources = made.get(user);
    if (!resources) {
      if (made.size >= MAX_IDENTITIES) made.clear();
      resources = arkResources(impersonating(kc, user));
      made.set(user, resources);
    }
    return resources;
  };
}
