import { Empty, ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";

interface SecretItem {
  name: string;
  type?: string;
  keys?: Array<{ key: string; length: number }>;
}

/** Secrets by name and key: ark-api never returns values. */
export function Secrets() {
  const namespace = useNamespace();
  const list = useApi<{ items: SecretItem[] }>(`/v1/namespaces/${encodeURIComponent(namespace)}/secrets`);
  return (
    <>
      <h1>Secrets</h1>
      {list.loading && !list.data && <Loading what="secrets" />}
      {list.error && <ErrorBox error={list.error} />}
      {list.data?.items.length === 0 && <Empty title={`No secrets in namespace ${namespace}`}>Models read API keys from secrets: `kubectl create secret generic` or POST /v1/namespaces/{namespace}/secrets.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table aria-label="Secrets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Keys</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((s) => (
              <tr key={s.name}>
                <td>{s.name}</td>
                <td>{s.type}</td>
                <td>{(s.keys ?? []).map((k) => k.key).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
