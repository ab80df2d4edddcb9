import http from "node:http";
import https from "node:https";
import type { KubeConfig, KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";

/**
 * GET of a collection as plain JSON for any resource type, the same shape watch events carry
 * (client-node's typed core APIs would turn timestamps into Dates in lists but not in watches).
 */
export async function listRaw<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  query: Record<string, string | undefined> = {},
): Promise<KubernetesListObject<T>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster");
  const url = new URL(cluster.server.replace(/\/$/, "") + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  const options: https.RequestOptions = { method: "GET", headers: { Accept: "application/json" } };
  await kc.applyToHTTPSOptions(options);
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          try {
            resolve(JSON.parse(text) as KubernetesListObject<T>);
          } catch (err) {
            reject(new Error(`GET ${path}: invalid JSON`, { cause: err }));
          }
          return;
        }
        const message = statusMessage(text) ?? res.statusMessage ?? "request failed";
        reject(Object.assign(new Error(`GET ${path}: ${status} ${message}`), { statusCode: status }));
      });
    });
    req.on("error", reject);
    req.end();
  });
}

function statusMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}
