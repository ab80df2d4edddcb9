import { arkKinds, type KindDefinition } from "@ark/types";
import { UsageError } from "../errors.js";

/**
 * How ark-api takes a kind's body: "flat" puts spec fields beside `name` (upstream's agents, models, teams,
 * queries, memories), "wrapped" sends `{name, spec}`; Secrets and Namespaces have their own routes.
 */
type BodyShape = "flat" | "wrapped" | "secret" | "namespace";

export interface CliKind {
  kind: string;
  /** The ark-api URL segment: /v1/namespaces/{ns}/<segment>. */
  segment: string;
  shape: BodyShape;
  /** Names accepted on the command line: plural, singular, kind, short names. */
  names: string[];
  definition?: KindDefinition;
}

// ark-api's segments and body styles (services/ark-api/src/dto/index.ts).
const SEGMENTS: Readonly<Record<string, string>> = {
  MCPServer: "mcp-servers",
  A2AServer: "a2a-servers",
  ExecutionEngine: "execution-engines",
  ReferenceGrant: "reference-grants",
};
const FLAT_KINDS: ReadonlySet<string> = new Set(["Agent", "Model", "Team", "Query", "Memory"]);

const cliKinds: readonly CliKind[] = [
  ...arkKinds.map((definition) => {
    const segment = SEGMENTS[definition.kind] ?? definition.plural;
    return {
      kind: definition.kind,
      segment,
      shape: FLAT_KINDS.has(definition.kind) ? ("flat" as const) : ("wrapped" as const),
      names: [...new Set([definition.plural, definition.singular, definition.kind.toLowerCase(), segment, ...(definition.shortNames ?? [])])],
      definition,
    };
  }),
  { kind: "Secret", segment: "secrets", shape: "secret", names: ["secrets", "secret"] },
  { kind: "Namespace", segment: "namespaces", shape: "namespace", names: ["namespaces", "namespace", "ns"] },
];

/** The kind a command-line word names (`agents`, `agent`, `Agent`, `mcp-servers`…). */
export function kindByName(word: string): CliKind {
  const lower = word.toLowerCase();
  const found = cliKinds.find((k) => k.names.includes(lower));
  if (!found) throw new UsageError(`unknown kind "${word}"; one of: ${cliKinds.map((k) => k.names[0]).join(", ")}`);
  return found;
}

/** The kind of a manifest's `kind` field (ARK kinds must carry the ARK apiVersion). */
export function kindOfManifest(apiVersion: unknown, kind: unknown): CliKind | undefined {
  const found = cliKinds.find((k) => k.kind === kind);
  if (!found) return undefined;
  if (found.definition && apiVersion !== `${found.definition.group}/${found.definition.version}`) return undefined;
  if (!found.definition && apiVersion !== "v1") return undefined;
  return found;
}
