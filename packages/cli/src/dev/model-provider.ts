/** The default Model the dev stack creates, as chosen from the environment (or the bundled mock). */
export interface DefaultModelPlan {
  provider: "openai" | "azure" | "anthropic" | "ollama" | "mock";
  /** For the summary: which settings it came from. */
  source: string;
  model: string;
  type: "openai" | "azure";
  baseUrl: string;
  /** Stored in a Secret that the Model references; never inline. */
  apiKey: string;
  apiVersion?: string;
}

type Env = Record<string, string | undefined>;

const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";
const DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-5";
const DEFAULT_OLLAMA_MODEL = "llama3.2";
const MOCK_MODEL = "mock-model";

/** The first configured provider: OpenAI, Azure OpenAI, Anthropic (its OpenAI-compatible API), Ollama; undefined: none. */
export function modelPlanFromEnv(env: Env): DefaultModelPlan | undefined {
  const chosen = env.ARK_DEFAULT_MODEL;
  if (env.OPENAI_API_KEY) {
    return {
      provider: "openai",
      source: "OPENAI_API_KEY",
      model: chosen ?? DEFAULT_OPENAI_MODEL,
      type: "openai",
      baseUrl: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
      apiKey: env.OPENAI_API_KEY,
    };
  }
  if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT) {
    return {
      provider: "azure",
      source: "AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT",
      model: env.AZURE_OPENAI_DEPLOYMENT ?? chosen ?? DEFAULT_OPENAI_MODEL,
      type: "azure",
      baseUrl: env.AZURE_OPENAI_ENDPOINT,
      apiKey: env.AZURE_OPENAI_API_KEY,
      ...(env.AZURE_OPENAI_API_VERSION ? { apiVersion: env.AZURE_OPENAI_API_VERSION } : {}),
    };
  }
  if (env.ANTHROPIC_API_KEY) {
    return {
      provider: "anthropic",
      source: "ANTHROPIC_API_KEY",
      model: chosen ?? DEFAULT_ANTHROPIC_MODEL,
      type: "openai",
      baseUrl: env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com/v1/",
      apiKey: env.ANTHROPIC_API_KEY,
    };
  }
  if (env.OLLAMA_BASE_URL) {
    return {
      provider: "ollama",
      source: "OLLAMA_BASE_URL",
      model: chosen ?? DEFAULT_OLLAMA_MODEL,
      type: "openai",
      baseUrl: `${env.OLLAMA_BASE_URL.replace(/\/+$/, "")}/v1`,
      apiKey: "ollama",
    };
  }
  return undefined;
}

export function mockModelPlan(mockUrl: string): DefaultModelPlan {
  return { provider: "mock", source: "no provider settings", model: MOCK_MODEL, type: "openai", baseUrl: mockUrl, apiKey: "mock" };
}
