import { EngineError, httpSessionMemory, isEngineError, type HttpPools, type SessionMemory } from "@ark/engine";
import { apiErrorMessage, resolveHeaders, type Query } from "@ark/kube";
import { referenceGrantProblem, type GrantLookup } from "../references/reference-grants.js";
import { MEMORY_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import type { ArkResources } from "../resources.js";

/** The Memory a query without spec.memory uses, when it exists (docs/upstream-compat.md §9.1). */
const DEFAULT_MEMORY_NAME = "default";

/**
 * The query's conversation session (docs/upstream-compat.md §9.1): the Memory spec.memory names (it must exist), else the Memory
 * named `default` in the query's namespace when there is one, else none. The address is resolved now, from
 * spec.address (a ValueSource), so a changed Secret or Service applies to the next query; the session is
 * spec.conversationId, else spec.sessionId, else the query's uid (it comes back as status.conversationId). A Memory of
 * another namespace needs a ReferenceGrant there.
 */
export async function queryMemory(
  query: Query,
  resources: Pick<ArkResources, "ark" | "resolveValueSource" | "values">,
  grants: GrantLookup,
  pools?: HttpPools,
  authSecret?: string,
  queryParameters: Record<string, string> = {},
): Promise<SessionMemory | undefined> {
  const namespace = query.metadata.namespace ?? "";
  const ref = query.spec.memory;
  const memoryNamespace = ref?.namespace || namespace;
  const name = ref?.name ?? DEFAULT_MEMORY_NAME;
  const where = `query ${namespace}/${query.metadata.name ?? ""}`;
  const refused = await referenceGrantProblem(grants, { from: { kind: "Query", namespace }, to: { kind: "Memory", namespace: memoryNamespace, name } });
  if (refused) throw new EngineError("MEMORY_ERROR", `${where}: spec.memory: ${refused}`);
  const memory = await resources.ark.memories.get(memoryNamespace, name);
  if (!memory) {
    if (!ref) return undefined;
    throw new EngineError("MEMORY_ERROR", `${where}: spec.memory: memory "${name}" not found in namespace ${memoryNamespace}`);
  }
  const id = `${memoryNamespace}/${name}`;
  let address: string;
  try {
    address = await resources.resolveValueSource(memory.spec.address, memoryNamespace);
  } catch (error) {
    const reason = isEngineError(error) ? error.message : apiErrorMessage(error);
    throw new EngineError("MEMORY_ERROR", `memory ${id}: spec.address: ${reason}`, { cause: error });
  }
  if (!address) throw new EngineError("MEMORY_ERROR", `memory ${id}: spec.address resolves to an empty address`);
  const sessionId = query.spec.conversationId || query.spec.sessionId || query.metadata.uid || "";
  // The token opens only this Memory's namespace, so sending it to a tenant's own address gives the tenant nothing new.
  const token: Record<string, string> = authSecret ? { authorization: `Bearer ${namespaceToken(authSecret, MEMORY_TOKEN_AUDIENCE, memoryNamespace)}` } : {};
  // The Memory's own spec.headers come after the token: a memory service of the user's own that wants its own Authorization gets it.
  const headers: Record<string, string> = { ...token, ...(await memoryHeaders(memory, id, resources, queryParameters)) };
  return httpSessionMemory({ memory: id, address, sessionId, ...(pools ? { pools } : {}), ...(Object.keys(headers).length > 0 ? { headers } : {}) });
}

async function memoryHeaders(
  memory: { spec: { headers?: Parameters<typeof resolveHeaders>[0] }; metadata: { namespace?: string } },
  id: string,
  resources: Pick<ArkResources, "values">,
  queryParameters: Record<string, string>,
): Promise<Record<string, string>> {
  try {
    return await resolveHeaders(memory.spec.headers, memory.metadata.namespace ?? "", resources.values, { queryParameters });
  } catch (error) {
    throw new EngineError("MEMORY_ERROR", `memory ${id}: spec.headers: ${apiErrorMessage(error)}`, { cause: error });
  }
}
