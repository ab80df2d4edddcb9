import type { Condition } from "@ark/types";

export interface ConditionUpdate {
  type: string;
  status: Condition["status"];
  reason?: string;
  message?: string;
}

/** Kubernetes times are RFC 3339 to the second. */
export function kubeTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The conditions with `update` applied, as a new array in the same order. lastTransitionTime moves only
 * when the status flips (or the condition is new); reason, message and observedGeneration always follow.
 */
export function setCondition(conditions: readonly Condition[] | undefined, update: ConditionUpdate, observedGeneration: number | undefined, now: Date = new Date()): Condition[] {
  const current = conditions ?? [];
  const previous = current.find((c) => c.type === update.type);
  const next: Condition = {
    type: update.type,
    status: update.status,
    ...(update.reason !== undefined && { reason: update.reason }),
    ...(update.message !== undefined && { message: update.message }),
    lastTransitionTime: previous && previous.status === update.status && previous.lastTransitionTime ? previous.lastTransitionTime : kubeTime(now),
    ...(observedGeneration !== undefined && { observedGeneration }),
  };
  return previous ? current.map((c) => (c === previous ? next : c)) : [...current, next];
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === "True";
}

export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
