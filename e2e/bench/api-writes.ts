// Requests the stack makes of ark-apiserver per query (the durable writes among them), counted by ark-apiserver's own
// request metric (docs/architecture.md §9.2).
import type https from "node:https";
import { requestText } from "./http.js";
import type { KubeConfig } from "./kit.js";

const WRITE_VERBS = new Set(["create", "update", "patch", "delete"]);
const READ_VERBS = new Set(["get", "list"]);
const COUNT_LINE = /^apiserver_request_duration_seconds_count\{([^}]*)\} (\S+)$/;

/**
 * Successful requests so far, by `verb resource[/subresource]`, from ark-apiserver's /metrics (read with the client's
 * credentials): the writes alone, or with `reads` the gets and lists too (a watch counts when it ends: left out).
 */
export async function apiRequests(kc: KubeConfig, { reads = false }: { reads?: boolean } = {}): Promise<Record<string, number>> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error("kubeconfig has no current cluster");
  const url = new URL(`${server.replace(/\/$/, "")}/metrics`);
  const options: https.RequestOptions = { method: "GET" };
  await kc.applyToHTTPSOptions(options);
  const { status, text } = await requestText(url, options);
  if (status !== 200) throw new Error(`GET /metrics: ${status}`);
  const requests: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const match = COUNT_LINE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const verb = labels.verb ?? "";
    if (!(WRITE_VERBS.has(verb) || (reads && READ_VERBS.has(verb))) || !(labels.code ?? "").startsWith("2")) continue;
    const key = `${labels.verb} ${labels.resource}${labels.subresource ? `/${labels.subresource}` : ""}`;
    requests[key] = (requests[key] ?? 0) + Number(match[2]);
  }
  return requests;
}

/** What `after` counted beyond `before`, by kind of request. */
export function requestsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const since: Record<string, number> = {};
  for (const [key, count] of Object.entries(after)) {
    const delta = count - (before[key] ?? 0);
    if (delta > 0) since[key] = delta;
  }
  return since;
}

/** Requests counted for `queries` queries, per query by kind of request, with the total. */
export function requestsPerQuery(requests: Record<string, number>, queries: number): Record<string, number> {
  const perQuery: Record<string, number> = {};
  for (const [key, count] of Object.entries(requests)) perQuery[key] = Math.round((count / queries) * 100) / 100;
  perQuery.total = Math.round(Object.values(perQuery).reduce((a, b) => a + b, 0) * 100) / 100;
  return perQuery;
}
