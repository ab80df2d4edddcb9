import type { ProviderOptions } from "@ark/engine";
import { getCondition, patchStatus, setCondition, splitKey, type EventRecorder, type InformerCache, type Model, type ReconcileResult } from "@ark/kube";
import { AVAILABLE_CONDITION, AvailableReasons } from "@ark/types";
import type { ArkResources } from "../resources.js";
import { goDurationMs } from "./discovery-status.js";
import { probeModel } from "./model-probe.js";
import { ProbeSchedule } from "./probe-schedule.js";

export interface ModelReconcilerDeps {
  models: InformerCache<Model>;
  resources: ArkResources;
  events: EventRecorder;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  providerOptions?: ProviderOptions;
}

/**
 * Model: resolve the config and probe the provider → Available and phase ready/error; probe again on a spec
 * change (generation), every spec.pollInterval (else the controller's probe interval; 0: only on a change), and
 * sooner after a failure (a Secret applied after the Model).
 */
export function modelReconciler(deps: ModelReconcilerDeps) {
  // After failures, probe again sooner: 5 s doubling, never later than the interval.
  const probes = new ProbeSchedule({ retryBaseMs: 5_000 });
  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const model = deps.models.get(namespace, name);
    if (!model) {
      probes.forget(key);
      return;
    }
    const generation = model.metadata.generation;
    const intervalMs = goDurationMs(model.spec.pollInterval, deps.probeIntervalMs);
    const last = probes.current(key, model);
    if (last) {
      const due = probes.dueIn(last, intervalMs);
      if (due > 0) return due < Infinity ? { requeueAfter: due } : undefined;
    }
    const result = await probeModel(model, deps.resources, deps.probeTimeoutMs, deps.providerOptions);
    const { failures } = probes.record(key, model, "", result.ok, last);
    const previous = getCondition(model.status?.conditions, AVAILABLE_CONDITION);
    const conditions = setCondition(
      model.status?.conditions,
      { type: AVAILABLE_CONDITION, status: result.ok ? "True" : "False", reason: result.ok ? AvailableReasons.ProbeSucceeded : AvailableReasons.ProbeFailed, message: result.message },
      generation,
    );
    await patchStatus(deps.resources.ark.models, model, {
      phase: result.ok ? "ready" : "error",
      message: result.message,
      conditions,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    });
    if (previous?.status !== (result.ok ? "True" : "False") || previous?.message !== result.message) {
      const details = JSON.stringify({ name: `${namespace}/${name}`, namespace, ...(result.ok ? {} : { error: result.message }) });
      void deps.events.record(model, { type: result.ok ? "Normal" : "Warning", reason: result.ok ? "ModelResolveComplete" : "ModelResolveError", message: details }).catch(() => undefined);
    }
    const delay = probes.delay(failures, intervalMs);
    return delay < Infinity ? { requeueAfter: delay } : undefined;
  };
}
