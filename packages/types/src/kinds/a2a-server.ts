import { z } from "zod";
import { checkNonNegativeDuration } from "../admission/durations.js";
import { checkHeaders } from "../admission/headers.js";
import { checkValueSource } from "../admission/value-source.js";
import { reconcileStatusShape } from "../shared/condition.js";
import { Duration } from "../shared/duration.js";
import { Header } from "../shared/header.js";
import { ValueSource } from "../shared/value-source.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { ADDRESS_COLUMN, AGE_COLUMN, DISCOVERING_COLUMN, READY_COLUMN } from "./common.js";

/** Label and annotation on the Agents an A2AServer keeps: the server's name (upstream Appendix A). */
export const A2A_SERVER_NAME_ANNOTATION = "a2a.server/name";
/** Annotation on those Agents: the remote agent's address. */
export const A2A_SERVER_ADDRESS_ANNOTATION = "a2a.server/address";
/** Annotation on those Agents: the card's skills as a JSON array. */
export const A2A_SERVER_SKILLS_ANNOTATION = "a2a.server/skills";

const ENDPOINT_HOST = /^(\*\.)?[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?$/;

export const A2AServerSpec = z.object({
  address: ValueSource.describe("Base URL of the A2A server; its agent card is read from /.well-known/."),
  headers: z.array(Header).optional().describe("Sent on agent-card discovery and JSON-RPC calls."),
  description: z.string().optional(),
  pollInterval: Duration.default("1m").describe("How often the agent card is rediscovered."),
  timeout: Duration.default("5m").describe("The longest a call to one of its agents may take (the query's timeout applies too)."),
  endpointResolution: z
    .enum(["address", "cardPath", "cardUrl"])
    .default("address")
    .describe("Which URL A2A requests go to: address as written; cardPath: the address's origin with the card URL's path; cardUrl: the card URL when its origin is the address's or its host is allowed."),
  allowedEndpointHosts: z.array(z.string().max(259).regex(ENDPOINT_HOST)).optional().describe("Hosts (optionally *.suffix, :port) the card URL may point to with endpointResolution cardUrl."),
});
export type A2AServerSpec = z.output<typeof A2AServerSpec>;

export const A2AServerStatus = z.object({
  lastResolvedAddress: z.string().optional(),
  lastResolvedEndpoint: z.string().optional().describe("The URL A2A requests go to."),
  rejectedEndpoint: z.string().optional().describe("A card URL that was not accepted; requests go to the address."),
  ...reconcileStatusShape,
});
export type A2AServerStatus = z.output<typeof A2AServerStatus>;

export function admitA2AServer(spec: A2AServerSpec): FieldError[] {
  return [...checkValueSource(spec.address, "spec.address"), ...checkHeaders(spec.headers, "spec.headers"), ...checkNonNegativeDuration(spec.pollInterval, "spec.pollInterval", "pollInterval")];
}

export const a2aServerKind: KindDefinition<typeof A2AServerSpec, typeof A2AServerStatus> = {
  group: GROUP,
  version: "v1prealpha1",
  kind: "A2AServer",
  listKind: "A2AServerList",
  plural: "a2aservers",
  singular: "a2aserver",
  spec: A2AServerSpec,
  status: A2AServerStatus,
  printerColumns: [READY_COLUMN, DISCOVERING_COLUMN, ADDRESS_COLUMN, { name: "Endpoint", type: "string", jsonPath: ".status.lastResolvedEndpoint", description: "Endpoint used for A2A requests" }, AGE_COLUMN],
  admit: ({ spec }) => admitA2AServer(spec),
};
