// flood.js: issue 6's flood workload through grammY + @grammyjs/transformer-throttler + @grammyjs/auto-retry,
// against its own subguard sandbox (Telegram's flood limits on), for the side-by-side table of
// bench/flood/run.sh. Prints one markdown row in flood_bench's columns.
//
// The workload is flood_bench's: 1,900 private chats x 5, 95 groups x 2, 5 big groups x 62 (10,000 messages),
// round robin over the chats (every chat's first message, then every chat's second, ...). Each chat belongs to
// one process (chat index mod processes, as a load balancer by chat would split it); every process issues all
// its sendMessage calls at once and the throttler queues them. grammY gets no updates: it sends the replies
// directly, so its path is shorter than subguard's (sandbox -> ingest -> verifier -> ingest -> sender).
//
// Modes: "defaults" is apiThrottler() as documented (each process has its own in-memory limiters);
// "redis" gives every Bottleneck limiter `datastore: "ioredis"` and a shared `id`, so the processes share
// one set of limits in a private redis-server.
//
// Usage: node flood.js --sandbox=<subguard-sandbox binary> [--processes=1] [--mode=defaults|redis]
//                      [--cap_minutes=10] [--scale=1.0] [--heartbeat_ms=0 (Bottleneck's Redis default, 5000)]
"use strict";

