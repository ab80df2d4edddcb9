// Started as a child by embedded-postgres.test.ts, then SIGKILLed, to leave an orphaned PostgreSQL behind.
import { startEmbeddedPostgres } from "../embedded-postgres.js";

const server = await startEmbeddedPostgres({ dataDir: process.argv[2]! });
process.stdout.write(`started ${server.url}\n`);
setInterval(() => {}, 60_000);
