import type { ConfigMapKeySelector, SecretKeySelector, ServiceReference, ValueSource } from "@ark/types";
import type { ValueSourceReader } from "./reader.js";
import { defaultServiceUrl, type ServiceUrlResolver } from "./service-url.js";
import { ValueSourceError } from "./value-source-error.js";

export interface ResolveOptions {
  serviceUrl?: ServiceUrlResolver;
}

/**
 * docs/upstream-compat.md §1.1: a non-empty value wins; else the first of secretKeyRef, configMapKeyRef, serviceRef. Secrets and
 * ConfigMaps are read in `namespace` (the resource's); a serviceRef may name another. User-fixable problems throw
 * ValueSourceError; API failures propagate as they are.
 */
export async function resolveValueSource(vs: ValueSource, namespace: string, reader: ValueSourceReader, options: ResolveOptions = {}): Promise<string> {
  if (vs.value) return vs.value;
  const from = vs.valueFrom;
  if (!from) throw new ValueSourceError("value source must have either value or valueFrom specified");
  if (from.secretKeyRef) return resolveSecretKey(from.secretKeyRef, namespace, reader);
  if (from.configMapKeyRef) return resolveConfigMapKey(from.configMapKeyRef, namespace, reader);
  if (from.serviceRef) return resolveServiceRef(from.serviceRef, namespace, reader, options.serviceUrl);
  throw new ValueSourceError("no valid valueFrom source specified");
}

export async function resolveSecretKey(ref: SecretKeySelector, namespace: string, reader: ValueSourceReader): Promise<string> {
  if (!ref.name) throw new ValueSourceError("secret name is required");
  const secret = await reader.getSecret(namespace, ref.name);
  if (!secret) throw new ValueSourceError(`failed to get secret ${namespace}/${ref.name}: secrets "${ref.name}" not found`);
  const encoded = secret.data?.[ref.key];
  if (encoded !== undefined) return Buffer.from(encoded, "base64").toString("utf8");
  const plain = secret.stringData?.[ref.key];
  if (plain !== undefined) return plain;
  throw new ValueSourceError(`key ${ref.key} not found in secret ${namespace}/${ref.name}`);
}

export async function resolveConfigMapKey(ref: ConfigMapKeySelector, namespace: string, reader: ValueSourceReader): Promise<string> {
  if (!ref.name) throw new ValueSourceError("configmap name is required");
  const configMap = await reader.getConfigMap(namespace, ref.name);
  if (!configMap) throw new ValueSourceError(`failed to get configmap ${namespace}/${ref.name}: configmaps "${ref.name}" not found`);
  const value = configMap.data?.[ref.key];
  if (value === undefined) throw new ValueSourceError(`key ${ref.key} not found in configmap ${namespace}/${ref.name}`);
  return value;
}

/** docs/upstream-compat.md §1.2, through the pluggable Service → URL mapping. */
export async function resolveServiceRef(ref: ServiceReference, namespace: string, reader: ValueSourceReader, serviceUrl: ServiceUrlResolver = defaultServiceUrl): Promise<string> {
  const serviceNamespace = ref.namespace || namespace;
  const service = await reader.getService(serviceNamespace, ref.name);
  if (!service) throw new ValueSourceError(`failed to get service ${serviceNamespace}/${ref.name}: services "${ref.name}" not found`);
  return serviceUrl(service, ref, serviceNamespace);
}
