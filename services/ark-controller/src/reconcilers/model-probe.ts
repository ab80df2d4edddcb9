import { isEngineError, type ProviderOptions } from "@ark/engine";
import { apiErrorMessage, type Model } from "@ark/kube";
import { modelProvider } from "../references/model-provider.js";
import type { ArkResources } from "../resources.js";

export interface ProbeResult {
  ok: boolean;
  message: string;
}

/** One tiny chat completion ("Hello", no retries) through the same path queries use; never throws. */
export async function probeModel(model: Model, resources: Pick<ArkResources, "resolveValueSource">, timeoutMs: number, providerOptions: ProviderOptions = {}): Promise<ProbeResult> {
  try {
    const provider = await modelProvider(model, resources, { ...providerOptions, retry: { ...providerOptions.retry, maxAttempts: 1 } });
    await provider.chat({ messages: [{ role: "user", content: "Hello" }], signal: AbortSignal.timeout(timeoutMs) });
    return { ok: true, message: `${provider.description} answered the probe` };
  } catch (error) {
    return { ok: false, message: isEngineError(error) ? error.message : apiErrorMessage(error) };
  }
}
