import { runService } from "@ark/service-kit";
import { gatewayConfig } from "./config.js";
import { createGateway } from "./server.js";

await runService(gatewayConfig, (config) => createGateway(config));
