import type { EndpointResolution } from "../a2a/endpoint.js";
import type { AgentSpec, LabelSelector, ModelSpec, QueryTarget, TeamSpec, ToolSpec } from "@ark/types";
import type { ModelProvider } from "../providers/provider.js";
import type { ValueSourceResolver } from "../providers/model-config.js";
import type { ConfigValueReader } from "./parameters.js";
import type { McpServerConnection } from "../tools/mcp/connection.js";

/** What the engine reads of a resource's metadata (a Kubernetes V1ObjectMeta fits). */
export interface ResourceMetadata {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Resource<Spec> {
  metadata: ResourceMetadata;
  spec: Spec;
}

export type AgentResource = Resource<AgentSpec>;
export type TeamResource = Resource<TeamSpec>;
export type ModelResource = Resource<ModelSpec>;
export type ToolResource = Resource<ToolSpec>;

/** An A2AServer as its agents are called: address and `spec.headers` resolved (docs/upstream-compat.md §6.7.2). */
export interface A2AServerTarget {
  address: string;
  headers: Record<string, string>;
  endpointResolution?: EndpointResolution;
  allowedEndpointHosts?: string[];
  /** `spec.timeout`: the longest a call to one of its agents may take. */
  timeoutMs?: number;
}

export interface McpServerTarget {
  connection: McpServerConnection;
  /** The MCPServer's labels: overrides select by them. */
  labels?: Record<string, string>;
  /** MCPServer `spec.timeout`. */
  timeout?: string;
}

/**
 * Everything Kubernetes-specific the engine needs to run a query target; the worker implements it over
 * the API (fresh reads), tests over plain objects. `undefined` means "not found"; throw for read failures.
 */
export interface ResourceResolver {
  getAgent(namespace: string, name: string): Promise<AgentResource | undefined>;
  getTeam(namespace: string, name: string): Promise<TeamResource | undefined>;
  getModel(namespace: string, name: string): Promise<ModelResource | undefined>;
  getTool(namespace: string, name: string): Promise<ToolResource | undefined>;
  /** A Model → its provider; by default the engine builds it, reading value sources through `resolveValue`. */
  buildProvider?(model: ModelResource): Promise<ModelProvider>;
  /** A ValueSource (Model config, HTTP tool header) in a namespace → its value. */
  resolveValue: ValueSourceResolver;
  /** Secret and ConfigMap keys for Agent parameters and HTTP tool bodyParameters. */
  configValues: ConfigValueReader;
  /** Names of the resources of a kind whose labels match, in API order (Query `spec.selector`). */
  listNames?(kind: QueryTarget["type"], namespace: string, selector: LabelSelector): Promise<string[]>;
  /** The MCPServer a Tool of type mcp calls, address and headers resolved. */
  /** `queryParameters`: the running query's, for headers with valueFrom.queryParameterRef. */
  getMcpServer?(namespace: string, name: string, queryParameters?: Record<string, string>): Promise<McpServerTarget | undefined>;
  /** An ExecutionEngine with its address resolved (`address` empty when it resolves to nothing). */
  getExecutionEngine?(namespace: string, name: string): Promise<{ address: string } | undefined>;
  /** The A2AServer an Agent with `executionEngine: a2a` belongs to (same namespace). */
  /** `queryParameters`: the running query's, for headers with valueFrom.queryParameterRef. */
  getA2AServer?(namespace: string, name: string, queryParameters?: Record<string, string>): Promise<A2AServerTarget | undefined>;
}
