import type { AgentCard } from "@a2a-js/sdk";
import { type Client, ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory, RestTransportFactory } from "@a2a-js/sdk/client";
import type { EgressGuard } from "../tools/egress.js";
import { traceHeaders } from "../tracing.js";

export interface A2AClientOptions {
  /** The card as the server wrote it (A2A 1.0 or 0.3). */
  card: Record<string, unknown>;
  /** Where requests go (see resolveEndpoint); replaces the card's own URL. */
  endpoint: string;
  /** The A2AServer's headers, on every request. */
  headers: Record<string, string>;
  egress: EgressGuard;
  /** Non-streaming sends return at once with the task (so a cancel can name it) and are polled. */
  polling?: boolean;
}

const legacyCompat = { enabled: true };

/** The SDK's A2A client for one remote agent: its card (0.3 cards too), requests through the egress guard with the server's headers, never redirected. */
export async function createA2AClient(options: A2AClientOptions): Promise<{ client: Client; card: AgentCard }> {
  const normalized = new DefaultAgentCardResolver({ legacyCompat }).normalizeAgentCard(options.card);
  const interfaces = normalized.supportedInterfaces ?? [];
  const chosen = interfaces.find((entry) => entry.protocolBinding === "JSONRPC") ?? interfaces[0];
  const card: AgentCard = {
    ...normalized,
    supportedInterfaces: [{ protocolBinding: "JSONRPC", tenant: "", protocolVersion: "1.0", ...chosen, url: options.endpoint }],
  };
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(options.headers)) if (!headers.has(name)) headers.set(name, value);
    // The remote agent's spans join the query's trace (docs/architecture.md §9.1).
    for (const [name, value] of Object.entries(traceHeaders())) headers.set(name, value);
    return options.egress.fetch(input as string | URL, { ...init, headers, redirect: "error" });
  }) as typeof fetch;
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat }), new RestTransportFactory({ fetchImpl, legacyCompat })],
      clientConfig: { polling: options.polling ?? false },
    }),
  );
  return { client: await factory.createFromAgentCard(card), card };
}
