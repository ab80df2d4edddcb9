import { isDeepStrictEqual } from "node:util";
import { createArkClient, createCoreClient, isConflict } from "@ark/kube";
import type { KubeConfig } from "@kubernetes/client-node";
import type { DefaultModelPlan } from "./model-provider.js";

const DEFAULT_NAMESPACE = "default";
const DEFAULT_NAME = "default";
const MODEL_SECRET = "default-model";
const EVALUATOR_NAME = "evaluator-llm";
/** Marks objects the dev stack made, so a later start may update them (and never touches the user's own). */
const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
const MANAGED_BY = "ark-dev";

/** "user": a `default` the user made, never touched; "kept": ours, already as wanted. */
export type SeedOutcome = "created" | "updated" | "kept" | "user";

/** Creates the `default` Model (key in a Secret) unless one exists; one the dev stack made earlier follows the current settings. */
export async function ensureDefaultModel(kc: KubeConfig, plan: DefaultModelPlan): Promise<SeedOutcome> {
  const ark = createArkClient(kc);
  const existing = await ark.models.get(DEFAULT_NAMESPACE, DEFAULT_NAME);
  if (existing && existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) return "user";

  const secret: Record<string, string> = { ...(plan.apiKey ? { apiKey: plan.apiKey } : {}), ...plan.aws };
  if (Object.keys(secret).length > 0) await upsertSecret(kc, MODEL_SECRET, secret);
  const keyRef = (key: string): unknown => ({ valueFrom: { secretKeyRef: { name: MODEL_SECRET, key } } });
  const providerConfig = {
    baseUrl: { value: plan.baseUrl },
    ...Object.fromEntries(Object.keys(secret).map((key) => [key, keyRef(key)])),
    ...(plan.apiVersion ? { apiVersion: { value: plan.apiVersion } } : {}),
    ...(plan.region ? { region: { value: plan.region } } : {}),
  };
  const spec = { type: plan.type, model: { value: plan.model }, config: { [plan.type]: providerConfig } };
  const metadata = { name: DEFAULT_NAME, namespace: DEFAULT_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY }, annotations: { "ark.mckinsey.com/dev-provider": plan.provider } };
  if (!existing) {
    await ark.models.create({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Model", metadata, spec } as never);
    return "created";
  }
  if (isDeepStrictEqual(existing.spec, spec)) return "kept";
  // Replace the whole spec: a merge patch would keep the previous provider's config block.
  await ark.models.replace({ ...existing, metadata: { ...existing.metadata, ...metadata }, spec } as never);
  return "updated";
}

/** A `default` Memory pointing at the stack's postgres-memory, unless one exists. */
export async function ensureDefaultMemory(kc: KubeConfig, address: string): Promise<SeedOutcome> {
  const ark = createArkClient(kc);
  const existing = await ark.memories.get(DEFAULT_NAMESPACE, DEFAULT_NAME);
  if (existing && existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) return "user";
  const spec = { address: { value: address } };
  const metadata = { name: DEFAULT_NAME, namespace: DEFAULT_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } };
  if (!existing) {
    await ark.memories.create({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Memory", metadata, spec } as never);
    return "created";
  }
  if (isDeepStrictEqual(existing.spec, spec)) return "kept";
  await ark.memories.replace({ ...existing, spec } as never);
  return "updated";
}

/** The Evaluator `evaluator-llm` pointing at the stack's evaluator-llm, unless one exists (as the chart creates it). */
export async function ensureDefaultEvaluator(kc: KubeConfig, address: string): Promise<SeedOutcome> {
  const ark = createArkClient(kc);
  const existing = await ark.evaluators.get(DEFAULT_NAMESPACE, EVALUATOR_NAME);
  if (existing && existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) return "user";
  const spec = { address: { value: address }, description: "LLM-as-judge (evaluator-llm)" };
  const metadata = { name: EVALUATOR_NAME, namespace: DEFAULT_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } };
  if (!existing) {
    await ark.evaluators.create({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Evaluator", metadata, spec } as never);
    return "created";
  }
  if (isDeepStrictEqual(existing.spec, spec)) return "kept";
  await ark.evaluators.replace({ ...existing, spec } as never);
  return "updated";
}

/** The ExecutionEngine `executor-langchain` pointing at the stack's executor-langchain, unless one exists. */
export async function ensureExecutionEngine(kc: KubeConfig, address: string): Promise<SeedOutcome> {
  const ark = createArkClient(kc);
  const name = "executor-langchain";
  const existing = await ark.executionEngines.get(DEFAULT_NAMESPACE, name);
  if (existing && existing.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) return "user";
  const spec = { type: "langchain", address: { value: address }, description: "LangChain.js agents; tools run in ARK" };
  const metadata = { name, namespace: DEFAULT_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } };
  if (!existing) {
    await ark.executionEngines.create({ apiVersion: "ark.mckinsey.com/v1prealpha1", kind: "ExecutionEngine", metadata, spec } as never);
    return "created";
  }
  if (isDeepStrictEqual(existing.spec, spec)) return "kept";
  await ark.executionEngines.replace({ ...existing, spec } as never);
  return "updated";
}

async function upsertSecret(kc: KubeConfig, name: string, stringData: Record<string, string>): Promise<void> {
  const core = createCoreClient(kc);
  const metadata = { name, namespace: DEFAULT_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } };
  try {
    await core.secrets.create({ metadata, type: "Opaque", stringData });
  } catch (err) {
    if (!isConflict(err)) throw err;
    await core.secrets.patch(DEFAULT_NAMESPACE, name, { stringData });
  }
}
