import { runService } from "@ark/service-kit";
import { apiServerConfig } from "./config.js";
import { createApiServer } from "./server.js";

await runService(apiServerConfig, (config) => createApiServer(config));
