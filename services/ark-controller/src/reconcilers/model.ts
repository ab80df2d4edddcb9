import type { ProviderOptions } from "@ark/engine";
import { backoffDelay, getCondition, patchStatus, setCondition, splitKey, type EventRecorder, type InformerCache, type Model, type ReconcileResult } from "@ark/kube";
import type { ArkResources } from "../resources.js";
import { AVAILABLE } from "./conditions.js";
import { probeModel } from "./model-probe.js";

export interface ModelReconcilerDeps {
  models: InformerCache<Model>;
  resources: ArkResources;
  events: EventRecorder;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  providerOptions?: ProviderOptions;
}

interface LastProbe {
  uid: string;
  generation: number | undefined;
  at: number;
  failures: number;
}

/**
 * Model: resolve the config and probe the provider → Available and phase ready/error; probe again on a spec
 * change (generation), every probe interval, and sooner after a failure (a Secret applied after the Model).
 */
export function modelReconciler(deps: ModelReconcilerDeps) {
  const probes = new Map<string, LastProbe>();
  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    const model = deps.models.get(namespace, name);
    if (!model) {
      probes.delete(key);
      return;
    }
    const uid = model.metadata.uid ?? "";
    const generation = model.metadata.generation;
    const last = probes.get(key);
    const current = last && last.uid === uid && last.generation === generation && model.status?.observedGeneration === generation;
    if (current) {
      const due = last.at + retryAfter(last.failures, deps.probeIntervalMs) - Date.now();
      if (due > 0) return { requeueAfter: due };
    }
    const result = await probeModel(model, deps.resources, deps.probeTimeoutMs, deps.providerOptions);
    const failures = result.ok ? 0 : (current ? last.failures : 0) + 1;
    probes.set(key, { uid, generation, at: Date.now(), failures });
    const previous = getCondition(model.status?.conditions, AVAILABLE);
    const conditions = setCondition(
      model.status?.conditions,
      { type: AVAILABLE, status: result.ok ? "True" : "False", reason: result.ok ? "ProbeSucceeded" : "ProbeFailed", message: result.message },
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
      void deps.events
        .record(model, { type: result.ok ? "Normal" : "Warning", reason: result.ok ? "ModelResolveComplete" : "ModelResolveError", message: details })
        .catch(() => undefined);
    }
    return { requeueAfter: retryAfter(failures, deps.probeIntervalMs) };
  };
}

/** After failures, probe again sooner: 5 s doubling, never later than the interval. */
function retryAfter(failures: number, intervalMs: number): number {
  return failures === 0 ? intervalMs : Math.min(intervalMs, backoffDelay(failures, { baseMs: 5_000, maxMs: intervalMs }));
}
