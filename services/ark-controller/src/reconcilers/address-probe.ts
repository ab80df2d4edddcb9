import { setCondition, type ConditionUpdate } from "@ark/kube";
import type { Condition } from "@ark/types";
import type { ProbeSchedule, Probed } from "./probe-schedule.js";

/** What resolving an object's spec.address, then probing the address, found. */
export interface AddressVerdict {
  ok: boolean;
  reason: string;
  /** status.message. */
  message: string;
  address?: string;
}

export interface AddressProbeOptions<V extends AddressVerdict> {
  intervalMs: number;
  resolve(): Promise<V>;
  /** Called only with an address that resolved. */
  probe(address: string): Promise<V>;
  /** What else the verdict depends on; a change means probing again. */
  context?: string;
}

/** Not due yet (requeue after `dueIn`), or the verdict and when to probe again. */
export type AddressProbeResult<V extends AddressVerdict> = { dueIn: number } | { resolved: V; verdict: V; requeueAfter: number };

/**
 * Resolves the address and probes it when due: the object, the address or the context changed, the interval passed,
 * or sooner after failures (the schedule's backoff).
 */
export async function probeAddressWhenDue<V extends AddressVerdict>(
  probes: ProbeSchedule,
  key: string,
  obj: Probed,
  options: AddressProbeOptions<V>,
): Promise<AddressProbeResult<V>> {
  const resolved = await options.resolve();
  const fingerprint = options.context === undefined ? (resolved.address ?? "") : `${resolved.address ?? ""}|${options.context}`;
  const last = probes.current(key, obj, fingerprint);
  if (last) {
    const dueIn = probes.dueIn(last, options.intervalMs);
    if (dueIn > 0) return { dueIn };
  }
  const verdict = resolved.ok && resolved.address ? await options.probe(resolved.address) : resolved;
  const { failures } = probes.record(key, obj, fingerprint, verdict.ok, last);
  return { resolved, verdict, requeueAfter: probes.delay(failures, options.intervalMs) };
}

interface AddressedObject {
  metadata: { generation?: number };
  status?: { conditions?: Condition[] } | undefined;
}

/** The status of an object behind an address: phase ready/error, message, conditions, lastResolvedAddress, observedGeneration. */
export function addressStatus(obj: AddressedObject, fields: { ready: boolean; message: string; address: string | undefined; conditions: ConditionUpdate[] }) {
  const generation = obj.metadata.generation;
  const conditions = fields.conditions.reduce<Condition[] | undefined>((current, update) => setCondition(current, update, generation), obj.status?.conditions);
  return {
    phase: fields.ready ? ("ready" as const) : ("error" as const),
    message: fields.message,
    conditions: conditions ?? [],
    ...(fields.address ? { lastResolvedAddress: fields.address } : {}),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
}
