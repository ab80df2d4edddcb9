import { z } from "zod";
import { ERROR_ORIGINS } from "./errors.js";

/** A failure's classification (docs/architecture.md §10), on failed events and in a failed Query's status. */
export const failureClassShape = {
  origin: z.enum(ERROR_ORIGINS).optional().describe("Whose the failure is: user (input or configuration), system (ARK or its infrastructure) or third-party (a model, MCP server, A2A agent, memory)."),
  retryable: z.boolean().optional().describe("Whether another attempt may succeed (a lost connection, a third party's 429 or 5xx); never for the user's."),
};
