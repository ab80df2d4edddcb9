const OPEN_PATHS = new Set(["/health", "/ready", "/livez", "/readyz", "/healthz"]);

/** Probes answer without a token. */
export function isOpenPath(url: string): boolean {
  return OPEN_PATHS.has(url.split("?")[0]!);
}
