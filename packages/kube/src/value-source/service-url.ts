import { posix } from "node:path";
import type { V1Service } from "@kubernetes/client-node";
import type { ServiceReference } from "@ark/types";
import { ValueSourceError } from "./value-source-error.js";

/**
 * Annotation on a Service giving its URL directly. Where there is no cluster DNS (ark-apiserver in the dev
 * stack or compose), `ark.mckinsey.com/url: http://127.0.0.1:9090` makes a serviceRef resolve there.
 */
export const SERVICE_URL_ANNOTATION = "ark.mckinsey.com/url";

/** Turns a Service and a reference to it into a URL; swap it to map Services differently. */
export type ServiceUrlResolver = (service: V1Service, ref: ServiceReference, namespace: string) => string;

/** The annotated URL when present, else upstream's `http://<name>.<namespace>.svc.cluster.local:<port>` (docs/upstream-compat.md §1.2). */
export const defaultServiceUrl: ServiceUrlResolver = (service, ref, namespace) => {
  const annotated = service.metadata?.annotations?.[SERVICE_URL_ANNOTATION];
  if (annotated) return annotated.replace(/\/+$/, "") + joinedPath(ref.path);
  return clusterDnsServiceUrl(service, ref, namespace);
};

export const clusterDnsServiceUrl: ServiceUrlResolver = (service, ref, namespace) => {
  const ports = service.spec?.ports ?? [];
  let port;
  if (ref.port) {
    port = ports.find((p) => p.name === ref.port);
    if (!port) throw new ValueSourceError(`port ${ref.port} not found in service ${namespace}/${ref.name}`);
  } else {
    port = ports[0];
    if (!port) throw new ValueSourceError(`service ${namespace}/${ref.name} has no ports`);
  }
  return `http://${ref.name}.${namespace}.svc.cluster.local:${port.port}${joinedPath(ref.path)}`;
};

/** Go's path.Join("/", p): leading slash, `//` and `.` collapsed, no trailing slash; nothing for an empty path. */
export function joinedPath(path: string | undefined): string {
  if (!path) return "";
  const joined = posix.join("/", path);
  return joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
}
