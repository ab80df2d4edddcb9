import { apiErrorMessage, patchStatus, setCondition, type ArkObject, type ConditionUpdate, type EventRecorder, type InformerCache, type KindClient, type ReconcileResult } from "@ark/kube";
import { AvailableReasons, type Condition, type ValueSource } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { ProbeSchedule, type Probed } from "./probe-schedule.js";

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
export async function probeAddressWhenDue<V extends AddressVerdict>(probes: ProbeSchedule, key: string, obj: Probed, options: AddressProbeOptions<V>): Promise<AddressProbeResult<V>> {
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

/** Resolves an object's spec.address: the address, or why there is none (reasons of the Available condition). */
export async function resolveAddressVerdict(resolveValueSource: ArkResources["resolveValueSource"], source: ValueSource, namespace: string, messages: { empty: string }): Promise<AddressVerdict> {
  try {
    const address = await resolveValueSource(source, namespace);
    if (!address) return { ok: false, reason: AvailableReasons.InvalidAddress, message: messages.empty };
    return { ok: true, reason: AvailableReasons.AddressResolved, message: "", address };
  } catch (error) {
    return { ok: false, reason: AvailableReasons.AddressResolutionFailed, message: `Failed to resolve address: ${apiErrorMessage(error)}` };
  }
}

type AddressedResource = ArkObject<unknown, { conditions?: Condition[]; lastResolvedAddress?: string; phase?: string; observedGeneration?: number }>;

/** A kind behind an address whose status is the probe's verdict: Memory, ExecutionEngine. */
export interface AddressedKind<T extends AddressedResource, V extends AddressVerdict> {
  cache: InformerCache<T>;
  client: Pick<KindClient<T["spec"], NonNullable<T["status"]>, unknown>, "patchStatus">;
  events: EventRecorder;
  intervalMs: number;
  resolve(obj: T): Promise<V>;
  /** Called only with an address that resolved. */
  probe(obj: T, address: string): Promise<V>;
  /** The conditions the verdict sets. */
  conditions(verdict: V): ConditionUpdate[];
  /** The message of the Normal event AddressResolved, recorded when the resolved address changes. */
  resolvedMessage(address: string): string;
  /** Also a Warning event AddressResolutionFailed when the address stops resolving. */
  warnUnresolved?: boolean;
}

/**
 * The reconciler of an addressed kind: resolve spec.address, probe it when due (a change, the interval, sooner after
 * failures: 2 s doubling), and write phase ready/error, message, conditions and lastResolvedAddress.
 */
export function addressProbeReconciler<T extends AddressedResource, V extends AddressVerdict>(kind: AddressedKind<T, V>) {
  const probes = new ProbeSchedule({ retryBaseMs: 2_000 });
  return async (key: string): Promise<ReconcileResult | void> => {
    const obj = probes.objectOf(key, kind.cache);
    if (!obj) return;
    const checked = await probeAddressWhenDue(probes, key, obj, { intervalMs: kind.intervalMs, resolve: () => kind.resolve(obj), probe: (address) => kind.probe(obj, address) });
    if ("dueIn" in checked) return { requeueAfter: checked.dueIn };
    const { resolved, verdict } = checked;
    const desired = addressStatus(obj, { ready: verdict.ok, message: verdict.message, address: verdict.address, conditions: kind.conditions(verdict) });
    await patchStatus(kind.client, obj, desired as never);
    if (verdict.address && verdict.address !== obj.status?.lastResolvedAddress) {
      record(obj, "Normal", AvailableReasons.AddressResolved, kind.resolvedMessage(verdict.address));
    } else if (kind.warnUnresolved && !resolved.ok && obj.status?.phase !== "error") {
      record(obj, "Warning", AvailableReasons.AddressResolutionFailed, verdict.message);
    }
    return { requeueAfter: checked.requeueAfter };
  };

  function record(obj: T, type: "Normal" | "Warning", reason: string, message: string): void {
    void kind.events.record(obj, { type, reason, message }).catch(() => undefined);
  }
}
