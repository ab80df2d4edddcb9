import type { FastifyInstance } from "fastify";
import { Gauge, Histogram, type Registry } from "prom-client";
import type { ResourceType } from "../resource-type.js";
import type { RequestAttributes } from "../rbac/policy-rule.js";
import { requestAttributes } from "../rbac/request-attributes.js";
import type { WatchHub } from "../watch/watch-hub.js";

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * apiserver_request_duration_seconds by verb, group, resource, subresource and code (as Kubernetes names them), and
 * apiserver_registered_watchers by group and resource (docs/architecture.md §9.2). Watches are long-running: counted
 * by the gauge, not timed. A path naming no served resource is `resource="unknown"`, so labels stay bounded.
 */
/** `attributes`, when the caller has them (the in-process API authorized with them), spares parsing the URL again. */
export type ObserveRequest = (method: string, url: string, code: number, seconds: number, attributes?: RequestAttributes) => void;

/** Returns how a request answered elsewhere (in process, see in-process.ts) is observed the same way. */
export function registerApiServerMetrics(app: FastifyInstance, registry: Registry, hub: WatchHub, resources: readonly ResourceType[]): ObserveRequest {
  const served = new Set(resources.map((r) => `${r.group}/${r.plural}`));
  const subresources = new Set(["", "status", ...resources.flatMap((r) => (r.extraSubresources ?? []).map((s) => s.name))]);
  const duration = new Histogram({
    name: "apiserver_request_duration_seconds",
    help: "Kubernetes API request latency, by verb, group, resource, subresource and status code (watches excluded).",
    labelNames: ["verb", "group", "resource", "subresource", "code"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: "apiserver_registered_watchers",
    help: "Open watches, by group and resource.",
    labelNames: ["group", "resource"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [key, count] of hub.countsByResource()) {
        const [group = "", resource = ""] = key.split("/");
        this.set({ group, resource }, count);
      }
    },
  });
  const observe: ObserveRequest = (method, url, code, seconds, parsed) => {
    if (!url.startsWith("/api/") && !url.startsWith("/apis/")) return;
    const attributes = parsed ?? requestAttributes(method, new URL(url, "http://localhost"));
    if (!attributes.resourceRequest || attributes.verb === "watch") return;
    const known = served.has(`${attributes.apiGroup}/${attributes.resource}`);
    duration.observe(
      {
        verb: attributes.verb,
        group: known ? attributes.apiGroup : "",
        resource: known ? attributes.resource : "unknown",
        subresource: !known ? "" : subresources.has(attributes.subresource) ? attributes.subresource : "unknown",
        code,
      },
      seconds,
    );
  };
  app.addHook("onResponse", async (request, reply) => observe(request.method, request.url, reply.statusCode, reply.elapsedTime / 1000));
  return observe;
}
