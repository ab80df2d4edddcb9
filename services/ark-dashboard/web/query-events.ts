import type { QueryEvent } from "@ark/types";
import { useEffect, useState } from "react";
import { readEvents } from "./api.js";

export interface QueryEventsState {
  events: QueryEvent[];
  /** The stream ended (the query finished) or failed. */
  ended: boolean;
  error?: Error;
}

/** Follows a query's events (SSE from ark-api: the past ones, then live) while mounted. */
export function useQueryEvents(namespace: string, name: string | undefined): QueryEventsState {
  const [state, setState] = useState<QueryEventsState>({ events: [], ended: false });
  useEffect(() => {
    setState({ events: [], ended: false });
    if (!name) return;
    const controller = new AbortController();
    const path = `/v1/namespaces/${encodeURIComponent(namespace)}/queries/${encodeURIComponent(name)}/events`;
    readEvents(
      path,
      (message) => {
        if (message.event === "end" || message.event === "error") return;
        setState((s) => ({ ...s, events: [...s.events, message.data as QueryEvent] }));
      },
      controller.signal,
    ).then(
      () => !controller.signal.aborted && setState((s) => ({ ...s, ended: true })),
      (error: Error) => !controller.signal.aborted && setState((s) => ({ ...s, ended: true, error })),
    );
    return () => controller.abort();
  }, [namespace, name]);
  return state;
}
