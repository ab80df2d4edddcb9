import type { CliKind } from "../manifests/kinds.js";
import type { Manifest } from "../manifests/manifest.js";
import { formatAge } from "./age.js";
import { cellText, readJsonPath } from "./json-path.js";
import { formatTable } from "./table.js";

/** A column `-o wide` adds after the printer columns (not cut short: URLs). */
export interface WideColumn {
  name: string;
  value(manifest: Manifest): string;
}

/** `kubectl get`-style table: NAME, the kind's printer columns (priority 0; all with `wide`), the wide columns, AGE last. */
export function formatResourceTable(kind: CliKind, manifests: readonly Manifest[], now: Date = new Date(), wide?: readonly WideColumn[]): string {
  const columns = (kind.definition?.printerColumns ?? []).filter((c) => (wide || !c.priority) && c.name.toLowerCase() !== "age");
  const extra = wide ?? [];
  const headers = ["name", ...columns.map((c) => c.name), ...extra.map((c) => c.name), "age"];
  const rows = manifests.map((manifest) => [
    cellText(manifest.metadata?.name),
    ...columns.map((c) => truncate(cellText(readJsonPath(manifest, c.jsonPath)))),
    ...extra.map((c) => c.value(manifest)),
    formatAge(manifest.metadata?.creationTimestamp as string | undefined, now),
  ]);
  return formatTable(headers, rows);
}

function truncate(text: string, max = 60): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
