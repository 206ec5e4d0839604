/**
 * Example 1 — request a task, acknowledge it and answer it as a named external user, with the typed client.
 *
 *   OA_URL=http://localhost:3000 OA_API_KEY=1234 npx tsx examples/request-task.ts
 */
import { createOpenAssistantClient, OpenAssistantError } from "../src/client";

const url = process.env.OA_URL ?? "http://localhost:3000";
const apiKey = process.env.OA_API_KEY ?? "1234";
const oa = createOpenAssistantClient({ url, apiKey, user: { id: "__test_user__", displayName: "Test User", authMethod: "local" } });

try {
  const task = await oa.tasks.request.mutate({ type: "random", lang: "en" });
  console.log(`Task ID: ${task.id}, Type: ${task.type}, expires ${task.expiresAt?.toISOString() ?? "never"}`);
  // Your own id for the message you are about to write; the server binds it to the task.
  await oa.tasks.ack.mutate({ taskId: task.id, frontendMessageId: `example-${task.id}` });

  const payload = task.payload;
  switch (payload.type) {
    case "initial_prompt":
    case "prompter_reply":
    case "assistant_reply": {
      const text = payload.type === "initial_prompt" ? "How do I start learning Python programming?" : "Could you explain that with an example?";
      const { messageId } = await oa.tasks.submitReply.mutate({ taskId: task.id, text });
      console.log(`Interaction result: wrote message ${messageId}`);
      break;
    }
    case "label_initial_prompt":
    case "label_prompter_reply":
    case "label_assistant_reply": {
      const labels = Object.fromEntries(payload.validLabels.map((name) => [name, name === "quality" ? 0.75 : 0]));
      await oa.tasks.submitLabels.mutate({ taskId: task.id, labels });
      console.log(`Interaction result: labelled message ${payload.messageId}`);
      break;
    }
    case "rank_assistant_replies":
    case "rank_prompter_replies": {
      await oa.tasks.submitRanking.mutate({ taskId: task.id, rankedMessageIds: payload.replies.map((reply) => reply.id) });
      console.log(`Interaction result: ranked ${payload.replies.length} replies`);
      break;
    }
  }
} catch (error) {
  if (error instanceof OpenAssistantError) {
    const advice = error.retryable ? ` (try again in ${error.retryAfterSeconds} s)` : "";
    console.error(`Failed: ${error.appCode} / OA ${error.oaCode}: ${error.message}${advice}`);
    process.exit(1);
  }
  throw error;
}
