import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stackFilePath, type StackFile } from "./stack-file.js";

/** $ARK_HOME/api-key: the dev stack's ark-api admin key, 0600, which the CLI sends to that ark-api by itself. */
export function devApiKeyPath(arkHome: string): string {
  return join(arkHome, "api-key");
}

/** The admin key of this ARK_HOME's stack, generated on the first start and kept across restarts. */
export async function ensureDevApiKey(arkHome: string): Promise<string> {
  const path = devApiKeyPath(arkHome);
  const existing = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (existing?.trim()) return existing.trim();
  const key = `ark_dev_${randomBytes(24).toString("base64url")}`;
  await writeFile(path, `${key}\n`, { mode: 0o600, flag: existing === undefined ? "wx" : "w" });
  return key;
}

/**
 * The key for `server` when it is the ark-api of the `ark dev` running from arkHome (its dev-stack.json says so):
 * the CLI then needs no flag. Any other server never gets it.
 */
export function devApiKeyFor(server: string, arkHome: string): string | undefined {
  try {
    const stack = JSON.parse(readFileSync(stackFilePath(arkHome), "utf8")) as Partial<StackFile>;
    const arkApi = stack.services?.find((service) => service.name === "ark-api")?.url;
    if (!arkApi || !sameLocalOrigin(arkApi, server)) return undefined;
    return readFileSync(devApiKeyPath(arkHome), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

function sameLocalOrigin(a: string, b: string): boolean {
  const [x, y] = [new URL(a), new URL(b)];
  const host = (url: URL) => (LOOPBACK_NAMES.has(url.hostname) ? "loopback" : url.hostname);
  return x.protocol === y.protocol && x.port === y.port && host(x) === host(y);
}
