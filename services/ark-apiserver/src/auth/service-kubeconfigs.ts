import { join } from "node:path";
import { serviceRules, type ArkServiceIdentity, type PolicyRule } from "@ark/types";
import type { ApiContext } from "../api/context.js";
import { writeKubeconfig } from "../tls/index.js";
import { ensureServiceIdentity } from "./service-identity.js";

export interface ServiceKubeconfigOptions {
  identities: readonly ArkServiceIdentity[];
  dir: string;
  server: string;
  caPem: string;
  /** Their ServiceAccounts, the controller's Lease and ark-api's keys live here. */
  serviceNamespace: string;
  /** Where ark-api manages its callers' Secrets. */
  secretNamespaces: readonly string[];
}

/** What one identity of service-rules.ts holds, per namespace, as the chart grants it. */
function identityRules(identity: ArkServiceIdentity, serviceNamespace: string, secretNamespaces: readonly string[]): { clusterRules: PolicyRule[]; namespaceRules: Record<string, PolicyRule[]> } {
  const namespaceRules: Record<string, PolicyRule[]> = {};
  const add = (namespace: string, rules: PolicyRule[]) => {
    if (rules.length) namespaceRules[namespace] = [...(namespaceRules[namespace] ?? []), ...rules];
  };
  add(serviceNamespace, [...serviceRules(identity, "own-namespace"), ...serviceRules(identity, "api-keys-namespace")]);
  for (const namespace of secretNamespaces) add(namespace, serviceRules(identity, "secret-namespaces"));
  return { clusterRules: serviceRules(identity, "cluster"), namespaceRules };
}

/** Gives each identity its ServiceAccount and role, and writes `<dir>/kubeconfig-<identity>` (0600) with its token. */
export async function writeServiceKubeconfigs(ctx: ApiContext, options: ServiceKubeconfigOptions): Promise<string[]> {
  const written: string[] = [];
  for (const name of options.identities) {
    const rules = identityRules(name, options.serviceNamespace, options.secretNamespaces);
    const identity = await ensureServiceIdentity(ctx, { namespace: options.serviceNamespace, name, ...rules });
    const path = join(options.dir, `kubeconfig-${name}`);
    await writeKubeconfig({ path, server: options.server, caPem: options.caPem, token: identity.token, contextName: name });
    written.push(path);
  }
  return written;
}
