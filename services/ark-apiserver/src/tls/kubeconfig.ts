import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { stringify } from "yaml";
import { writeSecretFile } from "./certificates.js";

export interface KubeconfigOptions {
  path: string;
  /** `https://127.0.0.1:6443` */
  server: string;
  caPem: string;
  token: string;
  namespace?: string;
  contextName?: string;
}

/** A kubeconfig for kubectl and @kubernetes/client-node: the CA inline, a bearer token, one current context. */
function renderKubeconfig(options: KubeconfigOptions): string {
  const name = options.contextName ?? "ark";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: options.server, "certificate-authority-data": Buffer.from(options.caPem).toString("base64") } }],
    users: [{ name, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: options.namespace ?? "default" } }],
    "current-context": name,
    preferences: {},
  });
}

/** Writes the kubeconfig with mode 0600: it holds the token. */
export async function writeKubeconfig(options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(options.path), { recursive: true });
  await writeSecretFile(options.path, renderKubeconfig(options));
}
