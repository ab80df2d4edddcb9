import { apiValueSourceReader, resolveValueSource, type Memory } from "@ark/kube";
import { ArkError, MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import type { SessionView } from "@ark/types";
import type { ApiContext } from "../context.js";
import { kubeCall } from "../http/kube-errors.js";

interface MemorySummary {
  id: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A Memory of the namespace, its address resolved; several Memories at one address share their sessions. */
interface MemoryEndpoint {
  name: string;
  address: string;
}

const REQUEST_TIMEOUT_MS = 10_000;
/** postgres-memory's largest page; a namespace with more sessions is listed page by page. */
const PAGE_SIZE = 1_000;
/** Pages read per memory before the list says it stopped early. */
const MAX_PAGES = 20;

/** The memory service's session routes (docs/architecture.md §4), called with a token for the namespace. */
export class MemorySessions {
  constructor(private readonly ctx: ApiContext) {}

  /** Every session of every Memory of the namespace (or of the one named); unreachable memories are reported, not fatal. */
  async list(namespace: string, memoryName?: string): Promise<{ items: SessionView[]; total: number; unavailable: Array<{ memoryName: string; message: string }> }> {
    const items: SessionView[] = [];
    const unavailable: Array<{ memoryName: string; message: string }> = [];
    for (const endpoint of await this.endpoints(namespace, memoryName)) {
      try {
        let cursor: string | null | undefined;
        let pages = 0;
        do {
          const page = (await this.call(namespace, endpoint, "GET", `/sessions?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)) as {
            sessions: MemorySummary[];
            nextCursor: string | null;
          };
          items.push(...page.sessions.map((s) => viewOf(s, endpoint.name)));
          cursor = page.nextCursor;
        } while (cursor && ++pages < MAX_PAGES);
      } catch (error) {
        if (memoryName) throw error;
        unavailable.push({ memoryName: endpoint.name, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return { items, total: items.length, unavailable };
  }

  /** The session's summary and messages, from the Memory that holds it. */
  async show(namespace: string, sessionId: string, memoryName?: string): Promise<SessionView & { messages: unknown[] }> {
    const found = await this.holders(namespace, sessionId, memoryName);
    if (found.length > 1) {
      throw new ArkError("CONFLICT", `session "${sessionId}" exists in memories ${found.map((f) => f.view.memoryName).join(", ")} of namespace ${namespace}: name one with ?memory=`);
    }
    const [{ endpoint, view }] = found as [(typeof found)[number]];
    const { messages } = (await this.call(namespace, endpoint, "GET", `/messages/${encodeURIComponent(sessionId)}`)) as { messages: unknown[] };
    return { ...view, messages };
  }

  /** Deletes the session from every Memory of the namespace that holds it (or the one named). */
  async delete(namespace: string, sessionId: string, memoryName?: string): Promise<{ sessionId: string; deletedFrom: string[] }> {
    const found = await this.holders(namespace, sessionId, memoryName);
    for (const { endpoint } of found) await this.call(namespace, endpoint, "DELETE", `/sessions/${encodeURIComponent(sessionId)}`);
    return { sessionId, deletedFrom: found.map((f) => f.view.memoryName) };
  }

  private async holders(namespace: string, sessionId: string, memoryName?: string): Promise<Array<{ endpoint: MemoryEndpoint; view: SessionView }>> {
    const endpoints = await this.endpoints(namespace, memoryName);
    const found: Array<{ endpoint: MemoryEndpoint; view: SessionView }> = [];
    const failures: string[] = [];
    for (const endpoint of endpoints) {
      try {
        const summary = (await this.call(namespace, endpoint, "GET", `/sessions/${encodeURIComponent(sessionId)}`, { allowNotFound: true })) as MemorySummary | undefined;
        if (summary) found.push({ endpoint, view: viewOf(summary, endpoint.name) });
      } catch (error) {
        if (memoryName) throw error;
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (found.length > 0) return found;
    if (failures.length > 0) throw new ArkError("UNAVAILABLE", `session "${sessionId}" not found in the reachable memories of namespace ${namespace}; ${failures.join("; ")}`);
    const where = memoryName ? `memory ${namespace}/${memoryName}` : endpoints.length > 0 ? `the memories of namespace ${namespace}` : `namespace ${namespace} (it has no Memory)`;
    throw new ArkError("NOT_FOUND", `session "${sessionId}" not found in ${where}`);
  }

  /** The namespace's Memories (or the named one) with their addresses, one per address. */
  private async endpoints(namespace: string, memoryName?: string): Promise<MemoryEndpoint[]> {
    let memories: Memory[];
    if (memoryName) {
      const memory = await kubeCall(`memory ${namespace}/${memoryName}`, () => this.ctx.ark.memories.get(namespace, memoryName));
      if (!memory) throw new ArkError("NOT_FOUND", `memory "${memoryName}" not found in namespace ${namespace}`);
      memories = [memory];
    } else {
      memories = await kubeCall("memory list", () => this.ctx.ark.memories.list(namespace));
    }
    const reader = apiValueSourceReader(this.ctx.core);
    const byAddress = new Map<string, MemoryEndpoint>();
    for (const memory of [...memories].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))) {
      const name = memory.metadata.name!;
      let address: string;
      try {
        address = (await resolveValueSource(memory.spec.address, namespace, reader)).replace(/\/+$/, "");
      } catch (error) {
        const message = `memory ${namespace}/${name}: spec.address: ${error instanceof Error ? error.message : String(error)}`;
        if (memoryName) throw new ArkError("UNPROCESSABLE", message, { cause: error });
        continue;
      }
      if (!byAddress.has(address)) byAddress.set(address, { name, address });
    }
    return [...byAddress.values()];
  }

  private async call(namespace: string, endpoint: MemoryEndpoint, method: string, path: string, options: { allowNotFound?: boolean } = {}): Promise<unknown> {
    const secret = this.ctx.config.MEMORY_AUTH_SECRET;
    const headers: Record<string, string> = { accept: "application/json", ...(secret ? { authorization: `Bearer ${namespaceToken(secret, MEMORY_TOKEN_AUDIENCE, namespace)}` } : {}) };
    const what = `memory ${namespace}/${endpoint.name} (${endpoint.address})`;
    let response: Response;
    try {
      response = await fetch(`${endpoint.address}${path}`, { method, headers, redirect: "error", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
      throw new ArkError("UNAVAILABLE", `${what} is unreachable: ${cause}`, { cause: error });
    }
    if (response.status === 404 && options.allowNotFound) return undefined;
    if (response.status === 204) return undefined;
    const text = await response.text();
    if (!response.ok) {
      const message = messageOf(text) ?? `HTTP ${response.status}`;
      if (response.status === 401 || response.status === 403) {
        throw new ArkError("BAD_GATEWAY", `${what} refused ark-api (${response.status}: ${message}); ark-api's MEMORY_AUTH_SECRET must be the memory's`);
      }
      if (response.status === 400) throw new ArkError("INVALID_INPUT", `${what}: ${message}`);
      throw new ArkError(response.status === 503 ? "UNAVAILABLE" : "BAD_GATEWAY", `${what} answered ${response.status}: ${message}`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ArkError("BAD_GATEWAY", `${what} answered with something other than JSON`, { cause: error });
    }
  }
}

function viewOf(summary: MemorySummary, memoryName: string): SessionView {
  return { sessionId: summary.id, memoryName, messageCount: summary.messageCount, createdAt: summary.createdAt, updatedAt: summary.updatedAt };
}

function messageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    return parsed.error?.message;
  } catch {
    return text ? text.slice(0, 200) : undefined;
  }
}
