export interface QueryDetail {
  name: string;
  status?: { phase?: string; response?: { content?: string } };
}

/** ark-api's base URL, or it with the API key to send (ark dev's is in $ARK_HOME/api-key). */
export type ArkApiTarget = string | { url: string; apiKey?: string };

/** GET from ark-api (REST); fails on anything but 200. */
export async function getFromArkApi<T>(arkApi: ArkApiTarget, path: string): Promise<T> {
  const { url, apiKey } = typeof arkApi === "string" ? { url: arkApi, apiKey: undefined } : arkApi;
  const response = await fetch(`${url}${path}`, apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {});
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
