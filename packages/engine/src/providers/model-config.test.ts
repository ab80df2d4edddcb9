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
    await expect(resolveModelConfig({ namespace: "ai", name: "gpt" }, spec, resolve)).rejects.toThrow("model ai/gpt: spec.config.openai.apiKey: key token not found in secret ai/missing");
    const other = { type: "mistral", model: { value: "m" }, config: {} } as unknown as ModelSpec;
    await expect(resolveModelConfig({ namespace: "ai", name: "b" }, other, resolve)).rejects.toThrow('model ai/b: unsupported model type "mistral"');
    const noConfig = { type: "gemini", model: { value: "m" }, config: {} } as ModelSpec;
    await expect(resolveModelConfig({ namespace: "ai", name: "g" }, noConfig, resolve)).rejects.toThrow("model ai/g: spec.config.gemini is required");
  });

  it("reads the anthropic version and the bedrock region, keys, model ARN and limits", async () => {
    const anthropic: ModelSpec = {
      type: "anthropic",
      model: { value: "claude-x" },
      config: { anthropic: { apiKey: secret("openai-key"), version: { value: "2023-06-01" } } },
    };
    expect(await resolveModelConfig({ namespace: "ai", name: "c" }, anthropic, resolve)).toEqual({
      type: "anthropic",
      resource: "ai/c",
      model: "claude-x",
      baseUrl: "",
      apiKey: "sk-1",
      version: "2023-06-01",
      properties: {},
    });
    const bedrock: ModelSpec = {
      type: "bedrock",
      model: { value: "anthropic.claude-x" },
      config: {
        bedrock: {
          baseUrl: { value: "https://vpce.example" },
          region: { value: "eu-west-1" },
          accessKeyId: { value: "AKIDEXAMPLE" },
          secretAccessKey: secret("azure-key"),
          modelArn: { value: "arn:aws:bedrock:eu-west-1:123:inference-profile/eu.claude-x" },
          maxTokens: 512,
          temperature: "0.5",
        },
      },
    };
    expect(await resolveModelConfig({ namespace: "ai", name: "b" }, bedrock, resolve)).toEqual({
      type: "bedrock",
      resource: "ai/b",
      model: "arn:aws:bedrock:eu-west-1:123:inference-profile/eu.claude-x",
      baseUrl: "https://vpce.example",
      apiKey: "",
      properties: {},
      bedrock: { region: "eu-west-1", accessKeyId: "AKIDEXAMPLE", secretAccessKey: "az-1", maxTokens: 512, temperature: 0.5 },
    });
  });
});