const { fork, spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const TOKEN = "424242:sandbox-token"; // flood_bench's (ClusterOptions' default) token
const BOT_ID = 424242;
const MEMBER = 2000001;
const BOT_LIMIT = 30; // the sandbox's messages per second for the bot
const GROUP_PER_MINUTE = 20; // the sandbox's messages in any 60 s in one group
const CHAT_BURST = 3; // a quiet chat's burst, then 1 message a second

function parseArgs(argv) {
  const args = { processes: 1, mode: "defaults", cap_minutes: 10, scale: 1.0, sandbox: "", heartbeat_ms: 0 };
  for (const arg of argv) {
    const match = /^--([a-z_]+)=(.*)$/.exec(arg);
    if (!match) continue;
    const numeric = ["processes", "cap_minutes", "scale", "heartbeat_ms"].includes(match[1]);
    args[match[1]] = numeric ? Number(match[2]) : match[2];
  }
  return args;
}

// flood_bench's Workload(): the same chats, counts and order.
function workload(scale) {
  const n = (count) => Math.max(1, Math.floor(count * scale));
  const chats = [];
  for (let i = 0; i < n(1900); ++i) chats.push({ id: 3000000 + i, user: 3000000 + i, commands: 5 });
  for (let i = 0; i < n(95); ++i) chats.push({ id: -1007000000 - i, user: MEMBER, commands: 2 });
  for (let i = 0; i < n(5); ++i) chats.push({ id: -1008000000 - i, user: MEMBER, commands: 62 });
  return chats;
}

// flood_bench's BestCompletion(), in seconds.
function bestCompletion(chats) {
  let total = 0;
  let best = 0;
  for (const chat of chats) {
    total += chat.commands;
    best = Math.max(best, Math.max(0, chat.commands - CHAT_BURST));
    if (chat.id < 0) best = Math.max(best, 60 * Math.floor((chat.commands - 1) / GROUP_PER_MINUTE));
  }
  return Math.max(best, total / BOT_LIMIT);
}

// The sends of one process, in the workload's round-robin order.
function sendsOf(chats, worker, processes) {
  const mine = chats.filter((_, index) => index % processes === worker);
  const sends = [];
  const rounds = Math.max(...chats.map((chat) => chat.commands));
  for (let round = 0; round < rounds; ++round) {
    for (const chat of mine) if (round < chat.commands) sends.push(chat.id);
  }
  return sends;
}

// ---- worker: one grammY bot sending its share --------------------------------------------------------------

function throttlerOptions(mode, redisPort, heartbeatMs) {
  if (mode !== "redis") return {};
  const shared = {
    datastore: "ioredis",
    clientOptions: { host: "127.0.0.1", port: redisPort },
    // Bottleneck's Redis default is 5000 ms, and a reservoir refresh is noticed only on a heartbeat.
    ...(heartbeatMs > 0 ? { heartbeatInterval: heartbeatMs } : {}),
  };
  // The throttler's own defaults, plus the shared datastore and one id per limiter across the processes.
  return {
    global: {
      ...shared,
      id: "flood-global",
      reservoir: 30,
      reservoirRefreshAmount: 30,
      reservoirRefreshInterval: 1000,
    },
    group: {
      ...shared,
      id: "flood-group",
      maxConcurrent: 1,
      minTime: 1000,
      reservoir: 20,
      reservoirRefreshAmount: 20,
      reservoirRefreshInterval: 60000,
    },
    out: { ...shared, id: "flood-out", maxConcurrent: 1, minTime: 1000 },
  };
}

async function runWorker(args) {
  const { Bot } = require("grammy");
  const { apiThrottler } = require("@grammyjs/transformer-throttler");
  const { autoRetry } = require("@grammyjs/auto-retry");
  const bot = new Bot(TOKEN, { client: { apiRoot: args.api_root } });
  bot.api.config.use(apiThrottler(throttlerOptions(args.mode, Number(args.redis_port), args.heartbeat_ms)));
  bot.api.config.use(autoRetry()); // installed last, so it is outermost: a retry queues in the throttler again
  const sends = sendsOf(workload(args.scale), Number(args.worker), args.processes);
  const latencies = []; // ms from issuing a send to its successful answer
  const doneAt = []; // ms since the epoch of each successful answer
  let failed = 0;
  const report = () => new Promise((resolve) => process.send({ latencies, doneAt, failed }, resolve));
  process.on("message", (message) => {
    if (message === "report") report();
  });
  await new Promise((resolve) => process.once("message", (m) => m === "go" && resolve()));
  const pending = sends.map((chatId) => {
    const issued = Date.now();
    return bot.api.sendMessage(chatId, "help: /start /help").then(
      () => {
        const now = Date.now();
        latencies.push(now - issued);
        doneAt.push(now);
      },
      () => {
        ++failed;
      },
    );
  });
  await Promise.all(pending);
  await report();
}

// ---- orchestrator: sandbox, redis, world, workers, the row ---------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition, what, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function control(base, method, route, body) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// flood_bench's SetUpWorld().
async function setUpWorld(base, chats) {
  await control(base, "POST", "/control/users", { id: MEMBER, is_bot: false, first_name: "Member" });
  for (const chat of chats) {
    if (chat.id > 0) {
      await control(base, "POST", "/control/users", { id: chat.user, is_bot: false, first_name: "U" });
      await control(base, "POST", "/control/chats", { id: chat.id, type: "private", title: "" });
      continue;
    }
    await control(base, "POST", "/control/chats", { id: chat.id, type: "supergroup", title: "G" });
    await control(base, "POST", "/control/members", {
      chat_id: chat.id,
      user_id: BOT_ID,
      status: "administrator",
      can_restrict_members: true,
    });
    await control(base, "POST", "/control/members", { chat_id: chat.id, user_id: chat.user, status: "member" });
  }
}

function percentile(sorted, share) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] : NaN;
}

function busiestTenSeconds(times) {
  let peak = 0;
  for (let i = 0, j = 0; j < times.length; ++j) {
    while (times[j] - times[i] >= 10000) ++i;
    peak = Math.max(peak, j - i + 1);
  }
  return peak / 10;
}

