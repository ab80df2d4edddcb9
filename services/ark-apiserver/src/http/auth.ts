import { createHash, timingSafeEqual } from "node:crypto";

const OPEN_PATHS = new Set(["/health", "/ready", "/livez", "/readyz", "/healthz"]);

export function isOpenPath(url: string): boolean {
  return OPEN_PATHS.has(url.split("?")[0]!);
}

/** Compares the bearer token in constant time (hashes first, so lengths leak nothing). */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (!match) return false;
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}
