import type { CliKind } from "../manifests/kinds.js";
import type { Manifest } from "../manifests/manifest.js";
import { formatAge } from "./age.js";
import { cellText, readJsonPath } from "./json-path.js";
import { formatTable } from "./table.js";

/** `kubectl get`-style table: NAME, the kind's printer columns (priority 0; all of them with `wide`), AGE last. */
export function formatResourceTable(kind: CliKind, manifests: readonly Manifest[], options: { wide?: boolean; now?: Date } = {}): string {
  const now = options.now ?? new Date();
  const columns = (kind.definition?.printerColumns ?? []).filter((c) => (options.wide || !c.priority) && c.name.toLowerCase() !== "age");
  const headers = ["name", ...columns.map((c) => c.name), "age"];
  const rows = manifests.map((manifest) => [
    cellText(manifest.metadata?.name),
    ...columns.map((c) => truncate(cellText(readJsonPath(manifest, c.jsonPath)))),
    formatAge(manifest.metadata?.creationTimestamp as string | undefined, now),
  ]);
  return formatTable(headers, rows);
}

function truncate(text: string, max = 60): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
