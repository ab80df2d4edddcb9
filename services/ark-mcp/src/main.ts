import { runService } from "@ark/service-kit";
import { arkMcpConfig } from "./config.js";
import { createArkMcpServer } from "./server.js";

await runService(arkMcpConfig, (config) => createArkMcpServer(config));
