import { waitFor } from "./wait.js";

/** A Model at the mock, an Agent on it and a Query for the agent, as a user writes them for `kubectl apply -f`. */
export function modelAgentQuery(mockUrl: string, input: string): string {
  return `apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: { name: e2e-mock }
spec:
  type: openai
  model: { value: mock-model }
  config:
    openai:
      baseUrl: { value: "${mockUrl}" }
      apiKey: { value: not-a-real-key }
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: { name: e2e-agent }
spec:
  prompt: You answer briefly.
  modelRef: { name: e2e-mock }
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Query
metadata: { name: e2e-q }
spec:
  input: ${JSON.stringify(input)}
  target: { type: agent, name: e2e-agent }
`;
}

export interface QueryDetail {
  name: string;
  status?: { phase?: string; response?: { content?: string } };
}

/** GET from ark-api (REST); fails on anything but 200. */
export async function getFromArkApi<T>(arkApi: string, path: string): Promise<T> {
  const response = await fetch(`${arkApi}${path}`);
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The Query through ark-api once it has finished (done, error or canceled). */
export async function finishedQuery(arkApi: string, name: string, namespace = "default", timeoutMs = 60_000): Promise<QueryDetail> {
  let last: QueryDetail | undefined;
  await waitFor(
    async () => {
      last = await getFromArkApi<QueryDetail>(arkApi, `/v1/namespaces/${namespace}/queries/${name}`).catch(() => undefined);
      return ["done", "error", "canceled"].includes(last?.status?.phase ?? "");
    },
    timeoutMs,
    () => `query ${name} did not finish: ${JSON.stringify(last?.status)}`,
    250,
  );
  return last!;
}
