import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { itemPath } from "../client/resource-paths.js";
import { CliError, UsageError } from "../errors.js";
import { kindByName } from "../manifests/kinds.js";
import { settingsOf } from "../settings.js";

export function registerDelete(program: Command): void {
  program
    .command("delete")
    .description("delete resources by kind and name")
    .argument("<kind>", "kind: plural, singular or short name")
    .argument("<names...>", "names to delete")
    .option("--ignore-not-found", "no error when a resource does not exist", false)
    .action(async (kindWord: string, names: string[], opts: { ignoreNotFound: boolean }, command: Command) => {
      await deleteResources(command, kindWord, names, opts.ignoreNotFound);
    });
}

/** `ark delete <kind> <names…>` and `ark <kind> delete <names…>`. */
export async function deleteResources(command: Command, kindWord: string, names: readonly string[], ignoreNotFound: boolean): Promise<void> {
  const kind = kindByName(kindWord);
  if (kind.shape === "namespace") throw new UsageError("ark-api does not delete namespaces; use kubectl --kubeconfig .ark/kubeconfig delete namespace");
  const api = createArkApi(settingsOf(command));
  let missing = 0;
  for (const name of names) {
    const found = await api.request("GET", itemPath(kind, api.settings.namespace, name), { allowNotFound: true });
    if (found === undefined) {
      if (!ignoreNotFound) {
        missing++;
        process.stderr.write(`error: ${kind.kind.toLowerCase()} "${name}" not found in namespace ${api.settings.namespace}\n`);
      }
      continue;
    }
    await api.request("DELETE", itemPath(kind, api.settings.namespace, name), { allowNotFound: true });
    process.stdout.write(`${kind.kind.toLowerCase()}/${name} deleted\n`);
  }
  if (missing > 0) throw new CliError(`${missing} not found`);
}
