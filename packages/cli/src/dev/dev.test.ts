import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { controllerConfig } from "@ark/ark-controller";
import { loadConfig } from "@ark/service-kit";
import { describe, expect, it, vi } from "vitest";
import { pino } from "pino";
import { mockModelPlan, modelPlanFromEnv } from "./model-provider.js";
import { servicePort } from "./ports.js";
import { StackInterrupted, startStack } from "./stack.js";
import { serviceEnv, type ServiceEntry, type StackContext } from "./stack-context.js";
import { devBindHost } from "./bind-host.js";
import { devRateLimit } from "./services.js";
import { runDev } from "./run-dev.js";

describe("servicePort", () => {
  it("uses ARCHITECTURE's ports, an offset, or a service's own variable", () => {
    expect(servicePort("ark-api", {})).toBe(8000);
    expect(servicePort("ark-apiserver", { ARK_PORT_OFFSET: "100" })).toBe(6543);
    expect(servicePort("ark-api", { ARK_PORT_OFFSET: "100", ARK_PORT_ARK_API: "18000" })).toBe(18000);
    expect(() => servicePort("ark-api", { ARK_PORT_OFFSET: "x" })).toThrow("ARK_PORT_OFFSET");
  });
});

describe("devBindHost", () => {
  it("binds 127.0.0.1 whatever HOST says; ARK_DEV_HOST changes it, loudly when beyond loopback", () => {
    const warnings: string[] = [];
    const warn = (message: string) => void warnings.push(message);
    expect(devBindHost({ HOST: "0.0.0.0" }, warn)).toBe("127.0.0.1");
    expect(devBindHost({}, warn)).toBe("127.0.0.1");
    expect(devBindHost({ ARK_DEV_HOST: "127.0.0.2" }, warn)).toBe("127.0.0.2");
    expect(warnings).toEqual([]);
    expect(devBindHost({ HOST: "127.0.0.1", ARK_DEV_HOST: "0.0.0.0" }, warn)).toBe("0.0.0.0");
    expect(warnings.join("\n")).toContain("ARK_DEV_HOST=0.0.0.0: the dev stack listens beyond this machine");
    expect(() => devBindHost({ ARK_DEV_HOST: "my laptop" }, warn)).toThrow('ARK_DEV_HOST: expected an IP address or localhost, got "my laptop"');
  });

  it("is the HOST every service gets, not the exported one", () => {
    const ctx = { env: { HOST: "0.0.0.0" }, host: "127.0.0.1", arkHome: "/tmp/x", port: () => 1 } as unknown as StackContext;
    expect(serviceEnv(ctx, "ark-api")).toMatchObject({ HOST: "127.0.0.1", PORT: "1" });
  });
});

