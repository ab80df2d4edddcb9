import { describe, expect, it } from "vitest";
import { createService } from "../http/create-service.js";
import { createLogger } from "./create-logger.js";

describe("createLogger", () => {
  it("binds the service name once, also when handed to createService under the same name", () => {
    const log = createLogger({ name: "ark-api", level: "silent" });
    expect(log.bindings()).toEqual({ service: "ark-api" });
    const service = createService({ name: "ark-api", config: { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", BODY_LIMIT_BYTES: 1024 }, logger: log });
    expect((service.log as typeof log).bindings()).toEqual({ service: "ark-api" });
  });

  it("lets a composition root share one unnamed logger, each service adding its name", () => {
    const root = createLogger({ level: "silent" });
    const service = createService({ name: "ark-mcp", config: { PORT: 0, HOST: "127.0.0.1", LOG_LEVEL: "silent", BODY_LIMIT_BYTES: 1024 }, logger: root });
    expect((service.log as typeof root).bindings()).toEqual({ service: "ark-mcp" });
  });
});
