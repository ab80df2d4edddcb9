import type { Agent, Model, Query } from "@ark/kube";
import type { MockChatRequest, MockModel, MockReply, MockStaticReply } from "@ark/testing";
import type { ApiStack } from "./api-stack.js";

let counter = 0;
/** A fresh name per test, so tests of one suite share a stack without stepping on each other. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A namespace of its own for one test. */
export async function freshNamespace(stack: ApiStack): Promise<string> {
  const namespace = uniqueName("ns");
  await stack.resources.core.ensureNamespace(namespace);
  return namespace;
}

export async function createApiKeySecret(stack: ApiStack, namespace: string, name: string, key = "sk-test"): Promise<void> {
  await stack.resources.core.secrets.create({ metadata: { name, namespace }, stringData: { token: key } });
}

/** An openai Model at the mock, its key from a Secret; `properties` become Model properties (literal values). */
export async function createMockModel(stack: ApiStack, namespace: string, name: string, options: { secret: string; properties?: Record<string, string>; headers?: Record<string, string> }): Promise<Model> {
  const properties = options.properties ? Object.fromEntries(Object.entries(options.properties).map(([k, v]) => [k, { value: v }])) : undefined;
  return stack.resources.ark.models.create({
    metadata: { name, namespace },
    spec: {
      type: "openai",
      model: { value: "mock-model" },
      config: {
        openai: {
          baseUrl: { value: stack.mock.url },
          apiKey: { valueFrom: { secretKeyRef: { name: options.secret, key: "token" } } },
          ...(properties ? { properties } : {}),
          ...(options.headers ? { headers: Object.entries(options.headers).map(([name, value]) => ({ name, value: { value } })) } : {}),
        },
      },
    },
  });
}

export async function createAgent(stack: ApiStack, namespace: string, name: string, spec: Record<string, unknown> = {}): Promise<Agent> {
  return stack.resources.ark.agents.create({ metadata: { name, namespace }, spec: { prompt: "You are helpful.", ...spec } });
}

export async function createQuery(stack: ApiStack, namespace: string, name: string, spec: Record<string, unknown>): Promise<Query> {
  return stack.resources.ark.queries.create({ metadata: { name, namespace }, spec: spec as Query["spec"] });
}

/** What the model probe sends; answered apart so probes never eat a test's scripted replies. */
const PROBE_TEXT = "Hello";

/** Every non-probe request gets `reply`; probes get a plain answer. */
export function answerQueries(mock: MockModel, reply: MockStaticReply | ((request: MockChatRequest) => MockStaticReply)): void {
  const answer: MockReply = (request) => {
    if (request.lastUserText === PROBE_TEXT) return "Hello!";
    return typeof reply === "function" ? reply(request) : reply;
  };
  mock.setDefault(answer);
}

/** Chat requests that were not probes. */
export function queryRequests(mock: MockModel) {
  return mock.requests.filter((r) => r.path.endsWith("/chat/completions") && !JSON.stringify(r.body).includes(`"content":"${PROBE_TEXT}"}]`));
}
