import { isIP } from "node:net";

/** Names that only mean this machine, and the service's names in compose and Kubernetes. */
const DEFAULT_ALLOWED_HOSTS = ["localhost", "*.localhost", "ark-mcp", "*.svc", "*.svc.cluster.local"];

export type HostGuard = (host: string | undefined, origin: string | undefined) => string | undefined;

/**
 * DNS rebinding protection: a page on evil.example rebound to 127.0.0.1 still sends `Host: evil.example`, so
 * names must be allowed (IP literals always pass); an Origin, when sent, must be loopback or allowed.
 * Answers why a request is refused, or undefined.
 */
export function createHostGuard(extraHosts: readonly string[], allowedOrigins: readonly string[]): HostGuard {
  const hosts = [...DEFAULT_ALLOWED_HOSTS, ...extraHosts.map((h) => h.toLowerCase())];
  const origins = new Set(allowedOrigins.map((o) => o.replace(/\/$/, "").toLowerCase()));
  return (host, origin) => {
    const hostname = host ? hostnameOf(`http://${host}`) : undefined;
    if (!hostname) return "missing or invalid Host header";
    if (!isIP(hostname.replace(/^\[|\]$/g, "")) && !hosts.some((allowed) => matches(hostname, allowed))) return `Host not allowed: ${hostname}`;
    if (origin === undefined || origins.has("*") || origins.has(origin.toLowerCase())) return undefined;
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
