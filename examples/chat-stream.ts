/**
 * Example 2 — create a chat, post a message and print the streamed answer, with the typed client.
 *
 *   OA_URL=http://localhost:3000 OA_API_KEY=0000 npx tsx examples/chat-stream.ts
 *
 * The model is `dev-echo`, which `npm run dev`'s worker serves (a labelled development engine, not a language model);
 * set OA_MODEL to another model config a worker serves (`WORKER_MODELS=… npm run worker`). A model no live worker
 * serves is refused at once (CHAT_MODEL_UNAVAILABLE), and the example says so instead of waiting.
 */
import { createOpenAssistantClient, OpenAssistantError } from "../src/client";

const url = process.env.OA_URL ?? "http://localhost:3000";
const apiKey = process.env.OA_API_KEY ?? "0000";
const model = process.env.OA_MODEL ?? "dev-echo";
const oa = createOpenAssistantClient({ url, apiKey, user: { id: "chat-example", displayName: "Chat Example", authMethod: "local" } });

try {
  const chat = await oa.chat.create.mutate();
  const { reply } = await oa.chat.postMessage.mutate({
    chatId: chat.id,
    parentId: null,
    content: "Explain the quicksort algorithm.",
    reply: { modelConfigName: model },
  });
  console.log(`Chat ${chat.id}: asked ${model}, reply ${reply!.id} is ${reply!.state}`);

  await new Promise<void>((resolve, reject) => {
    const subscription = oa.chat.streamReply.subscribe(
      { messageId: reply!.id },
      {
        onData: async ({ data: event }) => {
          switch (event.type) {
            case "queued":
              if (event.workersOnline === 0) {
                console.log(`No worker is serving ${model} right now; withdrawing the request.`);
                subscription.unsubscribe();
                await oa.chat.stop.mutate({ messageId: reply!.id });
                resolve();
              } else {
                console.log(`waiting: position ${event.position} of ${event.queueSize}`);
              }
              break;
            case "token":
              process.stdout.write(event.text);
              break;
            case "reset":
              process.stdout.write("\n[the worker restarted the reply]\n");
              break;
            case "message":
              console.log(`\n[done: ${event.message.state}]`);
              subscription.unsubscribe();
              resolve();
              break;
            case "error":
              console.log(`\n[error: ${event.reason}: ${event.error}]`);
              subscription.unsubscribe();
              resolve();
              break;
          }
        },
        onError: reject,
      },
    );
  });
} catch (error) {
  if (error instanceof OpenAssistantError && error.appCode === "CHAT_MODEL_UNAVAILABLE") {
    console.log(`No worker is serving ${model} right now: ${error.message}`);
    process.exit(0);
  }
  if (error instanceof OpenAssistantError) {
    console.error(`Failed: ${error.appCode}: ${error.message}${error.retryable ? ` (try again in ${error.retryAfterSeconds} s)` : ""}`);
    process.exit(1);
  }
  throw error;
}
