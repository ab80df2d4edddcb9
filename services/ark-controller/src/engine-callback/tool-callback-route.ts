import { isEngineError, TOOL_CALLBACK_PATH, type ToolCallbackSessions } from "@ark/engine";
import { ArkError, type ServiceApp } from "@ark/service-kit";
import { ToolCallbackRequest, ToolCallbackResponse } from "@ark/types";

/**
 * `POST /v1/engine-tool-calls` (docs/architecture.md §8): an execution engine runs one of its run's tools through
 * ARK's tool path (HTTP, MCP and built-in tools with their auth, limits, egress guard and events). The bearer token
 * is the run's own; a wrong or expired one gets 401 and nothing runs.
 */
export function registerToolCallbackRoute(app: ServiceApp, sessions: ToolCallbackSessions): void {
  app.post(
    TOOL_CALLBACK_PATH,
    {
      schema: { body: ToolCallbackRequest, response: { 200: ToolCallbackResponse } },
      // The token first: a wrong or expired one is refused before the body is looked at.
      onRequest: async (request) => {
        if (!sessions.isOpen(bearerToken(request.headers.authorization))) throw new ArkError("UNAUTHENTICATED", "unknown or expired tool callback token");
      },
    },
    async (request) => {
      const token = bearerToken(request.headers.authorization);
      let outcome;
      try {
        outcome = await sessions.call(token, request.body);
      } catch (error) {
        // The run ended (canceled, timed out) while its tool ran.
        if (isEngineError(error)) throw new ArkError("CONFLICT", error.message);
        throw error;
      }
      if (!outcome.ok) throw new ArkError(outcome.status === 401 ? "UNAUTHENTICATED" : "NOT_FOUND", outcome.message);
      return outcome.response;
    },
  );
}

function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
}
