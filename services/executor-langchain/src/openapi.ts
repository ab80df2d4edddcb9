import { ENGINE_CONTRACT_VERSION, EngineCancelRequest, EngineStreamLine, ExecutionEngineRequest, ExecutionEngineResponse, NDJSON_CONTENT_TYPE, ToolCallbackRequest, ToolCallbackResponse } from "@ark/types";
import { z } from "zod";

const schema = (type: z.ZodType, io: "input" | "output") => z.toJSONSchema(type, { io, target: "openapi-3.0", unrepresentable: "any" });

/** The engine contract as OpenAPI 3.0 (GET /openapi.json), generated from the zod schemas in @ark/types. */
export function engineOpenApi(): Record<string, unknown> {
  const bearer = [{ engineToken: [] }];
  return {
    openapi: "3.0.3",
    info: {
      title: "ARK execution-engine contract",
      version: ENGINE_CONTRACT_VERSION,
      description:
        "What ark-controller sends an ExecutionEngine for an Agent with spec.executionEngine, and what the engine answers. " +
        "Send `Accept: application/x-ndjson` to get the stream (content, tool_call, tool_result lines, then one result line). " +
        "Tools run in ARK: POST each call to `toolCallback.url` with `Authorization: Bearer <toolCallback.token>` (schema ToolCallbackRequest).",
    },
    components: {
      securitySchemes: { engineToken: { type: "http", scheme: "bearer", description: "ENGINE_TOKEN, shared with ark-controller" } },
      schemas: {
        ExecutionEngineRequest: schema(ExecutionEngineRequest, "input"),
        ExecutionEngineResponse: schema(ExecutionEngineResponse, "output"),
        EngineStreamLine: schema(EngineStreamLine, "output"),
        EngineCancelRequest: schema(EngineCancelRequest, "input"),
        ToolCallbackRequest: schema(ToolCallbackRequest, "input"),
        ToolCallbackResponse: schema(ToolCallbackResponse, "output"),
      },
    },
    paths: {
      "/execute": {
        post: {
          summary: "Run an agent on one user input",
          security: bearer,
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ExecutionEngineRequest" } } } },
          responses: {
            "200": {
              description: "The answer (JSON), or the NDJSON stream when the request accepts it. A failed run is 200 with a non-empty `error`.",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/ExecutionEngineResponse" } },
                [NDJSON_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/EngineStreamLine" } },
              },
            },
            "400": { description: "The request does not match the contract." },
            "401": { description: "Missing or wrong bearer token." },
          },
        },
      },
      "/cancel": {
        post: {
          summary: "Stop a run (the query was canceled or timed out)",
          security: bearer,
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/EngineCancelRequest" } } } },
          responses: { "200": { description: "`{canceled: true}` when the run was still going, else false." }, "401": { description: "Missing or wrong bearer token." } },
        },
      },
      "/health": { get: { summary: "Alive (ExecutionEngine Available/Ready probe)", responses: { "200": { description: "ok" } } } },
    },
  };
}
