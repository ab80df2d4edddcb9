import type { ValueSource } from "@ark/types";
import type { ArkResources } from "../resources.js";

/** A server kind reached at `spec.address`: MCPServer, A2AServer. */
interface AddressedServer {
  metadata: { namespace?: string };
  spec: { address: ValueSource };
}

/** The server's `spec.address` resolved in its namespace; an empty address is an error. */
export async function serverAddress(server: AddressedServer, resources: Pick<ArkResources, "resolveValueSource">): Promise<string> {
  const address = await resources.resolveValueSource(server.spec.address, server.metadata.namespace ?? "");
  if (!address) throw new Error("address cannot be empty");
  return address;
}
