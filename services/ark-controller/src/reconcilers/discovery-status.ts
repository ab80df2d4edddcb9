import { setCondition, type ConditionUpdate } from "@ark/kube";
import { parseDuration, type Condition } from "@ark/types";

/** The two conditions of a server whose children are discovered (MCPServer's Tools, A2AServer's Agent). */
export interface DiscoveryConditions {
  ready?: ConditionUpdate;
  discovering?: ConditionUpdate;
}

interface DiscoveredObject {
  metadata: { generation?: number };
  status?: { conditions?: Condition[] } | undefined;
}

/** The status patch: `extra`, the Ready and Discovering conditions given (others kept), observedGeneration. */
export function discoveryStatus<Extra extends object>(server: DiscoveredObject, conditions: DiscoveryConditions, extra: Extra) {
  const generation = server.metadata.generation;
  let next = server.status?.conditions;
  if (conditions.ready) next = setCondition(next, conditions.ready, generation);
  if (conditions.discovering) next = setCondition(next, conditions.discovering, generation);
  return {
    ...extra,
    ...(next ? { conditions: next } : {}),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}

/** A Go duration in ms; 0 (or unparsable) means none: upstream's pollInterval 0 never requeues. */
export function goDurationMs(value: string | undefined, fallback: number): number {
  if (!value) return fallback;
  try {
    const ms = parseDuration(value);
    return ms > 0 ? ms : Infinity;
  } catch {
    return fallback;
  }
}
