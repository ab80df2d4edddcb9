import { createHash, timingSafeEqual } from "node:crypto";

const OPEN_PATHS = new Set(["/health", "/ready", "/livez", "/readyz", "/healthz"]);

export function isOpenPath(url: string): boolean {
  return OPEN_PATHS.has(url.split("?")[0]!);
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Checks a request's bearer token in constant time (both sides hashed, so lengths leak nothing; the token's hash once). */
export function bearerTokenChecker(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
    return match ? timingSafeEqual(digest(match[1]!.trim()), expected) : false;
  };
}
