import { join } from "node:path";
import { identityGrants, type ArkServiceIdentity } from "@ark/types";
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

/** Gives each identity its ServiceAccount and role, and writes `<dir>/kubeconfig-<identity>` (0600) with its token. */
export async function writeServiceKubeconfigs(ctx: ApiContext, options: ServiceKubeconfigOptions): Promise<string[]> {
  const written: string[] = [];
  for (const name of options.identities) {
    const rules = identityGrants([name], { serviceNamespace: options.serviceNamespace, secretNamespaces: options.secretNamespaces });
    const identity = await ensureServiceIdentity(ctx, { namespace: options.serviceNamespace, name, ...rules });
    const path = join(options.dir, `kubeconfig-${name}`);
    await writeKubeconfig({ path, server: options.server, caPem: options.caPem, token: identity.token, contextName: name });
    written.push(path);
  }
  return written;
}
