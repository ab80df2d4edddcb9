import { readFileSync } from "node:fs";
import type { AuthConfig } from "./config.js";
import { sha256 } from "./api-key-store.js";

/** The sha256 of the admin key: from ARK_API_ADMIN_KEY, or stored hashed in ARK_API_ADMIN_KEY_SHA256_FILE (compose). */
export function adminKeyHashOf(config: Pick<AuthConfig, "ARK_API_ADMIN_KEY" | "ARK_API_ADMIN_KEY_SHA256_FILE">): string | undefined {
  if (config.ARK_API_ADMIN_KEY) return sha256(config.ARK_API_ADMIN_KEY);
  const file = config.ARK_API_ADMIN_KEY_SHA256_FILE;
  if (!file) return undefined;
  let stored: string;
  try {
    stored = readFileSync(file, "utf8").trim().toLowerCase();
  } catch (err) {
    throw new Error(`ARK_API_ADMIN_KEY_SHA256_FILE: cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!/^[a-f0-9]{64}$/.test(stored)) throw new Error(`ARK_API_ADMIN_KEY_SHA256_FILE: ${file} must hold the key's sha256 as 64 hex digits`);
  return stored;
}
