import type { Agent, Model, Query } from "@ark/kube";
import type { NewArkObject } from "@ark/kube";
import type { ApiStack } from "./api-stack.js";

let counter = 0;
/** A fresh name per test, so tests of one suite share a stack without stepping on each other. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function createApiKeySecret(stack: ApiStack, name: string, key = "sk-test", namespace = "default"): Promise<void> {
  await stack.resources.core.secrets.create({ metadata: { name, namespace }, stringData: { token: key } });
}

/** An openai Model at the mock, its key from a Secret; `properties` become Model properties (literal values). */
export async function createMockModel(
  stack: ApiStack,
  name: string,
  options: { secret: string; properties?: Record<string, string>; namespace?: string },
): Promise<Model> {
  const properties = options.properties
    ? Object.fromEntries(Object.entries(options.properties).map(([k, v]) => [k, { value: v }]))
    : undefined;
  return stack.resources.ark.models.create({
    metadata: { name, namespace: options.namespace ?? "default" },
    spec: {
      type: "openai",
      model: { value: "mock-model" },
      config: {
        openai: {
          baseUrl: { value: stack.mock.url },
          apiKey: { valueFrom: { secretKeyRef: { name: options.secret, key: "token" } } },
          ...(properties ? { properties } : {}),
        },
      },
    },
  });
}

export async function createAgent(stack: ApiStack, name: string, spec: NewArkObject<Record<string, unknown>>["spec"] = {}, namespace = "default"): Promise<Agent> {
  return stack.resources.ark.agents.create({ metadata: { name, namespace }, spec: { prompt: "You are helpful.", ...spec } });
}

export async function createQuery(stack: ApiStack, name: string, spec: Record<string, unknown>, namespace = "default"): Promise<Query> {
  return stack.resources.ark.queries.create({ metadata: { name, namespace }, spec: spec as Query["spec"] });
}
