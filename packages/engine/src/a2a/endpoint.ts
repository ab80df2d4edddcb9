/** How the URL A2A requests go to is chosen (the A2AServer's `spec.endpointResolution`, as upstream). */
export type EndpointResolution = "address" | "cardPath" | "cardUrl";

export interface ResolvedEndpoint {
  /** Where JSON-RPC requests go. */
  endpoint: string;
  /** A card URL that was not accepted (requests go to the address instead). */
  rejected?: string;
}

/** The URL the card names for its agent: v1.0 `supportedInterfaces` (JSON-RPC first), else 0.3 `url`. */
function cardEndpointUrl(card: Record<string, unknown>): string | undefined {
  const interfaces = Array.isArray(card.supportedInterfaces) ? (card.supportedInterfaces as { url?: unknown; protocolBinding?: unknown }[]) : [];
  const jsonRpc = interfaces.find((entry) => entry?.protocolBinding === "JSONRPC" && typeof entry.url === "string");
  const any = jsonRpc ?? interfaces.find((entry) => typeof entry?.url === "string");
  if (any) return any.url as string;
  return typeof card.url === "string" ? card.url : undefined;
}

/**
 * `address`: the address as written. `cardPath`: the address's origin with the card URL's path. `cardUrl`: the card
 * URL when its origin is the address's or its host is allowed (never https → http). A card URL that is not an absolute
 * http(s) URL without userinfo, or not allowed, is rejected and the address used.
 */
export function resolveEndpoint(address: string, card: Record<string, unknown>, mode: EndpointResolution = "address", allowedHosts: readonly string[] = []): ResolvedEndpoint {
  if (mode === "address") return { endpoint: address };
  const written = cardEndpointUrl(card);
  if (!written) return { endpoint: address };
  let cardUrl: URL;
  let base: URL;
  try {
    cardUrl = new URL(written);
    base = new URL(address);
  } catch {
    return { endpoint: address, rejected: written };
  }
  if ((cardUrl.protocol !== "http:" && cardUrl.protocol !== "https:") || cardUrl.username || cardUrl.password) return { endpoint: address, rejected: written };
  if (mode === "cardPath") return { endpoint: `${base.origin}${cardUrl.pathname}${cardUrl.search}` };
  if (base.protocol === "https:" && cardUrl.protocol === "http:") return { endpoint: address, rejected: written };
  if (cardUrl.origin === base.origin || allowedHosts.some((entry) => hostAllowed(entry, cardUrl))) return { endpoint: cardUrl.toString() };
  return { endpoint: address, rejected: written };
}

function hostAllowed(entry: string, url: URL): boolean {
  const match = /^(.*?)(?::(\d{1,5}))?$/.exec(entry.toLowerCase())!;
  const host = match[1]!;
  const port = match[2];
  const urlPort = url.port || (url.protocol === "https:" ? "443" : "80");
  if (port && port !== urlPort) return false;
  const hostname = url.hostname.toLowerCase();
  if (host.startsWith("*.")) {
    const suffix = host.slice(1);
    return hostname.endsWith(suffix) && !hostname.slice(0, -suffix.length).includes(".");
  }
  return hostname === host;
}
