import { runService } from "@ark/service-kit";
import { dashboardConfig } from "./config.js";
import { createDashboard } from "./server.js";

await runService(dashboardConfig, (config) => createDashboard(config));
