/** A conversation session as ark-api lists it (`GET /v1/namespaces/{ns}/sessions`): postgres-memory's summary and the Memory that holds it. */
export interface SessionView {
  sessionId: string;
  memoryName: string;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
}
