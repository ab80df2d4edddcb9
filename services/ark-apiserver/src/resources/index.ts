import { arkKinds } from "@ark/types";
import type { ResourceType } from "../resource-type.js";
import { arkResourceType } from "./ark.js";
import { builtinResources } from "./builtin.js";

let served: ResourceType[] | undefined;

/**
 * Every resource the API server serves: ARK kinds first, then the built-ins. Computed once and
 * always the same array (discovery and OpenAPI cache per array), so callers must not mutate it.
 */
export function servedResources(): ResourceType[] {
  served ??= [...arkKinds.map(arkResourceType), ...builtinResources];
  return served;
}

/** The resource at `/apis/<group>/<version>/<name>`, where name is the plural, the singular or a short name. */
export function findResource(group: string, version: string, name: string): ResourceType | undefined {
  const candidates = servedResources().filter((r) => r.group === group && r.version === version);
  const lower = name.toLowerCase();
  return candidates.find((r) => r.plural === lower) ?? candidates.find((r) => r.singular === lower) ?? candidates.find((r) => r.shortNames.includes(lower));
}

export function findResourceByKind(group: string, version: string, kind: string): ResourceType | undefined {
  return servedResources().find((r) => r.group === group && r.version === version && r.kind === kind);
}
