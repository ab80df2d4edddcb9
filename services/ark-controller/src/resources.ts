import type { ConfigValueReader, ValueSourceResolver } from "@ark/engine";
import {
  apiValueSourceReader,
  createArkClient,
  createCoreClient,
  resolveValueSource,
  type ArkClient,
  type CoreClient,
  type ValueSourceReader,
} from "@ark/kube";
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
