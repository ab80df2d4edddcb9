import { waitFor } from "../wait.js";

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
