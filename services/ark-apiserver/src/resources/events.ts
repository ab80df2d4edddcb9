/**
 * The resources Kubernetes Events are stored as: core `v1` and `events.k8s.io/v1`. What sets them apart from other
 * objects (docs/architecture.md §2): a cap of their own that evicts the oldest instead of refusing, a TTL, and set-based
 * inserts and deletes in the group commit.
 */
export const EVENT_RESOURCES = [
  { group: "", resource: "events" },
  { group: "events.k8s.io", resource: "events" },
] as const;

export function isEventResource(group: string, resource: string): boolean {
  return EVENT_RESOURCES.some((r) => r.group === group && r.resource === resource);
}
