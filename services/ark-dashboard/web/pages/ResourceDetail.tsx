import { useState } from "react";
import { stringify } from "yaml";
import { apiSend } from "../api.js";
import { queryInputText, type QueryInput, type QueryStatus } from "@ark/types";
import { EventTimeline } from "../components/EventTimeline.js";
import { QuerySummary } from "../components/QuerySummary.js";
import { YamlEditor } from "../components/YamlEditor.js";
import { KIND_FORMS } from "../forms/kind-forms.js";
import { SessionList } from "./Sessions.js";
import { PendingApprovals } from "./ToolApprovals.js";
import { Badge, ErrorBox, Loading } from "../components/states.js";
import { TeamGraph, type TeamMember } from "../components/TeamGraph.js";
import { useApi, useNamespace } from "../hooks.js";
import { toManifest, type KindPage } from "../kinds.js";
import { useQueryEvents } from "../query-events.js";
import { Link, navigate } from "../router.js";
import { PageTitle } from "../components/PageTitle.js";

type Detail = Record<string, unknown> & { name: string; status?: { phase?: string; conditions?: Condition[]; message?: string } };
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const CHAT_KINDS: Record<string, string> = { agents: "agent", teams: "team", models: "model" };

export function ResourceDetail({ page, name }: { page: KindPage; name: string }) {
  const namespace = useNamespace();
  const path = `/v1/namespaces/${encodeURIComponent(namespace)}/${page.segment}/${encodeURIComponent(name)}`;
  const detail = useApi<Detail>(path, page.segment === "queries" ? 3_000 : undefined);
  const [view, setView] = useState<"overview" | "yaml">("overview");

  if (detail.loading && !detail.data) return <Loading what={`${page.kind} ${name}`} />;
  if (detail.error && !detail.data) return <ErrorBox error={detail.error} title={`${page.kind} ${name}`} />;
  const data = detail.data!;
  const chatKind = CHAT_KINDS[page.segment];
  return (
    <>
      <div className="page-head">
        <PageTitle to={`/${page.segment}`} parent={page.title}>
          {name}
        </PageTitle>
        <span className="spacer" />
        {chatKind && (
          <Link to={`/chat?target=${chatKind}/${encodeURIComponent(name)}`} className="button">
            Chat
          </Link>
        )}
        {(page.segment === "agents" || (KIND_FORMS[page.segment] && !KIND_FORMS[page.segment]!.createOnly)) && (
          <Link to={`/${page.segment}/${encodeURIComponent(name)}/edit`} className="button secondary">
            Edit
          </Link>
        )}
        {page.segment === "queries" && <CancelQuery path={path} phase={data.status?.phase} />}
        <DeleteButton page={page} name={name} path={path} />
      </div>
      <div role="tablist" className="tabs">
        <button role="tab" type="button" aria-selected={view === "overview"} onClick={() => setView("overview")}>
          Overview
        </button>
        <button role="tab" type="button" aria-selected={view === "yaml"} onClick={() => setView("yaml")}>
          YAML
        </button>
      </div>
      {view === "yaml" ? <YamlEditor page={page} namespace={namespace} manifest={toManifest(page, data)} name={name} onSaved={detail.reload} /> : <DetailOverview page={page} data={data} namespace={namespace} />}
    </>
  );
}

function DetailOverview({ page, data, namespace }: { page: KindPage; data: Detail; namespace: string }) {
  const conditions = data.status?.conditions ?? [];
  return (
    <>
      {page.segment === "queries" && <QueryOverview data={data} namespace={namespace} />}
      {page.segment === "teams" && (
        <section aria-label="Members">
          <h2>Members</h2>
          <TeamGraph
            members={(data.members as TeamMember[] | undefined) ?? []}
            strategy={String(data.strategy ?? "sequential")}
            edges={(data.graph as { edges?: Array<{ from: string; to: string }> } | undefined)?.edges}
          />
        </section>
      )}
      {page.segment === "mcp-servers" && <DiscoveredTools server={data.name} namespace={namespace} />}
      {page.segment === "memories" && (
        <>
          <h2>Sessions</h2>
          <SessionList memory={data.name} />
        </>
      )}
      {conditions.length > 0 && (
        <section aria-label="Conditions">
          <h2>Conditions</h2>
          <table>
            <thead>
              <tr>
                <th>Type</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c) => (
                <tr key={c.type}>
                  <td>{c.type}</td>
                  <td>
                    <Badge value={c.status} />
                  </td>
                  <td>{c.reason}</td>
                  <td>{c.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {page.segment !== "queries" && (
        <section aria-label="Spec">
          <h2>Spec</h2>
          <pre className="yaml">{stringify(toManifest(page, data).spec ?? {})}</pre>
        </section>
      )}
    </>
  );
}

function QueryOverview({ data, namespace }: { data: Detail; namespace: string }) {
  const events = useQueryEvents(namespace, data.name);
  return (
    <>
      {["pending", "running", undefined].includes(data.status?.phase) && <PendingApprovals namespace={namespace} query={data.name} />}
      <QuerySummary input={queryInputText({ input: (data.input ?? "") as QueryInput })} status={data.status as QueryStatus | undefined} />
      <section aria-label="Timeline">
        <h2>Timeline</h2>
        {events.error && <ErrorBox error={events.error} title="Event stream" />}
        <EventTimeline events={events.events} />
      </section>
    </>
  );
}

function CancelQuery({ path, phase }: { path: string; phase: string | undefined }) {
  const [error, setError] = useState<Error>();
  if (phase && !["pending", "running"].includes(phase)) return null;
  return (
    <>
      <button type="button" className="secondary" onClick={() => apiSend("PATCH", `${path}/cancel`).catch(setError)}>
        Cancel query
      </button>
      {error && <ErrorBox error={error} />}
    </>
  );
}

function DeleteButton({ page, name, path }: { page: KindPage; name: string; path: string }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Error>();
  const remove = async () => {
    try {
      await apiSend("DELETE", path);
      navigate(`/${page.segment}`);
    } catch (err) {
      setError(err as Error);
    }
  };
  if (!confirming) {
    return (
      <button type="button" className="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
    );
  }
  return (
    <div role="alertdialog" aria-label={`Delete ${page.kind} ${name}?`} className="confirm">
      <span>
        Delete {page.kind} <strong>{name}</strong>?
      </span>
      <button type="button" className="danger" onClick={remove} autoFocus>
        Delete {name}
      </button>
      <button type="button" className="secondary" onClick={() => setConfirming(false)}>
        Keep it
      </button>
      {error && <ErrorBox error={error} />}
    </div>
  );
}

/** The label ark-controller puts on the Tools it discovers from an MCPServer (its name). */
const MCP_SERVER_LABEL = "mcp/server";

function DiscoveredTools({ server, namespace }: { server: string; namespace: string }) {
  const tools = useApi<{ items: Array<{ name: string; description?: string; labels?: Record<string, string> }> }>(`/v1/namespaces/${encodeURIComponent(namespace)}/tools`);
  const discovered = (tools.data?.items ?? []).filter((tool) => tool.labels?.[MCP_SERVER_LABEL] === server);
  return (
    <section aria-label="Discovered tools">
      <h2>Discovered tools</h2>
      {tools.error && <ErrorBox error={tools.error} />}
      {tools.data && discovered.length === 0 && <p className="muted">No tools discovered yet: they appear once the server is reachable and answers tools/list.</p>}
      {discovered.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Tool</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {discovered.map((tool) => (
              <tr key={tool.name}>
                <td>
                  <Link to={`/tools/${encodeURIComponent(tool.name)}`}>{tool.name}</Link>
                </td>
                <td>{tool.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
