import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeSecretFile } from "./tls/certificates.js";

/** The bearer token every request needs: from config, else generated once under ARK_HOME and reused. */
export async function loadOrCreateToken(arkHome: string, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const path = join(arkHome, "apiserver-token");
  const existing = await readFile(path, "utf8").catch(() => "");
  if (existing.trim() !== "") return existing.trim();
  const token = randomBytes(32).toString("base64url");
  await writeSecretFile(path, `${token}\n`);
  return token;
}
