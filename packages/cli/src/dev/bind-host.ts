import { isIP } from "node:net";

const DEV_HOST = "127.0.0.1";

/**
 * The address every service of `ark dev` listens on: 127.0.0.1 whatever HOST the shell exports (a container's
 * HOST=0.0.0.0 must not put the stack on the LAN); only ARK_DEV_HOST changes it, and then `warn` says so loudly.
 */
export function devBindHost(env: Record<string, string | undefined>, warn: (message: string) => void): string {
  const wanted = env.ARK_DEV_HOST?.trim();
  if (!wanted || wanted === DEV_HOST) return DEV_HOST;
  if (wanted !== "localhost" && isIP(wanted.replace(/^\[|\]$/g, "")) === 0) throw new Error(`ARK_DEV_HOST: expected an IP address or localhost, got "${wanted}"`);
  if (!isLoopback(wanted)) {
    warn(
      [
        `!!! ARK_DEV_HOST=${wanted}: the dev stack listens beyond this machine. Anyone who can reach ${wanted} reaches`,
        "!!! ark-apiserver, postgres-memory, filesys-mcp, ark-mcp and the mock model. Unset ARK_DEV_HOST to keep it on 127.0.0.1.",
      ].join("\n"),
    );
  }
  return wanted;
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
