import type { QueryBus } from "@ark/bus";
import type { ArkClient, CoreClient } from "@ark/kube";
import { EVALUATOR_TOKEN_AUDIENCE, loadConfig, namespaceToken } from "@ark/service-kit";
import { startArkStack, TEST_LOG_LEVEL as LOG_LEVEL, type RunningApiServer } from "@ark/test-stack";
import type { MockModel } from "@ark/testing";
import type { EvaluatorResponse, QueryEvent } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import { evaluatorConfig } from "../config.js";
import { start, type RunningEvaluatorService } from "../server.js";

const EVALUATOR_SECRET = "evaluator-test-secret-0123456789abcdef";

export interface EvaluatorStack {
  api: RunningApiServer;
  kc: KubeConfig;
  ark: ArkClient;
  core: CoreClient;
  mock: MockModel;
  bus: QueryBus<QueryEvent>;
  evaluator: RunningEvaluatorService;
  arkHome: string;
  /** POST /evaluate with a token for `namespace` (none when undefined). */
  post(body: unknown, namespace?: string): Promise<{ status: number; body: EvaluatorResponse & { error?: unknown } }>;
  close(): Promise<void>;
}

/** ark-apiserver on a fresh database, the mock model, an in-process bus, and evaluator-llm with token auth on them. */
export async function startEvaluatorStack(): Promise<EvaluatorStack> {
  const stack = await startArkStack({ label: "evaluator-llm" });
  const { kubeConfig: kc, arkHome, bus } = stack;
  const evaluator = await start(loadConfig(evaluatorConfig, { PORT: "0", LOG_LEVEL, ARK_HOME: arkHome, EVALUATOR_AUTH_SECRET: EVALUATOR_SECRET }), {
    kubeConfig: kc,
    bus,
    providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } },
  }).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  stack.onStop(() => evaluator.stop());
  return {
    api: stack.apiServer,
    kc,
    ark: stack.ark,
    core: stack.core,
    mock: stack.mock,
    bus,
    evaluator,
    arkHome,
    async post(body, namespace) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (namespace) headers["authorization"] = `Bearer ${namespaceToken(EVALUATOR_SECRET, EVALUATOR_TOKEN_AUDIENCE, namespace)}`;
      const response = await fetch(`${evaluator.url}/evaluate`, { method: "POST", headers, body: JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as EvaluatorResponse };
    },
    close: () => stack.stop(),
  };
}

let counter = 0;
/** A namespace of its own for one test. */
export async function freshNamespace(stack: EvaluatorStack): Promise<string> {
  counter += 1;
  const namespace = `ns-${counter}-${Math.random().toString(36).slice(2, 6)}`;
  await stack.core.ensureNamespace(namespace);
  return namespace;
}

/** An openai Model at the mock (its key from a Secret, as tenants do), answering as `modelId`. */
export async function createMockModel(stack: EvaluatorStack, namespace: string, name = "default", modelId = "mock-model"): Promise<void> {
  const secret = `${name}-key`;
  await stack.core.secrets.create({ metadata: { name: secret, namespace }, stringData: { token: "sk-test" } });
  await stack.ark.models.create({
    metadata: { name, namespace },
    spec: {
      type: "openai",
      model: { value: modelId },
      config: { openai: { baseUrl: { value: stack.mock.url }, apiKey: { valueFrom: { secretKeyRef: { name: secret, key: "token" } } } } },
    },
  });
}
