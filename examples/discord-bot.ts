/**
 * Example 3 — a minimal Discord-style bot loop serving tasks to several external users.
 *
 *   OA_URL=http://localhost:3000 OA_API_KEY=1234 npx tsx examples/discord-bot.ts
 *
 * A real bot reads commands from Discord; here an in-memory "channel" of commands stands in for it, so the loop runs
 * as is. Each Discord user is one external user of the API client (auth method `discord`, their Discord id): the
 * server keeps their tasks, limits and statistics apart. Rate-limited users are told when to come back.
 */
import { createOpenAssistantClient, OpenAssistantError, type OpenAssistantClient } from "../src/client";

const url = process.env.OA_URL ?? "http://localhost:3000";
const apiKey = process.env.OA_API_KEY ?? "1234";
const rounds = Number(process.env.BOT_ROUNDS ?? 3);

type DiscordUser = { id: string; name: string };
type Command = { user: DiscordUser; text: string };
type OpenTask = Awaited<ReturnType<OpenAssistantClient["tasks"]["request"]["mutate"]>>;

const clients = new Map<string, OpenAssistantClient>();
const openTasks = new Map<string, OpenTask>();

/** One typed client per Discord user: the same key, acting for that user. */
function clientFor(user: DiscordUser) {
  let client = clients.get(user.id);
  if (!client) {
    client = createOpenAssistantClient({ url, apiKey, user: { id: user.id, displayName: user.name, authMethod: "discord" } });
    clients.set(user.id, client);
  }
  return client;
}

function reply(user: DiscordUser, text: string) {
  console.log(`@${user.name}: ${text}`);
}

/** `!task` hands out a task; any other message answers the user's open task. */
async function handle({ user, text }: Command) {
  const oa = clientFor(user);
  try {
    if (text === "!task") {
      const task = await oa.tasks.request.mutate({ type: "random", lang: "en" });
      await oa.tasks.ack.mutate({ taskId: task.id, frontendMessageId: `discord-${task.id}` });
      openTasks.set(user.id, task);
      const last = "conversation" in task.payload ? task.payload.conversation.at(-1)?.text : undefined;
      reply(user, `your task: ${task.type}${last ? ` — "${last.slice(0, 80)}"` : ""}`);
      return;
    }
    const task = openTasks.get(user.id);
    if (!task) return reply(user, "type !task to get a task");
    openTasks.delete(user.id);
    const payload = task.payload;
    if (payload.type === "initial_prompt" || payload.type === "prompter_reply" || payload.type === "assistant_reply") {
      await oa.tasks.submitReply.mutate({ taskId: task.id, text });
    } else if ("validLabels" in payload) {
      // A real bot would show buttons; "spam" as the answer flags it, anything else says it is fine.
      await oa.tasks.submitLabels.mutate({ taskId: task.id, labels: Object.fromEntries(payload.validLabels.map((n) => [n, n === "spam" && text === "spam" ? 1 : 0])) });
    } else {
      await oa.tasks.submitRanking.mutate({ taskId: task.id, rankedMessageIds: payload.replies.map((r) => r.id) });
    }
    reply(user, "thanks, saved!");
  } catch (error) {
    if (!(error instanceof OpenAssistantError)) throw error;
    if (error.retryable) reply(user, `slow down — try again in ${error.retryAfterSeconds} s`);
    else if (error.appCode === "TASK_REQUESTED_TYPE_NOT_AVAILABLE") reply(user, "no task for you right now, come back later");
    else reply(user, `that did not work: ${error.message}`);
  }
}

const users: DiscordUser[] = [
  { id: "111111111111", name: "ana" },
  { id: "222222222222", name: "bo" },
  { id: "333333333333", name: "chidi" },
];
for (let round = 0; round < rounds; round++) {
  for (const user of users) {
    await handle({ user, text: "!task" });
    await handle({ user, text: `${user.name}'s answer in round ${round + 1}: a careful, original reply.` });
  }
}
