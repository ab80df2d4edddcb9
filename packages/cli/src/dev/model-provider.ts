/** The default Model the dev stack creates, as chosen from the environment (or the bundled mock). */
export interface DefaultModelPlan {
  provider: "openai" | "azure" | "anthropic" | "gemini" | "bedrock" | "ollama" | "mock";
  /** For the summary: which settings it came from. */
  source: string;
  model: string;
  type: "openai" | "azure" | "anthropic" | "gemini" | "bedrock" | "ollama";
  baseUrl: string;
  /** Stored in a Secret that the Model references; never inline. Ollama has none. */
  apiKey?: string;
  apiVersion?: string;
  /** Bedrock: the region, and static keys (stored in the Secret too) when the environment has them. */
  region?: string;
  aws?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

type Env = Record<string, string | undefined>;

const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";
const DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-5";
const DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";
const DEFAULT_BEDROCK_MODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0";
const DEFAULT_OLLAMA_MODEL = "llama3.2";
const MOCK_MODEL = "mock-model";

/** The first configured provider: OpenAI, Azure OpenAI, Anthropic, Gemini, Bedrock (AWS keys), Ollama, each natively; undefined: none. */
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
      type: "anthropic",
      baseUrl: env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com",
      apiKey: env.ANTHROPIC_API_KEY,
    };
  }
  if (env.GEMINI_API_KEY) {
    return {
      provider: "gemini",
      source: "GEMINI_API_KEY",
      model: chosen ?? DEFAULT_GEMINI_MODEL,
      type: "gemini",
      baseUrl: env.GEMINI_BASE_URL ?? "https://generativelanguage.googleapis.com",
      apiKey: env.GEMINI_API_KEY,
    };
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
    // Newer Claude models on Bedrock are reached through a cross-region inference profile (us., eu., apac.).
    const geography = region.startsWith("eu-") ? "eu" : region.startsWith("ap-") ? "apac" : "us";
    return {
      provider: "bedrock",
      source: "AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY",
      model: chosen ?? `${geography}.${DEFAULT_BEDROCK_MODEL}`,
      type: "bedrock",
      baseUrl: env.BEDROCK_BASE_URL ?? `https://bedrock-runtime.${region}.amazonaws.com`,
      region,
      aws: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) },
    };
  }
  if (env.OLLAMA_BASE_URL) {
    return {
      provider: "ollama",
      source: "OLLAMA_BASE_URL",
      model: chosen ?? DEFAULT_OLLAMA_MODEL,
      type: "ollama",
      baseUrl: env.OLLAMA_BASE_URL.replace(/\/+$/, ""),
    };
  }
  return undefined;
}

export function mockModelPlan(mockUrl: string): DefaultModelPlan {
  return { provider: "mock", source: "no provider settings", model: MOCK_MODEL, type: "openai", baseUrl: mockUrl, apiKey: "mock" };
}
