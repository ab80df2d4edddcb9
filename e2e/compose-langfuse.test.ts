import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { interpolateDefaults, readCompose } from "./artifacts/compose.js";

// `docker compose --profile langfuse up`: Langfuse beside ARK, off without the profile (no Docker engine runs here,
// so the files are checked as written).
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const main = parse(readFileSync(join(root, "docker-compose.yaml"), "utf8")) as { include?: string[] };
const ark = readCompose(join(root, "docker-compose.yaml"));
const langfuse = readCompose(join(root, "compose/langfuse.yaml"));
const langfuseServices = Object.entries(langfuse.services) as [string, { profiles?: string[]; ports?: string[]; environment?: Record<string, unknown>; volumes?: string[] }][];

describe("compose's langfuse profile", () => {
  it("is included by docker-compose.yaml, and every Langfuse service is in the profile only", () => {
    expect(main.include).toContain("compose/langfuse.yaml");
    expect(langfuseServices.map(([name]) => name).sort()).toEqual(["langfuse-clickhouse", "langfuse-minio", "langfuse-postgres", "langfuse-redis", "langfuse-secrets", "langfuse-web", "langfuse-worker"]);
    for (const [name, service] of langfuseServices) expect(service.profiles, name).toEqual(["langfuse"]);
    for (const name of Object.keys(langfuse.services)) expect(ark.services[name], `${name} clashes with an ARK service`).toBeUndefined();
  });

  it("publishes only Langfuse's UI, on 127.0.0.1, and sets no credential with a default", () => {
    const published = langfuseServices.filter(([, s]) => s.ports?.length);
    expect(published.map(([name, s]) => [name, s.ports])).toEqual([["langfuse-web", ["127.0.0.1:3000:3000"]]]);
    for (const [name, service] of langfuseServices) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|SALT|ENCRYPTION|REDIS_AUTH|_KEY$/.test(key)) expect(interpolateDefaults(String(value ?? "")), `${name}: ${key} has a default`).toBe("");
      }
    }
    // Langfuse's own secrets are generated once into a volume only its containers mount.
    const mounting = [...langfuseServices, ...Object.entries(ark.services)].filter(([, s]) => (s.volumes ?? []).some((v) => v.startsWith("langfuse-secrets:"))).map(([n]) => n);
    expect(mounting.sort()).toEqual(langfuseServices.map(([n]) => n).sort());
  });

  it("lets every ARK service export to Langfuse through the standard OTEL variables, unset by default", () => {
    for (const [name, service] of Object.entries(ark.services)) {
      // ARK's services (the repository's Dockerfile with SERVICE=<folder>), not one-shots or the mock model.
      const folder = (service.build as { args?: Record<string, string> } | undefined)?.args?.SERVICE;
      if (!folder || service.command || name === "mock-model") continue;
      const env = service.environment ?? {};
      expect(Object.keys(env), name).toEqual(expect.arrayContaining(["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS"]));
      expect(interpolateDefaults(String(env.OTEL_EXPORTER_OTLP_ENDPOINT)), name).toBe("");
    }
    const doc = readFileSync(join(root, "compose/langfuse.yaml"), "utf8");
    expect(doc).toContain("OTEL_EXPORTER_OTLP_ENDPOINT=http://langfuse-web:3000/api/public/otel");
    expect(langfuse.services["langfuse-web"]!.environment).toMatchObject({ LANGFUSE_INIT_PROJECT_PUBLIC_KEY: "${LANGFUSE_PUBLIC_KEY:-}", LANGFUSE_INIT_PROJECT_SECRET_KEY: "${LANGFUSE_SECRET_KEY:-}" });
  });
});