describe("tracing variables in the dev stack", () => {
  it("hands OTEL_* and ARK_TRACE_CONTENT to every in-process service (the worker reads the content mode)", () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json", ARK_TRACE_CONTENT: "full", KUBECONFIG: "/tmp/kubeconfig" };
    const ctx = { env, host: "127.0.0.1", arkHome: "/tmp/x", port: () => 1 } as unknown as StackContext;
    const config = loadConfig(controllerConfig, serviceEnv(ctx, "ark-controller"));
    expect(config).toMatchObject({ ARK_TRACE_CONTENT: "full", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
    expect(loadConfig(controllerConfig, serviceEnv({ ...ctx, env: { KUBECONFIG: "/tmp/kubeconfig" } }, "ark-controller")).ARK_TRACE_CONTENT).toBe("truncated");
  });

  it("refuses a bad ARK_TRACE_CONTENT before starting anything, naming the variable", async () => {
    const home = await mkdtemp(join(tmpdir(), "ark-dev-trace-"));
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await runDev({ verbose: false, env: { ARK_HOME: home, ARK_TRACE_CONTENT: "everything" } })).toBe(1);
      expect(stderr.mock.calls.map(([text]) => String(text)).join("")).toContain("ARK_TRACE_CONTENT: expected one of none, truncated, full");
    } finally {
      stderr.mockRestore();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("devRateLimit", () => {
  it("turns ark-api's per-principal rate limit off in the local stack unless RATE_LIMIT_PER_MINUTE is set", () => {
    expect(devRateLimit({})).toEqual({ RATE_LIMIT_PER_MINUTE: "0" });
    expect(devRateLimit({ RATE_LIMIT_PER_MINUTE: "600" })).toEqual({ RATE_LIMIT_PER_MINUTE: "600" });
  });
});

describe("modelPlanFromEnv", () => {
  it("prefers OpenAI, then Azure, Anthropic, Gemini, Bedrock, Ollama (each native); none without settings", () => {
    expect(modelPlanFromEnv({})).toBeUndefined();
    expect(modelPlanFromEnv({ OPENAI_API_KEY: "sk", ANTHROPIC_API_KEY: "a" })).toMatchObject({ provider: "openai", model: "gpt-4.1-mini", baseUrl: "https://api.openai.com/v1", apiKey: "sk" });
    expect(modelPlanFromEnv({ OPENAI_API_KEY: "sk", OPENAI_BASE_URL: "http://proxy/v1", ARK_DEFAULT_MODEL: "gpt-5" })).toMatchObject({ baseUrl: "http://proxy/v1", model: "gpt-5" });
    expect(modelPlanFromEnv({ AZURE_OPENAI_API_KEY: "az", AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com", AZURE_OPENAI_API_VERSION: "2024-10-21", AZURE_OPENAI_DEPLOYMENT: "dep" })).toMatchObject({
      provider: "azure",
      type: "azure",
      model: "dep",
      apiVersion: "2024-10-21",
    });
    expect(modelPlanFromEnv({ AZURE_OPENAI_API_KEY: "az" })).toBeUndefined();
    expect(modelPlanFromEnv({ ANTHROPIC_API_KEY: "a", GEMINI_API_KEY: "g" })).toMatchObject({ provider: "anthropic", type: "anthropic", baseUrl: "https://api.anthropic.com", apiKey: "a" });
    expect(modelPlanFromEnv({ GEMINI_API_KEY: "g", OLLAMA_BASE_URL: "http://o" })).toMatchObject({ type: "gemini", model: "gemini-2.5-flash", apiKey: "g" });
    expect(modelPlanFromEnv({ AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "s", AWS_REGION: "eu-west-1" })).toEqual({
      provider: "bedrock",
      source: "AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY",
      type: "bedrock",
      model: "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
      baseUrl: "https://bedrock-runtime.eu-west-1.amazonaws.com",
      region: "eu-west-1",
      aws: { accessKeyId: "AKID", secretAccessKey: "s" },
    });
    expect(modelPlanFromEnv({ OLLAMA_BASE_URL: "http://localhost:11434/" })).toEqual({
      provider: "ollama",
      source: "OLLAMA_BASE_URL",
      type: "ollama",
      model: "llama3.2",
      baseUrl: "http://localhost:11434",
    });
    expect(mockModelPlan("http://127.0.0.1:1/v1")).toMatchObject({ provider: "mock", type: "openai", baseUrl: "http://127.0.0.1:1/v1" });
  });
});

describe("startStack", () => {
  const ctx = (): StackContext => ({ env: {}, host: "127.0.0.1", arkHome: "/tmp/x", logger: pino({ level: "silent" }), bus: {} as StackContext["bus"], port: () => 0, urls: new Map() });
  const entry = (name: string, log: string[], options: Partial<ServiceEntry> = {}): ServiceEntry => ({
    name,
    async start() {
      log.push(`start ${name}`);
      return { url: `http://${name}`, stop: async () => void log.push(`stop ${name}`) };
    },
    ...options,
  });

  it("starts in order, skips and reports failures of optional services, stops in reverse", async () => {
    const log: string[] = [];
    const broken = entry("broken", log, { start: () => Promise.reject(new Error("not ready yet")) });
    const stack = await startStack([entry("a", log), entry("skipped", log, { skip: () => "not needed" }), broken, entry("b", log)], ctx());
    expect(stack.services.map((s) => [s.name, s.state])).toEqual([
      ["a", "running"],
      ["skipped", "skipped"],
      ["broken", "failed"],
      ["b", "running"],
    ]);
    expect(await stack.stop()).toEqual([]);
    expect(log).toEqual(["start a", "start b", "stop b", "stop a"]);
  });

  it("stops what started when a required service fails", async () => {
    const log: string[] = [];
    const required = entry("core", log, { required: true, start: () => Promise.reject(new Error("port in use")) });
    await expect(startStack([entry("a", log), required, entry("b", log)], ctx())).rejects.toThrow("core failed to start: port in use");
    expect(log).toEqual(["start a", "stop a"]);
  });

  it("stops what started and throws StackInterrupted when interrupted while starting", async () => {
    const log: string[] = [];
    const interrupt = new AbortController();
    const interrupting = entry("a", log, {
      async start() {
        log.push("start a");
        interrupt.abort();
        return { url: "http://a", stop: async () => void log.push("stop a") };
      },
    });
    await expect(startStack([interrupting, entry("b", log)], ctx(), interrupt.signal)).rejects.toThrow(StackInterrupted);
    expect(log).toEqual(["start a", "stop a"]);
  });
});
