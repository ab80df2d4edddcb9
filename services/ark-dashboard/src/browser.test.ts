import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createArkClient } from "@ark/kube";
import { servicesRequired } from "@ark/testing";
import { testPostgres } from "@ark/testing/vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDashboardStack, type DashboardStack } from "./test-support/stack.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOTS = fileURLToPath(new URL("../reports/screenshots/", import.meta.url));
const hasChromium = existsSync(CHROMIUM);

/** The page's globals, inside page.evaluate callbacks (this file is typed for Node): `(globalThis as unknown as Win)`. */
interface WinObserver {
  answerSamples: Array<{ text: string; phase: string | null }>;
  MutationObserver: new (callback: () => void) => { observe(node: unknown, options: object): void };
  document: {
    querySelector(selector: string): unknown;
    querySelectorAll(selector: string): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
  };
}
interface Win {
  document: { querySelector(selector: string): unknown; documentElement: { dataset: Record<string, string | undefined> } };
  sessionStorage: { getItem(key: string): string | null };
}

// CI (REQUIRE_SERVICES=1) installs chromium: there a missing browser fails instead of skipping.
describe("the dashboard browser prerequisites", () => {
  it.runIf(servicesRequired())("has Debian's chromium at /usr/bin/chromium (apt-get install chromium)", () => {
    expect(hasChromium, `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  });
});

describe.skipIf(!testPostgres() || !hasChromium)("the dashboard in a browser, against a running stack", () => {
  let stack: DashboardStack;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const ark = () => createArkClient(stack.kubeConfig);

  beforeAll(async () => {
    stack = await startDashboardStack();
    const { call } = stack;
    const ok = (r: { status: number; body: unknown }) => expect(r.status, JSON.stringify(r.body)).toBe(200);
    ok(await call("POST", "/v1/namespaces/default/models", { name: "default", type: "openai", model: "mock-model", config: { openai: { baseUrl: stack.mock.url, apiKey: "sk-test" } } }));
    ok(await call("POST", "/v1/namespaces/default/agents", { name: "helper", description: "Answers questions", prompt: "You help." }));
    ok(await call("POST", "/v1/namespaces/default/agents", { name: "tooler", prompt: "Use tools.", tools: [{ type: "built-in", name: "noop" }] }));
    ok(
      await call("POST", "/v1/namespaces/default/teams", {
        name: "crew",
        strategy: "graph",
        members: [
          { name: "helper", type: "agent" },
          { name: "tooler", type: "agent" },
        ],
        graph: { edges: [{ from: "helper", to: "tooler" }] },
        maxTurns: 2,
      }),
    );
    // A Tool a person approves before it runs (a rejection needs a reason), and an agent using it.
    ok(
      await call("POST", "/v1/namespaces/default/tools", {
        name: "ship",
        spec: { type: "builtin", builtin: { name: "noop" }, description: "Ships the order", annotations: { destructiveHint: true }, approval: { required: true, reasonRequired: true } },
      }),
    );
    ok(await call("POST", "/v1/namespaces/default/agents", { name: "shipper", prompt: "Ship orders.", tools: [{ type: "custom", name: "ship" }] }));
    ok(await call("POST", "/v1/namespaces/default/memories", { name: "notes", address: { value: stack.memory.url } }));
    ok(await call("POST", "/v1/namespaces/default/mcp-servers", { name: "offline", spec: { transport: "http", address: { value: "http://127.0.0.1:9/mcp" } } }));
    await mkdir(SCREENSHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "ark-dashboard-chromium-")), {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${page.url()}: console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  }, 120_000);

  // Each test owns the console problems of its pages.
  beforeEach(() => {
    problems.length = 0;
  });

  afterAll(async () => {
    await context?.close();
    await stack?.close();
  });

  /** Opens a page of the app and waits until nothing is loading any more. */
  async function open(path: string): Promise<void> {
    await page.goto(`${stack.dashboard.url}${path}`);
    await page.locator("main h1").first().waitFor();
    await page.locator("[role=status]").first().waitFor({ state: "detached", timeout: 10_000 });
  }

  it("asks for the API key ark-api wants, refuses a wrong one with ark-api's message, then signs in", async () => {
    await page.goto(stack.dashboard.url);
    const key = page.getByLabel("API key");
    await key.fill("ark_wrong_key_000000000000000000");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => page.locator("#login-error").textContent()).toContain("invalid");
    problems.length = 0; // the 401 of the wrong key is logged by the browser: expected here
    await key.fill(stack.adminKey);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as Win).sessionStorage.getItem("ark.apiKey"))).toBe(stack.adminKey);
  });

  it("signs in with OIDC: the issuer's login (code + PKCE), back in the app with a token ark-api takes; sign out forgets it", async () => {
    // A new tab: its sessionStorage holds no API key.
    const tab = await context.newPage();
    const tabProblems: string[] = [];
    tab.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") tabProblems.push(`${tab.url()}: console ${message.type()}: ${message.text()}`);
    });
    tab.on("pageerror", (error) => tabProblems.push(`${tab.url()}: ${error.message}`));
    try {
      await tab.goto(`${stack.dashboard.url}/agents`);
      await tab.getByRole("button", { name: "Sign in with OIDC" }).waitFor();
      tabProblems.length = 0; // the 401 that showed the sign-in page is logged by the browser: expected
      await tab.getByRole("button", { name: "Sign in with OIDC" }).click();
      await tab.getByRole("navigation", { name: "Main" }).waitFor({ timeout: 15_000 });
      expect(new URL(tab.url()).pathname).toBe("/");
      const token = await tab.evaluate(() => (globalThis as unknown as Win).sessionStorage.getItem("ark.oidcToken"));
      const claims = JSON.parse(Buffer.from(token!.split(".")[1]!, "base64url").toString()) as { sub: string; aud: string; iss: string };
      expect(claims).toMatchObject({ sub: "alice", aud: "ark-api", iss: stack.oidc.url });
      expect(stack.oidc.tokenRequests.at(-1)).toMatchObject({ clientId: "ark-dashboard", codeVerifier: expect.stringMatching(/^[\w.~-]{43,}$/) });
      // ark-api answers with the token: the agents of namespace default are listed.
      await tab.goto(`${stack.dashboard.url}/agents`);
      await tab.locator("tr[data-name=helper]").waitFor({ timeout: 10_000 });
      await tab.getByRole("button", { name: "Sign out" }).click();
      await tab.getByRole("button", { name: "Sign in with OIDC" }).waitFor();
      expect(await tab.evaluate(() => (globalThis as unknown as Win).sessionStorage.getItem("ark.oidcToken"))).toBeNull();
      expect(tabProblems).toEqual([]);
    } finally {
      await tab.close();
    }
  }, 60_000);

  it("loads every page with no console errors, in light and dark (screenshots in reports/screenshots)", async () => {
    const pages: Array<[string, string]> = [
      ["/", "overview"],
      ["/agents", "agents"],
      ["/agents/helper", "agent"],
      ["/agents/new", "agent-new"],
      ["/teams", "teams"],
      ["/teams/crew", "team"],
      ["/models", "models"],
      ["/models/default", "model"],
      ["/tools", "tools"],
      ["/mcp-servers", "mcp-servers"],
      ["/mcp-servers/offline", "mcp-server"],
      ["/a2a-servers", "a2a-servers"],
      ["/memories", "memories"],
      ["/memories/notes", "memory"],
      ["/sessions", "sessions"],
      ["/queries", "queries"],
      ["/evaluations", "evaluations"],
      ["/evaluators", "evaluators"],
      ["/secrets", "secrets"],
      ["/events", "events"],
      ["/tool-approvals", "tool-approvals-empty"],
      ["/chat?target=agent/helper", "chat-empty"],
    ];
    for (const [path, name] of pages) {
      await open(path);
      expect(await page.locator(".error").count(), `${path} shows an error: ${await page.locator(".error").allTextContents()}`).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    }
    // The empty states say what to do next.
    await open("/a2a-servers");
    expect(await page.locator(".empty").textContent()).toContain("apply an A2AServer");
    await open("/mcp-servers/offline");
    await expect.poll(() => page.getByRole("region", { name: "Discovered tools" }).textContent()).toContain("No tools discovered yet");
    // The team's members and its edge are drawn.
    await open("/teams/crew");
    expect(await page.locator("g.node").count()).toBe(2);
    expect(await page.locator("line.edge[data-from=helper][data-to=tooler]").count()).toBe(1);
    // Dark mode, kept across reloads.
    await page.getByRole("button", { name: "Toggle dark mode" }).click();
    const theme = await page.evaluate(() => (globalThis as unknown as Win).document.documentElement.dataset.theme);
    await page.reload();
    await page.locator("main h1").first().waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as Win).document.documentElement.dataset.theme)).toBe(theme);
    await page.screenshot({ path: join(SCREENSHOTS, `team-${theme}.png`), fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  it("streams a chat answer token by token, keeps the session across turns and reloads, and cancels", async () => {
    const answer = "Paris is sunny today with a light breeze from the west and no rain expected.";
    stack.mock.setDefault({ text: answer, chunkDelayMs: 120 });
    await open("/chat?target=agent/helper");
    const session = new URL(page.url()).searchParams.get("session");
    expect(session).toBeTruthy();
    // Every change of the answer's bubble, recorded in the page as it happens.
    await page.evaluate(() => {
      const win = globalThis as unknown as WinObserver;
      win.answerSamples = [];
      new win.MutationObserver(() => {
        const bubbles = win.document.querySelectorAll(".bubble.assistant");
        const bubble = bubbles[bubbles.length - 1];
        if (bubble) win.answerSamples.push({ text: bubble.textContent ?? "", phase: bubble.getAttribute("data-phase") });
      }).observe(win.document.querySelector(".chat")!, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByLabel("Message").fill("Weather in Paris?");
    await page.getByLabel("Message").press("Enter");
    const bubble = page.locator(".turn").last().locator(".bubble.assistant");
    await expect.poll(async () => [await bubble.getAttribute("data-phase"), await bubble.textContent()], { timeout: 30_000 }).toEqual(["completed", answer]);
    const samples = await page.evaluate(() => (globalThis as unknown as WinObserver).answerSamples);
    // Before the query ended, the answer was already partly there and growing.
    const partial = samples.filter((s) => s.phase !== "completed" && s.text.length > 0 && answer.startsWith(s.text) && s.text.length < answer.length);
    expect(new Set(partial.map((s) => s.text.length)).size, JSON.stringify(samples)).toBeGreaterThan(2);
    await page.screenshot({ path: join(SCREENSHOTS, "chat.png"), fullPage: true });

    // A second turn goes to the same session; a reload shows both.
    stack.mock.setDefault({ text: "Second answer." });
    await page.getByLabel("Message").fill("And tomorrow?");
    await page.getByLabel("Message").press("Enter");
    await expect.poll(() => page.locator(".turn").last().locator(".bubble.assistant").textContent(), { timeout: 30_000 }).toBe("Second answer.");
    await page.reload();
    await expect.poll(() => page.locator(".bubble.assistant").allTextContents(), { timeout: 15_000 }).toEqual([answer, "Second answer."]);
    const queries = (await ark().queries.list("default")).filter((q) => q.spec.sessionId === session);
    expect(queries.map((q) => q.spec.input).sort()).toEqual(["And tomorrow?", "Weather in Paris?"]);

    // Cancel: the model never answers; the button cancels the query.
    stack.mock.setDefault({ hang: true });
    await page.getByLabel("Message").fill("This will hang");
    await page.getByLabel("Message").press("Enter");
    const last = page.locator(".turn").last();
    await last.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => last.locator(".bubble.assistant").getAttribute("data-phase"), { timeout: 30_000 }).toBe("canceled");
    expect(await last.textContent()).toContain("Canceled.");
    stack.mock.setDefault(undefined);
    expect(problems).toEqual([]);
  }, 120_000);

  it("shows a field error at the field for a bad value, and sends nothing", async () => {
    await open("/agents/new");
    await page.locator("#name").fill("Bad_Name");
    await page.locator("#maxIterations").fill("0");
    await page.getByRole("button", { name: "Create agent" }).click();
    const nameError = page.locator(".field-error[data-field=name]");
    await nameError.waitFor();
    expect(await nameError.textContent()).toMatch(/lowercase|RFC 1123|DNS/i);
    expect(await page.locator(".field-error[data-field=maxIterations]").textContent()).toMatch(/1|too small|greater/i);
    await page.screenshot({ path: join(SCREENSHOTS, "agent-form-errors.png"), fullPage: true });
    expect(await ark().agents.get("default", "Bad_Name")).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it("creates an agent through the form: it shows in the list and in the Kubernetes API", async () => {
    await open("/agents/new");
    await page.locator("#name").fill("form-agent");
    await page.locator("#description").fill("Made in the browser");
    await page.locator("#prompt").fill("You are made by a form.");
    await page.locator("#model").selectOption("default");
    await page.getByRole("checkbox", { name: /noop/ }).check();
    await page.getByRole("button", { name: "Create agent" }).click();
    await page.waitForURL(/\/agents\/form-agent$/);
    await open("/agents");
    expect(await page.locator("tr[data-name=form-agent]").textContent()).toContain("Made in the browser");
    const agent = await ark().agents.get("default", "form-agent");
    expect(agent?.spec).toMatchObject({ prompt: "You are made by a form.", modelRef: { name: "default" }, tools: [{ type: "built-in", name: "noop" }] });

    // The YAML view, then delete with confirmation.
    await open("/agents/form-agent");
    await page.getByRole("tab", { name: "YAML" }).click();
    expect(await page.getByLabel("YAML").textContent()).toContain("kind: Agent");
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("button", { name: "Delete form-agent" }).click();
    await page.waitForURL(/\/agents$/);
    await expect.poll(() => ark().agents.get("default", "form-agent")).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it("shows a query's tool call with its arguments and result in the detail's timeline", async () => {
    stack.mock.script({ toolCalls: [{ name: "noop", arguments: { message: "checking the forecast" } }] }, { text: "All checked." });
    const created = await stack.call("POST", "/v1/namespaces/default/queries?wait=30s", { name: "with-tool", input: "Check it", target: { type: "agent", name: "tooler" } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await open("/queries/with-tool");
    const tool = page.locator("li.entry[data-kind=tool]");
    await tool.waitFor({ timeout: 15_000 });
    expect(await tool.textContent()).toContain("noop");
    expect(await tool.textContent()).toContain("checking the forecast");
    expect(await tool.textContent()).toContain("Result");
    expect(await page.locator("li.entry[data-kind=query]").last().textContent()).toContain("All checked.");
    // Its tokens and duration, as the query's status says.
    const status = (await ark().queries.get("default", "with-tool"))!.status!;
    expect(status.tokenUsage?.totalTokens).toBeGreaterThan(0);
    expect(await page.locator("[data-fact=tokens]").textContent()).toMatch(new RegExp(`^${status.tokenUsage!.totalTokens} \\(`));
    expect(await page.locator("[data-fact=duration]").textContent()).toBe(status.duration);
    expect(await page.getByRole("region", { name: "Responses" }).textContent()).toContain("All checked.");
    await page.screenshot({ path: join(SCREENSHOTS, "query.png"), fullPage: true });
    await open("/queries");
    expect(await page.locator("tr[data-name=with-tool]").textContent()).toContain("done");

    // The evaluations an evaluator wrote into the status show with their score and result.
    await ark().queries.patchStatus("default", "with-tool", { evaluations: [{ evaluatorName: "judge", score: "0.8", passed: true, metadata: { reasoning: "checked as asked" } }] });
    await open("/queries/with-tool");
    await expect.poll(() => page.locator("tr[data-evaluator=judge]").textContent(), { timeout: 10_000 }).toContain("0.8passed");
    expect(problems).toEqual([]);
  });

  it("pauses a query on a tool that needs approval: the query's page links to the request, approving it (with edited arguments) completes the query", async () => {
    const ship = { toolCalls: [{ name: "ship", arguments: { message: "order 7 by air" } }] };
    stack.mock.script(ship, { text: "Shipped by sea." });
    const created = await stack.call("POST", "/v1/namespaces/default/queries", { name: "needs-approval", input: "Ship order 7", target: { type: "agent", name: "shipper" } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    // The query's page says what it waits on, and links to it.
    await open("/queries/needs-approval");
    const awaiting = page.getByRole("region", { name: "Awaiting approval" });
    await awaiting.waitFor({ timeout: 20_000 });
    expect(await awaiting.textContent()).toContain("ship");
    const [request] = (await stack.call("GET", "/v1/namespaces/default/tool-approvals?phase=pending")).body.items as Array<{ name: string; query: string }>;
    expect(request?.query).toBe("needs-approval");
    await page.screenshot({ path: join(SCREENSHOTS, "query-awaiting-approval.png"), fullPage: true });
    await awaiting.getByRole("link", { name: `decide ${request!.name}` }).click();
    await page.waitForURL(new RegExp(`/tool-approvals/${request!.name}$`));
    const card = page.getByRole("article", { name: `Tool approval ${request!.name}` });
    await card.waitFor();
    expect(await card.getByLabel("Arguments of ship").textContent()).toContain("order 7 by air");
    expect(await card.textContent()).toContain("destructive");
    expect(await card.textContent()).toContain("needs-approval");

    // Arguments that are not a JSON object show at their field; nothing is decided.
    const args = card.getByLabel(/^Arguments \(JSON/);
    await args.fill("[1, 2]");
    await card.getByRole("button", { name: "Approve" }).click();
    await card.locator(`.field-error[data-field=${request!.name}-arguments]`).waitFor();
    expect(await card.locator(`.field-error[data-field=${request!.name}-arguments]`).textContent()).toContain("JSON object");
    expect((await ark().toolApprovalRequests.get("default", request!.name))?.status?.decision).toBeUndefined();
    await page.screenshot({ path: join(SCREENSHOTS, "tool-approval.png"), fullPage: true });

    await args.fill('{"message": "order 7 by sea"}');
    await card.getByLabel("Reason (required to reject)").fill("sea is cheaper");
    await card.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => card.getAttribute("data-phase"), { timeout: 15_000 }).toBe("approved");
    expect(await card.locator(".decision").textContent()).toContain("sea is cheaper");
    await expect.poll(async () => (await ark().queries.get("default", "needs-approval"))?.status?.phase, { timeout: 30_000 }).toBe("done");
    const decided = await ark().toolApprovalRequests.get("default", request!.name);
    expect(decided?.status?.decision).toMatchObject({ action: "approved", reason: "sea is cheaper", arguments: { message: "order 7 by sea" } });

    // The query ran the call with the approver's arguments and finished; it waits on nothing any more.
    await open("/queries/needs-approval");
    await expect.poll(() => page.locator("li.entry[data-kind=tool]").first().textContent(), { timeout: 15_000 }).toContain("order 7 by sea");
    expect(await page.getByRole("region", { name: "Responses" }).textContent()).toContain("Shipped by sea.");
    expect(await page.getByRole("region", { name: "Awaiting approval" }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 90_000);

  it("rejects a tool call on the approvals page: a reason is asked for at its field, the model is told and the query completes", async () => {
    stack.mock.script({ toolCalls: [{ name: "ship", arguments: { message: "order 8" } }] }, { text: "Not shipped." });
    expect((await stack.call("POST", "/v1/namespaces/default/queries", { name: "rejected-call", input: "Ship order 8", target: { type: "agent", name: "shipper" } })).status).toBe(200);
    await expect.poll(async () => ((await stack.call("GET", "/v1/namespaces/default/tool-approvals?phase=pending")).body.items as unknown[]).length, { timeout: 20_000 }).toBe(1);
    await open("/tool-approvals");
    const card = page.locator("article.approval[data-phase=pending]");
    await card.waitFor({ timeout: 10_000 });
    const name = (await card.getAttribute("data-name"))!;
    await card.getByRole("button", { name: "Reject" }).click();
    const reasonError = card.locator(`.field-error[data-field=${name}-reason]`);
    await reasonError.waitFor();
    expect(await reasonError.textContent()).toMatch(/reason is required/i);
    await card.getByLabel("Reason (required to reject)").fill("order 8 is on hold");
    await card.getByRole("button", { name: "Reject" }).click();
    // Pending ones are listed: the decided request leaves the list.
    await expect.poll(() => page.locator(`article.approval[data-name=${name}]`).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await ark().queries.get("default", "rejected-call"))?.status?.phase, { timeout: 30_000 }).toBe("done");
    await page.locator("select[aria-label=Phase]").selectOption("rejected");
    const rejected = page.locator(`article.approval[data-name=${name}]`);
    await rejected.waitFor({ timeout: 10_000 });
    expect(await rejected.locator(".decision").textContent()).toContain("order 8 is on hold");
    // The model got the rejection with its reason as the tool's result.
    type Message = { role: string; content?: unknown };
    const messagesOf = (body: unknown) => (body as { messages?: Message[] } | undefined)?.messages ?? [];
    const resumed = stack.mock.requests.filter((r) => messagesOf(r.body).some((m) => m.role === "user" && m.content === "Ship order 8") && messagesOf(r.body).some((m) => m.role === "tool"));
    expect(resumed).toHaveLength(1);
    expect(String(messagesOf(resumed[0]!.body).find((m) => m.role === "tool")?.content)).toMatch(/rejected by .*: order 8 is on hold/);
    expect(problems).toEqual([]);
  }, 90_000);

  it("shows a memory's sessions and a session's conversation with its tool call and result; continue in chat; delete with confirmation", async () => {
    stack.mock.script({ toolCalls: [{ name: "noop", arguments: { message: "noting the plan" } }] }, { text: "Plan noted." });
    const query = { name: "remembered", input: "Remember the plan", target: { type: "agent", name: "tooler" }, memory: { name: "notes" }, sessionId: "plan-session" };
    const created = await stack.call("POST", "/v1/namespaces/default/queries?wait=30s", query);
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.status?.phase ?? created.body.status).toBe("done");
    // The memory's page lists the session the query wrote; the Sessions page too.
    await open("/memories/notes");
    const row = page.locator("tr[data-session=plan-session]");
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain("notes");
    await open("/sessions");
    await page.locator("tr[data-session=plan-session]").waitFor({ timeout: 10_000 });
    await page.getByRole("link", { name: "plan-session" }).click();
    await page.waitForURL(/\/sessions\/plan-session\?memory=notes$/);
    // The conversation: the user's message, the assistant's tool call with its arguments, the tool's result, the answer.
    const conversation = page.getByRole("list", { name: "Conversation" });
    await conversation.waitFor({ timeout: 10_000 });
    const roles = await conversation.locator("li.message").evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { role: string } }).dataset.role));
    expect(roles.filter((r) => r !== "system")).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(await conversation.locator("li[data-role=user]").textContent()).toContain("Remember the plan");
    const call = conversation.locator(".tool-call[data-tool=noop]");
    expect(await call.textContent()).toContain("noting the plan");
    expect(await conversation.locator("li[data-role=tool]").textContent()).toContain("noting the plan");
    expect(await conversation.locator("li[data-role=assistant]").last().textContent()).toContain("Plan noted.");
    await page.screenshot({ path: join(SCREENSHOTS, "session.png"), fullPage: true });
    expect(await page.getByRole("link", { name: "Continue in chat" }).getAttribute("href")).toBe("/chat?session=plan-session");

    // Delete asks first; then the session is gone from the memory.
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("button", { name: "Delete session" }).click();
    await page.waitForURL(/\/memories\/notes$/);
    await page.getByRole("region", { name: "Sessions" }).locator(".empty").waitFor({ timeout: 10_000 });
    expect((await stack.call("GET", "/v1/namespaces/default/sessions/plan-session?memory=notes")).status).toBe(404);
    expect(problems).toEqual([]);
  }, 60_000);

  it("draws queries and tokens over time on the overview", async () => {
    const items = (await ark().queries.list("default")).filter((q) => q.metadata.creationTimestamp);
    const tokens = items.reduce((n, q) => n + (q.status?.tokenUsage?.totalTokens ?? 0), 0);
    expect(items.length).toBeGreaterThan(0);
    await open("/");
    const total = (title: string) => page.getByRole("figure", { name: title }).locator("[data-total]").getAttribute("data-total");
    await expect.poll(() => total("Queries over time"), { timeout: 10_000 }).toBe(String(items.length));
    expect(await total("Tokens over time")).toBe(String(tokens));
    expect(tokens).toBeGreaterThan(0);
    // The bucket of the newest query has its bar drawn (on a slow run it need not be the last bucket: that is the current one).
    const bars = page.getByRole("figure", { name: "Queries over time" }).locator("rect.bar");
    expect(await bars.count()).toBe(24);
    const drawn = await bars.evaluateAll((rects) => rects.map((rect) => ({ start: Date.parse(rect.getAttribute("data-start")!), height: Number(rect.getAttribute("height")) })));
    const newest = Math.max(...items.map((q) => new Date(q.metadata.creationTimestamp!).getTime()));
    const newestBar = drawn.filter((bar) => bar.start <= newest).at(-1);
    expect(newestBar?.height).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, "overview-activity.png"), fullPage: true });
    expect(problems).toEqual([]);
  });

  /** Fills the form's inputs by id: a select takes the option, the others the text. */
  async function fill(values: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(values)) {
      const input = page.locator(`#${id}`);
      if ((await input.evaluate((el) => (el as { tagName: string }).tagName)) === "SELECT") await input.selectOption(value);
      else await input.fill(value);
    }
  }

  it("creates a resource of every kind with a form: a bad value shows at its field and sends nothing, a good one lands in the Kubernetes API", async () => {
    const cases: Array<{ segment: string; noun: string; bad: Record<string, string>; field: RegExp | string; fix: Record<string, string>; check(): Promise<unknown> }> = [
      {
        segment: "models",
        noun: "model",
        field: "apiKey",
        bad: { name: "form-model", type: "openai", model: "mock-model", baseUrl: stack.mock.url },
        fix: { apiKey: "sk-form" },
        check: async () =>
          expect((await ark().models.get("default", "form-model"))?.spec).toMatchObject({
            type: "openai",
            model: { value: "mock-model" },
            config: { openai: { baseUrl: { value: stack.mock.url }, apiKey: { value: "sk-form" } } },
          }),
      },
      {
        segment: "teams",
        noun: "team",
        field: "maxTurns",
        bad: { name: "form-team", strategy: "graph", members: "helper\ntooler", edges: "helper -> tooler", maxTurns: "0" },
        fix: { maxTurns: "3" },
        check: async () =>
          expect((await ark().teams.get("default", "form-team"))?.spec).toMatchObject({
            strategy: "graph",
            maxTurns: 3,
            members: [
              { type: "agent", name: "helper" },
              { type: "agent", name: "tooler" },
            ],
            graph: { edges: [{ from: "helper", to: "tooler" }] },
          }),
      },
      {
        segment: "queries",
        noun: "query",
        field: "target",
        bad: { name: "form-query", input: "Hello from the form" },
        fix: { target: "agent/helper" },
        check: async () => expect((await ark().queries.get("default", "form-query"))?.spec).toMatchObject({ input: "Hello from the form", target: { type: "agent", name: "helper" } }),
      },
      {
        segment: "tools",
        noun: "tool",
        field: "inputSchema",
        bad: { name: "form-tool", type: "http", description: "Weather", url: "http://127.0.0.1:9/weather", inputSchema: "{not json" },
        fix: { inputSchema: '{"type":"object","properties":{"city":{"type":"string"}}}' },
        check: async () =>
          expect((await ark().tools.get("default", "form-tool"))?.spec).toMatchObject({ type: "http", http: { url: "http://127.0.0.1:9/weather" }, inputSchema: { properties: { city: { type: "string" } } } }),
      },
      {
        segment: "tools",
        noun: "tool",
        field: "agentName",
        bad: { name: "form-agent-tool", type: "agent", description: "Asks the helper", approval: "required" },
        fix: { agentName: "helper" },
        check: async () => expect((await ark().tools.get("default", "form-agent-tool"))?.spec).toMatchObject({ type: "agent", agent: { name: "helper" }, approval: { required: true } }),
      },
      {
        segment: "tools",
        noun: "tool",
        field: "approvalWhen",
        bad: { name: "form-guarded-tool", type: "builtin", builtinName: "noop", approval: "required, a rejection gives a reason", approvalWhen: "args.amount >" },
        fix: { approvalWhen: "args.amount > 100" },
        check: async () =>
          expect((await ark().tools.get("default", "form-guarded-tool"))?.spec).toMatchObject({
            type: "builtin",
            builtin: { name: "noop" },
            approval: { required: true, reasonRequired: true, when: "args.amount > 100" },
          }),
      },
      {
        segment: "mcp-servers",
        noun: "MCP server",
        field: "timeout",
        bad: { name: "form-mcp", address: "http://127.0.0.1:9/mcp", transport: "sse", timeout: "soon" },
        fix: { timeout: "10s" },
        check: async () => expect((await ark().mcpServers.get("default", "form-mcp"))?.spec).toMatchObject({ address: { value: "http://127.0.0.1:9/mcp" }, transport: "sse", timeout: "10s" }),
      },
      {
        segment: "memories",
        noun: "memory",
        field: "address",
        bad: { name: "form-memory", address: "" },
        fix: { address: stack.memory.url },
        check: async () => expect((await ark().memories.get("default", "form-memory"))?.spec).toEqual({ address: { value: stack.memory.url } }),
      },
      {
        segment: "evaluators",
        noun: "evaluator",
        field: "address",
        bad: { name: "form-evaluator", address: "", judgeModel: "default" },
        fix: { address: "http://127.0.0.1:9/evaluate" },
        check: async () =>
          expect((await ark().evaluators.get("default", "form-evaluator"))?.spec).toMatchObject({ address: { value: "http://127.0.0.1:9/evaluate" }, parameters: [{ name: "model.name", value: "default" }] }),
      },
    ];
    for (const c of cases) {
      await open(`/${c.segment}`);
      await page.getByRole("link", { name: `New ${c.noun}`, exact: true }).click();
      await page.getByRole("form", { name: `New ${c.noun}` }).waitFor();
      await fill(c.bad);
      await page.getByRole("button", { name: `Create ${c.noun}` }).click();
      const error = page.locator(`.field-error[data-field=${c.field}]`);
      await error.waitFor({ timeout: 5_000 });
      expect((await error.textContent())?.length, `${c.segment}: ${c.field}`).toBeGreaterThan(0);
      if (c.segment === "models") await page.screenshot({ path: join(SCREENSHOTS, "model-form-errors.png"), fullPage: true });
      if (c.field === "approvalWhen") await page.screenshot({ path: join(SCREENSHOTS, "tool-form-errors.png"), fullPage: true });
      await fill(c.fix);
      await page.getByRole("button", { name: `Create ${c.noun}` }).click();
      await page.waitForURL(new RegExp(`/${c.segment}/${c.bad.name}$`));
      await c.check();
      await open(`/${c.segment}`);
      expect(await page.locator(`tr[data-name=${c.bad.name}]`).count(), c.segment).toBe(1);
    }

    // Editing through the form changes only what was changed.
    await open("/models/form-model");
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByRole("form", { name: "Edit model" }).waitFor();
    await expect.poll(() => page.locator("#model").inputValue()).toBe("mock-model");
    expect(await page.locator("#name").isDisabled()).toBe(true);
    await fill({ model: "mock-model-2" });
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/models\/form-model$/);
    expect((await ark().models.get("default", "form-model"))?.spec).toMatchObject({ model: { value: "mock-model-2" }, config: { openai: { apiKey: { value: "sk-form" } } } });

    // A field emptied in the form is removed (the edit replaces the object as read); fields the form does not show are kept.
    const before = (await ark().tools.get("default", "form-guarded-tool"))!;
    await ark().tools.replace({ ...before, metadata: { ...before.metadata, labels: { team: "shipping" } }, spec: { ...before.spec, annotations: { destructiveHint: true } } });
    await open("/tools/form-guarded-tool/edit");
    await page.getByRole("form", { name: "Edit tool" }).waitFor();
    await expect.poll(() => page.locator("#approval").inputValue()).toBe("required, a rejection gives a reason");
    await fill({ approval: "", description: "No approval any more" });
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/tools\/form-guarded-tool$/);
    const edited = (await ark().tools.get("default", "form-guarded-tool"))!;
    expect(edited.spec.approval).toBeUndefined();
    expect(edited.spec).toMatchObject({ type: "builtin", builtin: { name: "noop" }, description: "No approval any more", annotations: { destructiveHint: true } });
    expect(edited.metadata.labels).toEqual({ team: "shipping" });
    expect(problems).toEqual([]);
  }, 120_000);

  it("edits a resource's YAML: a schema error names its field, a good edit is saved; a kind without a form is created from YAML", async () => {
    await open("/agents/helper");
    await page.getByRole("tab", { name: "YAML" }).click();
    await page.getByRole("button", { name: "Edit YAML" }).click();
    const editor = page.getByLabel("YAML editor");
    const manifest = parseYaml(await editor.inputValue()) as { kind: string; metadata: { name: string }; spec: Record<string, unknown>; status?: unknown };
    expect(manifest.kind).toBe("Agent");
    expect(manifest.status).toBeUndefined();
    await editor.fill(stringifyYaml({ ...manifest, spec: { ...manifest.spec, maxIterations: 0 } }));
    await page.getByRole("button", { name: "Save YAML" }).click();
    const fieldError = page.locator(".yaml-errors li[data-field='spec.maxIterations']");
    await fieldError.waitFor({ timeout: 5_000 });
    expect(await fieldError.textContent()).toMatch(/spec\.maxIterations/);
    await page.screenshot({ path: join(SCREENSHOTS, "yaml-editor-error.png"), fullPage: true });
    expect((await ark().agents.get("default", "helper"))?.spec.maxIterations).not.toBe(0);

    await editor.fill(stringifyYaml({ ...manifest, spec: { ...manifest.spec, description: "Edited as YAML", maxIterations: 7 } }));
    await page.getByRole("button", { name: "Save YAML" }).click();
    await expect.poll(() => page.getByLabel("YAML", { exact: true }).textContent(), { timeout: 10_000 }).toContain("Edited as YAML");
    expect((await ark().agents.get("default", "helper"))?.spec).toMatchObject({ description: "Edited as YAML", maxIterations: 7 });

    // Saving replaces the object: a field removed from the YAML is gone.
    await page.getByRole("button", { name: "Edit YAML" }).click();
    const edited = parseYaml(await editor.inputValue()) as typeof manifest;
    expect(edited.spec.maxIterations).toBe(7);
    delete edited.spec.maxIterations;
    await editor.fill(stringifyYaml(edited));
    await page.getByRole("button", { name: "Save YAML" }).click();
    await page.getByRole("button", { name: "Edit YAML" }).waitFor({ timeout: 10_000 });
    const afterRemove = (await ark().agents.get("default", "helper"))!.spec;
    expect(afterRemove.maxIterations).toBeUndefined();
    expect(afterRemove).toMatchObject({ description: "Edited as YAML", prompt: manifest.spec.prompt });
    expect(await page.getByLabel("YAML", { exact: true }).textContent()).not.toContain("maxIterations");

    // A change made elsewhere after the editor read the object: saving is refused with ark-api's 409, nothing is overwritten.
    await page.getByRole("button", { name: "Edit YAML" }).click();
    const stale = parseYaml(await editor.inputValue()) as typeof manifest;
    expect((await stack.call("PUT", "/v1/namespaces/default/agents/helper", { description: "Changed meanwhile" })).status).toBe(200);
    await editor.fill(stringifyYaml({ ...stale, spec: { ...stale.spec, description: "Would overwrite" } }));
    await page.getByRole("button", { name: "Save YAML" }).click();
    await expect.poll(() => page.locator(".yaml-editor .error").textContent(), { timeout: 10_000 }).toMatch(/was changed since it was read/);
    expect((await ark().agents.get("default", "helper"))?.spec.description).toBe("Changed meanwhile");
    await page.screenshot({ path: join(SCREENSHOTS, "yaml-editor-conflict.png"), fullPage: true });
    problems.length = 0; // the browser logs the 409 answer: expected here
    await page.getByRole("button", { name: "Discard" }).click();

    // A2A servers have no form: the YAML editor creates one.
    await open("/a2a-servers");
    await page.getByRole("link", { name: "New A2AServer (YAML)" }).click();
    const create = page.getByLabel("YAML editor");
    await create.waitFor();
    await create.fill(stringifyYaml({ apiVersion: "ark.mckinsey.com/v1prealpha1", kind: "A2AServer", metadata: { name: "yaml-a2a" }, spec: { address: { value: "http://127.0.0.1:9" }, description: "Made as YAML" } }));
    await page.getByRole("button", { name: "Create A2AServer" }).click();
    await page.waitForURL(/\/a2a-servers\/yaml-a2a$/);
    expect((await ark().a2aServers.get("default", "yaml-a2a"))?.spec).toMatchObject({ address: { value: "http://127.0.0.1:9" }, description: "Made as YAML" });
    expect(problems).toEqual([]);
  }, 90_000);
});
