import { useEffect, useState } from "react";
import { apiGet } from "../api.js";
import { queryActivity } from "../components/activity.js";
import { BarChart } from "../components/BarChart.js";
import { Badge, ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";
import { KIND_PAGES } from "../kinds.js";
import { Link } from "../router.js";
import type { QueryItem } from "./ResourceList.js";

interface SystemInfo {
  system_version: string;
  kubernetes_version: string;
}

export function Overview() {
  const namespace = useNamespace();
  const [counts, setCounts] = useState<Record<string, number | Error>>({});
  const system = useApi<SystemInfo>("/v1/system-info");
  const queries = useApi<{ items: QueryItem[] }>(`/v1/namespaces/${encodeURIComponent(namespace)}/queries?limit=500`, 5_000);

  useEffect(() => {
    const controller = new AbortController();
    setCounts({});
    for (const page of KIND_PAGES) {
      apiGet<{ items: unknown[]; total?: number }>(`/v1/namespaces/${encodeURIComponent(namespace)}/${page.segment}`, controller.signal).then(
        (list) => setCounts((c) => ({ ...c, [page.segment]: list.total ?? list.items.length })),
        (err: Error) => !controller.signal.aborted && setCounts((c) => ({ ...c, [page.segment]: err })),
      );
    }
    return () => controller.abort();
  }, [namespace]);

  const activity = queryActivity(queries.data?.items ?? [], Date.now());
  const recent = [...(queries.data?.items ?? [])].sort((a, b) => (b.creationTimestamp ?? "").localeCompare(a.creationTimestamp ?? "")).slice(0, 8);
  return (
    <>
      <h1>Overview</h1>
      <section aria-label="Service health" className="cards">
        <div className="card">
          <h2>ark-api</h2>
          {system.loading && !system.data ? (
            <Loading what="service health" />
          ) : system.error ? (
            <ErrorBox error={system.error} />
          ) : (
            <p>
              <Badge value="available" /> {system.data?.system_version}, Kubernetes API {system.data?.kubernetes_version}
            </p>
          )}
        </div>
      </section>
      <section aria-label="Resources" className="cards">
        {KIND_PAGES.map((page) => {
          const count = counts[page.segment];
          return (
            <Link key={page.segment} to={`/${page.segment}`} className="card stat">
              <span className="stat-value">{count === undefined ? "…" : count instanceof Error ? "!" : count}</span>
              <span className="muted">{page.title}</span>
              {count instanceof Error && <span className="field-error">{count.message}</span>}
            </Link>
          );
        })}
      </section>
      <section aria-label="Activity" className="charts">
        <BarChart title="Queries over time" buckets={activity} value={(b) => b.queries} unit="queries" />
        <BarChart title="Tokens over time" buckets={activity} value={(b) => b.tokens} unit="tokens" />
      </section>
      <section aria-label="Recent queries">
        <h2>Recent queries</h2>
        {queries.error && <ErrorBox error={queries.error} />}
        {queries.data && recent.length === 0 && (
          <p className="muted">
            No queries yet: start one from <Link to="/chat">Chat</Link>.
          </p>
        )}
        {recent.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Input</th>
                <th>Phase</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((q) => (
                <tr key={q.name}>
                  <td>
                    <Link to={`/queries/${encodeURIComponent(q.name)}`}>{q.name}</Link>
                  </td>
                  <td className="truncate">{q.input}</td>
                  <td>
                    <Badge value={q.status?.phase ?? "pending"} />
                  </td>
                  <td>{q.creationTimestamp ? new Date(q.creationTimestamp).toLocaleString() : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
