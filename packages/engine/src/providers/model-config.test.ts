import type { ModelSpec, ValueSource } from "@ark/types";
import { describe, expect, it } from "vitest";
import { resolveModelConfig } from "./model-config.js";

const secrets: Record<string, string> = { "ai/openai-key": "sk-1", "ai/azure-key": "az-1" };
const resolve = async (source: ValueSource, namespace: string): Promise<string> => {
  if (source.value) return source.value;
  const ref = source.valueFrom?.secretKeyRef;
  const value = ref ? secrets[`${namespace}/${ref.name}`] : undefined;
  if (value === undefined) throw new Error(`key ${ref?.key} not found in secret ${namespace}/${ref?.name}`);
  return value;
};
const secret = (name: string): ValueSource => ({ valueFrom: { secretKeyRef: { name, key: "token" } } });

describe("resolveModelConfig", () => {
  it("reads every ValueSource of an azure Model in its namespace", async () => {
    const spec: ModelSpec = {
      type: "azure",
      model: { value: "gpt-4o-deploy" },
      config: { azure: { baseUrl: { value: "https://x.openai.azure.com" }, apiKey: secret("azure-key"), apiVersion: { value: "2024-06-01" }, properties: { temperature: { value: "0.2" } } } },
    };
    expect(await resolveModelConfig({ namespace: "ai", name: "gpt" }, spec, resolve)).toEqual({
      type: "azure",
      resource: "ai/gpt",
      model: "gpt-4o-deploy",
      baseUrl: "https://x.openai.azure.com",
      apiKey: "az-1",
      apiVersion: "2024-06-01",
      properties: { temperature: "0.2" },
    });
  });

  it("names the Model and the field when a value cannot be read, or the type is not supported yet", async () => {
    const spec: ModelSpec = { type: "openai", model: { value: "m" }, config: { openai: { baseUrl: { value: "http://h/v1" }, apiKey: secret("missing") } } };
    await expect(resolveModelConfig({ namespace: "ai", name: "gpt" }, spec, resolve)).rejects.toThrow(
      "model ai/gpt: spec.config.openai.apiKey: key token not found in secret ai/missing",
    );
    const bedrock = { type: "bedrock", model: { value: "m" }, config: { bedrock: {} } } as ModelSpec;
    await expect(resolveModelConfig({ namespace: "ai", name: "b" }, bedrock, resolve)).rejects.toThrow('model ai/b: unsupported model type "bedrock"');
  });
});
