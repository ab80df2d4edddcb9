// Durable writes the stack makes per query, counted by ark-apiserver's own request metric (docs/architecture.md §9.2).
import type https from "node:https";
import { requestText } from "./http.js";
import type { KubeConfig } from "./kit.js";

const WRITE_VERBS = new Set(["create", "update", "patch", "delete"]);
const COUNT_LINE = /^apiserver_request_duration_seconds_count\{([^}]*)\} (\S+)$/;

/** Successful write requests so far, by `verb resource[/subresource]`, from ark-apiserver's /metrics (read with the client's credentials). */
export async function apiWrites(kc: KubeConfig): Promise<Record<string, number>> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error("kubeconfig has no current cluster");
  const url = new URL(`${server.replace(/\/$/, "")}/metrics`);
  const options: https.RequestOptions = { method: "GET" };
  await kc.applyToHTTPSOptions(options);
  const { status, text } = await requestText(url, options);
  if (status !== 200) throw new Error(`GET /metrics: ${status}`);
  const writes: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const match = COUNT_LINE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!WRITE_VERBS.has(labels.verb ?? "") || !(labels.code ?? "").startsWith("2")) continue;
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ""}`;
    writes[key] = (writes[key] ?? 0) + Number(match[2]);
  }
  return writes;
}

/** What `after` counted beyond `before`, per query, by kind of write, with the total. */
export function writesPerQuery(before: Record<string, number>, after: Record<string, number>, queries: number): Record<string, number> {
  const perQuery: Record<string, number> = {};
  for (const [key, count] of Object.entries(after)) {
    const delta = count - (before[key] ?? 0);
    if (delta > 0) perQuery[key] = Math.round((delta / queries) * 100) / 100;
  }
  perQuery.total = Math.round(Object.values(perQuery).reduce((a, b) => a + b, 0) * 100) / 100;
  return perQuery;
}
