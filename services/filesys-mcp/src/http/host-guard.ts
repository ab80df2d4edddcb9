import { isIP } from "node:net";

/** Always allowed: names that only ever mean this machine, and the service's own name in compose and Kubernetes. */
export const DEFAULT_ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "*.localhost", "filesys-mcp", "*.svc", "*.svc.cluster.local"];

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function hostnameOf(value: string, withScheme: boolean): string | undefined {
  try {
    return new URL(withScheme ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function matchesName(hostname: string, allowed: string): boolean {
  if (allowed === "*") return true;
  if (allowed.startsWith("*.")) return hostname.endsWith(allowed.slice(1));
  return hostname === allowed.toLowerCase();
}

export interface HostGuard {
  /** Why a request is refused, or undefined when it may pass. */
  check(host: string | undefined, origin: string | undefined): string | undefined;
}

/**
 * DNS rebinding protection: a page on evil.example that rebinds its name to 127.0.0.1 still sends `Host: evil.example`.
 * IP literals pass (a rebinding attack always carries the attacker's name); an Origin, when sent, must be allowed too.
 */
export function createHostGuard(extraHosts: string[], allowedOrigins: string[]): HostGuard {
  const hosts = [...DEFAULT_ALLOWED_HOSTS, ...extraHosts];
  const origins = new Set(allowedOrigins.map((o) => o.replace(/\/$/, "").toLowerCase()));
  return {
    check(host, origin) {
      const hostname = host ? hostnameOf(host, false) : undefined;
      if (!hostname) return "missing or invalid Host header";
      const bare = hostname.replace(/^\[|\]$/g, "");
      if (!isIP(bare) && !hosts.some((allowed) => matchesName(hostname, allowed))) return `Host not allowed: ${hostname}`;
      if (origin === undefined) return undefined;
      if (origins.has("*") || origins.has(origin.toLowerCase())) return undefined;
      const originHost = hostnameOf(origin, true);
      if (originHost && (LOOPBACK_HOSTS.has(originHost) || originHost.endsWith(".localhost"))) return undefined;
      return `Origin not allowed: ${origin}`;
    },
  };
}