async function runOrchestrator(args) {
  if (!args.sandbox) throw new Error("--sandbox=<path to subguard-sandbox> is required");
  const children = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flood-grammy-"));
  const cleanUp = () => children.forEach((child) => child.kill("SIGTERM"));
  process.on("exit", cleanUp);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const sandboxLog = fs.openSync(path.join(dir, "sandbox.log"), "w");
    children.push(
      spawn(args.sandbox, ["--port", String(port), "--bot_token", TOKEN], {
        stdio: ["ignore", sandboxLog, sandboxLog],
      }),
    );
    await waitFor(async () => (await fetch(`${base}/bot${TOKEN}/getMe`)).ok, "the sandbox");
    let redisPort = 0;
    if (args.mode === "redis") {
      redisPort = await freePort();
      children.push(
        spawn("redis-server", ["--port", String(redisPort), "--save", "", "--appendonly", "no", "--dir", dir], {
          stdio: "ignore",
        }),
      );
      await waitFor(
        () =>
          new Promise((resolve) => {
            const socket = net.connect(redisPort, "127.0.0.1", () => socket.end(() => resolve(true)));
            socket.on("error", () => resolve(false));
          }),
        "redis-server",
      );
    }
    const chats = workload(args.scale);
    await setUpWorld(base, chats);
    await control(base, "POST", "/control/flood", {}); // forget set-up's counts

    const workers = [];
    for (let worker = 0; worker < args.processes; ++worker) {
      const child = fork(__filename, [
        "--role=worker",
        `--worker=${worker}`,
        `--processes=${args.processes}`,
        `--mode=${args.mode}`,
        `--scale=${args.scale}`,
        `--api_root=${base}`,
        `--redis_port=${redisPort}`,
        `--heartbeat_ms=${args.heartbeat_ms}`,
      ]);
      children.push(child);
      workers.push(child);
    }
    const reports = workers.map((child) => new Promise((resolve) => child.once("message", resolve)));
    await sleep(2000); // let every worker load grammY before the clock starts
    const start = Date.now();
    workers.forEach((child) => child.send("go"));
    const capped = await Promise.race([
      Promise.all(reports).then(() => false),
      sleep(args.cap_minutes * 60000).then(() => true),
    ]);
    if (capped) workers.filter((child) => child.connected).forEach((child) => child.send("report"));
    const results = await Promise.all(reports);
    const flood = await control(base, "GET", "/control/flood");

    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const doneAt = results.flatMap((r) => r.doneAt).sort((a, b) => a - b);
    const failed = results.reduce((sum, r) => sum + r.failed, 0);
    const sent = doneAt.length;
    const seconds = capped ? args.cap_minutes * 60 : (doneAt[sent - 1] - start) / 1000;
    const best = bestCompletion(chats);
    const total = chats.reduce((sum, chat) => sum + chat.commands, 0);
    const peak = busiestTenSeconds(doneAt);
    const heartbeat = args.heartbeat_ms > 0 ? `, heartbeat ${args.heartbeat_ms} ms` : "";
    const label = args.mode === "redis" ? `grammY, Redis datastore${heartbeat}` : "grammY, defaults";
    const sends = sent === total ? `${sent}` : `${sent} of ${total}${failed ? ` (${failed} failed)` : ""}`;
    const completion = capped ? `capped at ${seconds.toFixed(1)} s` : `${seconds.toFixed(1)} s`;
    const vsBest = capped ? `<= ${((100 * best) / seconds).toFixed(1)}%` : `${((100 * best) / seconds).toFixed(1)}%`;
    console.log(
      `| ${label} | ${args.processes} | ${sends} | n/a | ${completion} | ${best.toFixed(1)} s | ` +
        `${((100 * sent) / seconds / BOT_LIMIT).toFixed(1)}% | ${vsBest} | ` +
        `${peak.toFixed(1)}/s (${((100 * peak) / BOT_LIMIT).toFixed(1)}%) | ${flood.total} | ` +
        `${(percentile(latencies, 0.5) / 1000).toFixed(2)} s | ${(percentile(latencies, 0.99) / 1000).toFixed(2)} s |`,
    );
  } finally {
    cleanUp();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const args = parseArgs(process.argv.slice(2));
(args.role === "worker" ? runWorker(args) : runOrchestrator(args)).then(
  () => process.exit(0),
  (error) => {
    console.error(`flood.js: ${error.stack || error}`);
    process.exit(1);
  },
);
