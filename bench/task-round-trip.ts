import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../src/server/api/root";
import type { TaskRequestType } from "../src/server/domain/tasks/types";

/** The typed client a benchmark calls the app with, as the web app does: one HTTP request per call, superjson. */
export type BenchClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A client of the app at `origin`, signed in by `cookie` (`sessionCookie` in next-app.ts). */
export function benchClient(origin: string, cookie: string): BenchClient {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${origin}/api/trpc`, transformer: superjson, headers: { cookie, origin } })],
  });
}

let replies = 0;

/**
 * One task of `type`, fetched, acknowledged and answered as the web app would: a fresh reply text, labels saying
 * "fine" (quality 0.75), or a ranking in the order shown. A request with no work throws the app's error.
 */
export async function taskRoundTrip(client: BenchClient, type: TaskRequestType, lang = "en"): Promise<void> {
  const task = await client.tasks.request.mutate({ type, lang });
  await client.tasks.ack.mutate({ taskId: task.id, frontendMessageId: crypto.randomUUID() });
  const payload = task.payload;
  switch (payload.type) {
    case "initial_prompt":
    case "prompter_reply":
    case "assistant_reply":
      await client.tasks.submitReply.mutate({
        taskId: task.id,
        text: `Benchmark reply #${++replies} at ${Date.now()}: a considered answer with enough words to pass.`,
      });
      return;
    case "label_initial_prompt":
    case "label_prompter_reply":
    case "label_assistant_reply":
      await client.tasks.submitLabels.mutate({
        taskId: task.id,
        labels: Object.fromEntries(payload.validLabels.map((name) => [name, name === "quality" ? 0.75 : 0])),
      });
      return;
    case "rank_assistant_replies":
    case "rank_prompter_replies":
      await client.tasks.submitRanking.mutate({ taskId: task.id, rankedMessageIds: payload.replies.map((reply) => reply.id) });
  }
}
