import { z } from "zod";
import { Header } from "./header.js";
import { LabelSelector } from "./label-selector.js";

export const OVERRIDE_RESOURCE_TYPES = ["model", "mcpserver"] as const;
export type OverrideResourceType = (typeof OVERRIDE_RESOURCE_TYPES)[number];

export const Override = z
  .object({
    resourceType: z.enum(OVERRIDE_RESOURCE_TYPES).describe("Which calls get the headers: to Models, or to MCPServers."),
    labelSelector: LabelSelector.optional().describe("Only the Models or MCPServers with matching labels; all of them when absent."),
    headers: z.array(Header).describe("Sent on every call to the selected resources, replacing a header of the same name."),
  })
  .describe("Headers added to a run's calls to Models or MCPServers selected by label (upstream's overrides).");
export type Override = z.output<typeof Override>;
