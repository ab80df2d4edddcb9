import type { Command } from "commander";
import { createArkApi, type ArkApi } from "../client/api-client.js";
import { collectionPath, itemPath } from "../client/resource-paths.js";
import { CliError, UsageError } from "../errors.js";
import { kindOfManifest } from "../manifests/kinds.js";
import type { ManifestSource } from "../manifests/manifest.js";
import { readManifests } from "../manifests/read-manifests.js";
import { createBody, updateBody } from "../manifests/to-body.js";
import { settingsOf } from "../settings.js";

export function registerApply(program: Command): void {
  program
    .command("apply")
    .description("create or update resources from files, directories (recursively) or stdin (-f -)")
    .requiredOption("-f, --filename <path...>", "manifest files or directories; - reads stdin")
    .action(async (opts: { filename: string[] }, command: Command) => {
      const api = createArkApi(settingsOf(command));
      const sources = await readManifests(opts.filename);
      if (sources.length === 0) throw new UsageError("no objects found in the given files");
      let failures = 0;
      for (const source of sources) {
        try {
          process.stdout.write(`${await applyOne(api, source)}\n`);
        } catch (err) {
          if (err instanceof UsageError) throw err;
          failures++;
          process.stderr.write(`error: ${source.origin}: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
      if (failures > 0) throw new CliError(`${failures} of ${sources.length} objects failed`);
    });
}

/** Creates the object, or updates it when it exists; answers the kubectl-style line (`agent/x created`). */
export async function applyOne(api: ArkApi, { manifest, origin }: ManifestSource): Promise<string> {
  const kind = kindOfManifest(manifest.apiVersion, manifest.kind);
  if (!kind) throw new UsageError(`${origin}: ark cannot apply ${String(manifest.apiVersion)} ${String(manifest.kind)} (ARK kinds, Secret and Namespace only; use kubectl for others)`);
  const body = createBody(kind, manifest, origin);
  const name = String(body.name);
  const namespace = typeof manifest.metadata?.namespace === "string" ? manifest.metadata.namespace : api.settings.namespace;
  const label = `${kind.kind.toLowerCase()}/${name}`;
  if (kind.shape === "namespace") {
    const exists = (await api.request<{ items: { name: string }[] }>("GET", "/v1/namespaces"))?.items.some((ns) => ns.name === name);
    if (exists) return `${label} unchanged`;
    await api.request("POST", "/v1/namespaces", { body });
    return `${label} created`;
  }
  const existing = await api.request("GET", itemPath(kind, namespace, name), { allowNotFound: true });
  if (existing === undefined) {
    await api.request("POST", collectionPath(kind, namespace), { body });
    return `${label} created`;
  }
  await api.request("PUT", itemPath(kind, namespace, name), { body: updateBody(kind, manifest, origin) });
  return `${label} configured`;
}
