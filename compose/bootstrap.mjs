// docker compose's one-shot seed: ark-api's admin key (made and printed once, kept only as its sha256); the `default`
// Model from the provider settings in the environment (the same choice as `ark dev`,
// packages/cli/src/dev/model-provider.ts), else the mock model; the `default` Memory; and the ExecutionEngine
// `executor-langchain`.
// Runs in the ark-api image, whose node_modules hold @kubernetes/client-node. Objects a user made are left alone.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import * as k8s from "@kubernetes/client-node";

const env = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));

/** The admin key, shown this once: ark-api gets only its sha256 (ARK_API_ADMIN_KEY_SHA256_FILE). */
function ensureAdminKey(hashFile) {
  if (existsSync(hashFile)) {
    console.log(`ark-api admin key: made on the first start (only its sha256 is kept, in ${hashFile}); remove the volume ark-api-auth for a new one`);
    return;
  }
  const key = `ark_admin_${randomBytes(24).toString("base64url")}`;
  writeFileSync(hashFile, `${createHash("sha256").update(key).digest("hex")}\n`, { mode: 0o600, flag: "wx" });
  console.log(
    [
      "",
      "=== ark-api admin key (shown once; only its sha256 is stored) ===",
      key,
      "Use it as a bearer token: export ARK_API_KEY=<key> for the ark CLI, or `Authorization: Bearer <key>`;",
      "create narrower keys with POST /v1/api-keys.",
      "",
    ].join("\n"),
  );
}

if (!env.ARK_API_ADMIN_KEY_SHA256_FILE) throw new Error("ARK_API_ADMIN_KEY_SHA256_FILE is unset: where ark-api reads its admin key's sha256");
ensureAdminKey(env.ARK_API_ADMIN_KEY_SHA256_FILE);
const NAMESPACE = "default";
const NAME = "default";
const SECRET = "default-model";
const GROUP = "ark.mckinsey.com";
const VERSION = "v1alpha1";
const labels = { "app.kubernetes.io/managed-by": "ark-compose" };

function modelPlan() {
  const chosen = env.ARK_DEFAULT_MODEL;
  if (env.OPENAI_API_KEY) {
    return { provider: "openai", type: "openai", model: chosen ?? "gpt-4.1-mini", baseUrl: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1", apiKey: env.OPENAI_API_KEY };
  }
  if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT) {
    return {
      provider: "azure", type: "azure", model: env.AZURE_OPENAI_DEPLOYMENT ?? chosen ?? "gpt-4.1-mini", baseUrl: env.AZURE_OPENAI_ENDPOINT,
      apiKey: env.AZURE_OPENAI_API_KEY, apiVersion: env.AZURE_OPENAI_API_VERSION,
    };
  }
  if (env.ANTHROPIC_API_KEY) {
    return { provider: "anthropic", type: "openai", model: chosen ?? "claude-sonnet-4-5", baseUrl: env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com/v1/", apiKey: env.ANTHROPIC_API_KEY };
  }
  if (env.OLLAMA_BASE_URL) {
    return { provider: "ollama", type: "openai", model: chosen ?? "llama3.2", baseUrl: `${env.OLLAMA_BASE_URL.replace(/\/+$/, "")}/v1`, apiKey: "ollama" };
  }
  if (!env.MOCK_MODEL_URL) throw new Error("no model provider configured and MOCK_MODEL_URL is unset");
  return { provider: "mock", type: "openai", model: "mock-model", baseUrl: env.MOCK_MODEL_URL, apiKey: "mock" };
}

if (!env.KUBECONFIG) throw new Error("KUBECONFIG is unset: ark-apiserver writes it into the ark-home volume");
const kc = new k8s.KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const core = kc.makeApiClient(k8s.CoreV1Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);

const status = (err) => err?.code ?? err?.statusCode;

async function readOrUndefined(read) {
  try {
    return await read();
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  }
}

const ours = (object) => object?.metadata?.labels?.["app.kubernetes.io/managed-by"] === labels["app.kubernetes.io/managed-by"];

async function upsertSecret(stringData) {
  const existing = await readOrUndefined(() => core.readNamespacedSecret({ namespace: NAMESPACE, name: SECRET }));
  const body = { apiVersion: "v1", kind: "Secret", metadata: { name: SECRET, namespace: NAMESPACE, labels }, type: "Opaque", stringData };
  if (!existing) return core.createNamespacedSecret({ namespace: NAMESPACE, body });
  if (!ours(existing)) throw new Error(`secret ${NAMESPACE}/${SECRET} exists and was not made by this bootstrap`);
  // A merge patch: ark-api's identity, which the bootstrap runs as, may patch Secrets but not replace them.
  const patch = { metadata: { labels, resourceVersion: existing.metadata.resourceVersion }, stringData };
  return core.patchNamespacedSecret({ namespace: NAMESPACE, name: SECRET, body: patch }, k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch));
}

