import { isIP } from "node:net";
import type { FastifyInstance } from "fastify";
import { ArkError } from "../errors/ark-error.js";

/** Why a request is refused, or undefined when it may pass. */
export type HostGuard = (host: string | undefined, origin: string | undefined) => string | undefined;

export interface HostGuardOptions {
  /** The service's own name in compose and Kubernetes (`ark-mcp` → also `ark-mcp.<ns>.svc…`). */
  serviceName: string;
  /** More allowed Host names; `*.example.com` matches subdomains, `*` anything. */
  allowedHosts?: readonly string[];
  /** Allowed Origins besides loopback ones; `*` allows any. */
  allowedOrigins?: readonly string[];
}

/** What a service allows when ALLOWED_HOSTS is unset: names that only ever mean this machine. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ["localhost", "*.localhost"];

/** Names that only ever mean this machine, and cluster-internal names. */
const LOCAL_HOSTS = [...DEFAULT_ALLOWED_HOSTS, "*.svc", "*.svc.cluster.local"];

/** Probes stay open: kubelet and compose health checks call them by IP or by the container's name. */
const UNGUARDED_PATHS = new Set(["/health", "/ready", "/livez", "/readyz", "/healthz"]);

/** The MCP servers' guard: loopback and cluster names, the service's own name, and the configured extras. */
export function createHostGuard(options: HostGuardOptions): HostGuard {
  return createHostCheck([...LOCAL_HOSTS, options.serviceName, ...(options.allowedHosts ?? [])], options.allowedOrigins ?? []);
}

/**
 * DNS rebinding protection for services a browser on this machine could reach: a page on evil.example whose name
 * rebinds to 127.0.0.1 still sends `Host: evil.example`, so names must be allowed (IP literals always pass, the
 * attack always carries the attacker's name); an Origin, when sent, must be local, an allowed host or allowed.
 */
export function createHostCheck(allowedHosts: readonly string[], allowedOrigins: readonly string[] = []): HostGuard {
  const hosts = allowedHosts.map((h) => h.toLowerCase());
  const origins = new Set(allowedOrigins.map((o) => o.replace(/\/$/, "").toLowerCase()));
  return (host, origin) => {
    const hostname = host ? hostnameOf(`http://${host}`) : undefined;
    if (!hostname) return "missing or invalid Host header";
    if (!isIP(hostname.replace(/^\[|\]$/g, "")) && !hosts.some((allowed) => matches(hostname, allowed))) return `Host not allowed: ${hostname}`;
    if (origin === undefined || origins.has("*") || origins.has(origin.replace(/\/$/, "").toLowerCase())) return undefined;
    const originHost = hostnameOf(origin);
    if (originHost && (isLocal(originHost) || (!isIP(originHost) && hosts.some((allowed) => matches(originHost, allowed))))) return undefined;
    return `Origin not allowed: ${origin}`;
  };
}

/**
 * The guard every service built with createService has, on every route but the probes: Host and Origin must be
 * localhost (or ALLOWED_HOSTS, which replaces that list; `*` switches the check off). Refused with 403.
 */
export function registerHostGuard(app: FastifyInstance, allowedHosts: readonly string[] | undefined, allowedOrigins: readonly string[] = []): void {
  const hosts = allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
  if (hosts.includes("*")) return;
  const guard = createHostCheck(hosts, allowedOrigins);
  app.addHook("onRequest", async (request) => {
    if (UNGUARDED_PATHS.has(request.url.split("?", 1)[0]!)) return;
    const { host, origin } = request.headers;
    const problem = guard(typeof host === "string" ? host : undefined, typeof origin === "string" ? origin : undefined);
    if (!problem) return;
    request.log.warn({ host, origin }, problem);
    throw new ArkError("FORBIDDEN", `${problem}: refused as a possible DNS rebinding; add the name to ALLOWED_HOSTS to allow it`);
  });
}

function matches(hostname: string, allowed: string): boolean {
  if (allowed === "*") return true;
  return allowed.startsWith("*.") ? hostname.endsWith(allowed.slice(1)) : hostname === allowed;
}

function isLocal(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
