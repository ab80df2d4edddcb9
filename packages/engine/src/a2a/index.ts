export { A2ACardError, fetchAgentCard, MAX_AGENT_CARD_BYTES, type A2ACardProblem } from "./card.js";
export { resolveEndpoint, type EndpointResolution } from "./endpoint.js";
export type { A2ATaskRecord, A2ATaskRecorder } from "./task-log.js";
