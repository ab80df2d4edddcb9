import { isIP } from "node:net";

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

/** Names that only ever mean this machine, and cluster-internal names. */
const LOCAL_HOSTS = ["localhost", "*.localhost", "*.svc", "*.svc.cluster.local"];

/**
 * DNS rebinding protection for services a browser on this machine could reach: a page on evil.example whose name
 * rebinds to 127.0.0.1 still sends `Host: evil.example`, so names must be allowed (IP literals always pass, the
 * attack always carries the attacker's name); an Origin, when sent, must be loopback or allowed.
 */
export function createHostGuard(options: HostGuardOptions): HostGuard {
  const hosts = [...LOCAL_HOSTS, options.serviceName, ...(options.allowedHosts ?? [])].map((h) => h.toLowerCase());
  const origins = new Set((options.allowedOrigins ?? []).map((o) => o.replace(/\/$/, "").toLowerCase()));
  return (host, origin) => {
    const hostname = host ? hostnameOf(`http://${host}`) : undefined;
    if (!hostname) return "missing or invalid Host header";
    if (!isIP(hostname.replace(/^\[|\]$/g, "")) && !hosts.some((allowed) => matches(hostname, allowed))) return `Host not allowed: ${hostname}`;
    if (origin === undefined || origins.has("*") || origins.has(origin.replace(/\/$/, "").toLowerCase())) return undefined;
    const originHost = hostnameOf(origin);
    if (originHost && (originHost === "localhost" || originHost.endsWith(".localhost") || isLoopbackIp(originHost))) return undefined;
    return `Origin not allowed: ${origin}`;
  };
}

function matches(hostname: string, allowed: string): boolean {
  if (allowed === "*") return true;
  return allowed.startsWith("*.") ? hostname.endsWith(allowed.slice(1)) : hostname === allowed;
}

function isLoopbackIp(hostname: string): boolean {
  return hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function hostnameOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
