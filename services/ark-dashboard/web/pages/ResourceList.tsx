import { Badge, Empty, ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";
import type { KindPage } from "../kinds.js";
import { Link } from "../router.js";
import { KIND_FORMS } from "../forms/kind-forms.js";

export interface QueryItem {
  name: string;
  input?: string;
  creationTimestamp?: string;
  status?: { phase?: string; tokenUsage?: { totalTokens?: number } };
}

type Item = Record<string, unknown> & { name: string };

function cell(item: Item, field: string) {
  const value = field === "phase" ? ((item.status as { phase?: string } | undefined)?.phase ?? "pending") : item[field];
  if (field === "status" || field === "phase") return <Badge value={value as string | null} />;
  if (field === "ready") return <Badge value={value ? "ready" : "not ready"} />;
  if (field === "creationTimestamp" && typeof value === "string") return new Date(value).toLocaleString();
  if (value === undefined || value === null) return <span className="muted">—</span>;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Agents and the kinds of KIND_FORMS get a form; the others a YAML editor. */
function newLabel(page: KindPage): string {
  if (page.segment !== "agents" && !KIND_FORMS[page.segment]) return `New ${page.kind} (YAML)`;
  return `New ${page.kind === "MCPServer" ? "MCP server" : page.kind.toLowerCase()}`;
}

export function ResourceList({ page }: { page: KindPage }) {
  const namespace = useNamespace();
  // Queries change phase as they run: the list follows.
  const list = useApi<{ items: Item[] }>(`/v1/namespaces/${encodeURIComponent(namespace)}/${page.segment}`, page.segment === "queries" ? 2_000 : undefined);
  const items = page.segment === "queries" ? [...(list.data?.items ?? [])].sort((a, b) => String(b.creationTimestamp ?? "").localeCompare(String(a.creationTimestamp ?? ""))) : (list.data?.items ?? []);
  return (
    <>
      <div className="page-head">
        <h1>{page.title}</h1>
        <Link to={`/${page.segment}/new`} className="button">
          {newLabel(page)}
        </Link>
      </div>
      {list.loading && !list.data && <Loading what={page.title.toLowerCase()} />}
      {list.error && <ErrorBox error={list.error} />}
      {list.data && items.length === 0 && <Empty title={`No ${page.title.toLowerCase()} in namespace ${namespace}`}>{page.empty}</Empty>}
      {items.length > 0 && (
        <table aria-label={page.title}>
          <thead>
            <tr>
              <th>Name</th>
              {page.columns.map(([, heading]) => (
                <th key={heading}>{heading}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.name} data-name={item.name}>
                <td>
                  <Link to={`/${page.segment}/${encodeURIComponent(item.name)}`}>{item.name}</Link>
                </td>
                {page.columns.map(([field]) => (
                  <td key={field} className="truncate">
                    {cell(item, field)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
