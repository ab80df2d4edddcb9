import { Badge, Empty, ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";

interface EventItem {
  uid?: string;
  type?: string;
  reason?: string;
  message?: string;
  involved_object_kind?: string;
  involved_object_name?: string;
  last_timestamp?: string;
  creation_timestamp?: string;
  count?: number;
}

export function Events() {
  const namespace = useNamespace();
  const list = useApi<{ items: EventItem[] }>(`/v1/namespaces/${encodeURIComponent(namespace)}/events?limit=200`, 10_000);
  return (
    <>
      <h1>Events</h1>
      {list.loading && !list.data && <Loading what="events" />}
      {list.error && <ErrorBox error={list.error} />}
      {list.data?.items.length === 0 && <Empty title={`No events in namespace ${namespace}`}>The controller records events as it reconciles resources and runs queries.</Empty>}
      {list.data && list.data.items.length > 0 && (
        <table aria-label="Events">
          <thead>
            <tr>
              <th>Type</th>
              <th>Object</th>
              <th>Reason</th>
              <th>Message</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((e, i) => (
              <tr key={e.uid ?? i}>
                <td>
                  <Badge value={e.type === "Warning" ? "warning" : e.type} />
                </td>
                <td>
                  {e.involved_object_kind}/{e.involved_object_name}
                </td>
                <td>{e.reason}</td>
                <td>{e.message}</td>
                <td>{new Date(e.last_timestamp ?? e.creation_timestamp ?? "").toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
