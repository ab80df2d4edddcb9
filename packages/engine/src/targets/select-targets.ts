import { type QuerySpec, type QueryTarget, queryTargets } from "@ark/types";
import { EngineError } from "../errors.js";
import type { ResourceResolver } from "./resolver.js";

const SELECTABLE_KINDS: readonly QueryTarget["type"][] = ["agent", "team", "model", "tool"];

/**
 * `spec.target`/`spec.targets`, then the resources `spec.selector` matches in the query's namespace:
 * Agents, Teams, Models, Tools, each in API order; no de-duplication (docs/upstream-compat.md §6.3).
 */
export async function resolveQueryTargets(spec: Pick<QuerySpec, "target" | "targets" | "selector">, namespace: string, resolver: Pick<ResourceResolver, "listNames">): Promise<QueryTarget[]> {
  const targets = queryTargets(spec);
  if (!spec.selector) return targets;
  if (!resolver.listNames) throw new EngineError("CONFIG_ERROR", "spec.selector: this worker cannot list resources by label");
  for (const type of SELECTABLE_KINDS) {
    const names = await resolver.listNames(type, namespace, spec.selector);
    targets.push(...names.map((name) => ({ type, name })));
  }
  return targets;
}

/** Where the query names its `index`-th target, in resolveQueryTargets' order: spec.target, spec.targets[i] or spec.selector. */
export function queryTargetField(spec: Pick<QuerySpec, "target" | "targets">, index: number): string {
  if (spec.target) return index === 0 ? "spec.target" : "spec.selector";
  return index < (spec.targets?.length ?? 0) ? `spec.targets[${index}]` : "spec.selector";
}
