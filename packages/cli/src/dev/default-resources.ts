import { isDeepStrictEqual } from "node:util";
import { type ArkObject, createArkClient, createCoreClient, isConflict, type KindClient } from "@ark/kube";
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
  if (existing && !isManaged(existing)) return "user";

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
  return ensureManaged(ark.models, DEFAULT_NAME, spec, { existing, annotations: { "ark.mckinsey.com/dev-provider": plan.provider } });
}

interface SeededResource {
  kind: "memories" | "evaluators" | "executionEngines";
  name: string;
  spec: object;
}

/** The resource that points ARK at a service the stack runs (as the chart creates it): its kind, name and spec. */
const SERVICE_RESOURCES = {
  "postgres-memory": (url: string) => ({ kind: "memories", name: DEFAULT_NAME, spec: { address: { value: url } } }),
  "evaluator-llm": (url: string) => ({
    kind: "evaluators",
    name: EVALUATOR_NAME,
    spec: { address: { value: `${url}/evaluate` }, description: "LLM-as-judge (evaluator-llm)" },
  }),
  "executor-langchain": (url: string) => ({
    kind: "executionEngines",
    name: "executor-langchain",
    spec: { type: "langchain", address: { value: url }, description: "LangChain.js agents; tools run in ARK" },
  }),
} satisfies Record<string, (url: string) => SeededResource>;

type SeededService = keyof typeof SERVICE_RESOURCES;
export const SEEDED_SERVICES = Object.keys(SERVICE_RESOURCES) as SeededService[];

/** The resource pointing at the stack's `service` (listening at `url`), unless one of that name exists. */
export async function ensureServiceResource(kc: KubeConfig, service: SeededService, url: string): Promise<SeedOutcome> {
  const { kind, name, spec } = SERVICE_RESOURCES[service](url);
  return ensureManaged(createArkClient(kc)[kind], name, spec);
}

type SeededObject = ArkObject<unknown, unknown>;

function isManaged(obj: SeededObject): boolean {
  return obj.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
}

/**
 * Creates `default/<name>` with `spec`, or brings one the dev stack made earlier to `spec`; one without our label is
 * the user's and stays as it is. `existing`: the object as already read, saving a GET.
 */
async function ensureManaged(client: KindClient<unknown, unknown, never>, name: string, spec: object, options: { existing?: SeededObject | undefined; annotations?: Record<string, string> } = {}): Promise<SeedOutcome> {
  const existing = "existing" in options ? options.existing : await client.get(DEFAULT_NAMESPACE, name);
  if (existing && !isManaged(existing)) return "user";
  const metadata = {
    name,
    namespace: DEFAULT_NAMESPACE,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  if (!existing) {
    const { group, version, kind } = client.definition;
    await client.create({ apiVersion: `${group}/${version}`, kind, metadata, spec } as never);
    return "created";
  }
  if (isDeepStrictEqual(existing.spec, spec)) return "kept";
  // Replace the whole spec: a merge patch would keep a previous provider's config block.
  await client.replace({ ...existing, metadata: { ...existing.metadata, ...metadata }, spec });
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