/** Creates `plural/<name>` (default), or replaces its spec when this bootstrap made it; "user" when someone else did. */
async function upsert(kind, plural, spec, annotations = {}, name = NAME, version = VERSION) {
  const ref = { group: GROUP, version, namespace: NAMESPACE, plural };
  const existing = await readOrUndefined(() => custom.getNamespacedCustomObject({ ...ref, name }));
  const metadata = { name, namespace: NAMESPACE, labels, annotations };
  if (!existing) {
    await custom.createNamespacedCustomObject({ ...ref, body: { apiVersion: `${GROUP}/${version}`, kind, metadata, spec } });
    return "created";
  }
  if (!ours(existing)) return "left as the user made it";
  if (isDeepStrictEqual(existing.spec, spec)) return "kept";
  const body = { ...existing, metadata: { ...existing.metadata, ...metadata, resourceVersion: existing.metadata.resourceVersion }, spec };
  await custom.replaceNamespacedCustomObject({ ...ref, name, body });
  return "updated";
}

const plan = modelPlan();
const existingModel = await readOrUndefined(() => custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: NAMESPACE, plural: "models", name: NAME }));
if (existingModel && !ours(existingModel)) {
  console.log(`model ${NAMESPACE}/${NAME}: left as the user made it`);
} else {
  await upsertSecret({ apiKey: plan.apiKey });
  const providerConfig = {
    baseUrl: { value: plan.baseUrl },
    apiKey: { valueFrom: { secretKeyRef: { name: SECRET, key: "apiKey" } } },
    ...(plan.apiVersion ? { apiVersion: { value: plan.apiVersion } } : {}),
  };
  const spec = { type: plan.type, model: { value: plan.model }, config: { [plan.type]: providerConfig } };
  const outcome = await upsert("Model", "models", spec, { "ark.mckinsey.com/compose-provider": plan.provider });
  console.log(`model ${NAMESPACE}/${NAME}: ${outcome} (${plan.provider}, ${plan.model} at ${plan.baseUrl})${plan.provider === "mock" ? " — no provider configured: answers come from the mock model" : ""}`);
}
if (env.MEMORY_URL) {
  console.log(`memory ${NAMESPACE}/${NAME}: ${await upsert("Memory", "memories", { address: { value: env.MEMORY_URL } })} (${env.MEMORY_URL})`);
}
if (env.EVALUATOR_URL) {
  const outcome = await upsert("Evaluator", "evaluators", { address: { value: env.EVALUATOR_URL }, description: "LLM-as-judge (evaluator-llm)" }, {}, "evaluator-llm");
  console.log(`evaluator ${NAMESPACE}/evaluator-llm: ${outcome} (${env.EVALUATOR_URL})`);
}
if (env.EXECUTOR_URL) {
  const spec = { type: "langchain", address: { value: env.EXECUTOR_URL }, description: "LangChain.js agents; tools run in ARK" };
  console.log(`execution engine ${NAMESPACE}/executor-langchain: ${await upsert("ExecutionEngine", "executionengines", spec, {}, "executor-langchain", "v1prealpha1")} (${env.EXECUTOR_URL})`);
}
