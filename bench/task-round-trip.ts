import { createTRPCClient, httpLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../src/server/api/root";
import type { TaskDto, TaskRequestType } from "../src/server/domain/tasks/types";

/** The typed client a benchmark calls the app with, as the web app does: one HTTP request per call, superjson. */
export type BenchClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** A client of the app at `origin`, signed in by `cookie` (`sessionCookie` in next-app.ts). */
export function benchClient(origin: string, cookie: string): BenchClient {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${origin}/api/trpc`, transformer: superjson, headers: { cookie, origin } })],
  });
}

let replies = 0;

/** The submit a benchmark contributor sends for a task, by procedure, with its input. */
export type TaskAnswer =
  | { procedure: "submitReply"; input: { taskId: string; text: string } }
  | { procedure: "submitLabels"; input: { taskId: string; labels: Record<string, number> } }
  | { procedure: "submitRanking"; input: { taskId: string; rankedMessageIds: string[] } };

/** The answer the web app's contributor would give: a fresh reply text, labels saying "fine" (quality 0.75), or the ranking as shown. */
export function benchAnswer(task: TaskDto): TaskAnswer {
  const payload = task.payload;
  switch (payload.type) {
    case "initial_prompt":
    case "prompter_reply":
    case "assistant_reply":
      return { procedure: "submitReply", input: { taskId: task.id, text: `Benchmark reply #${++replies} at ${Date.now()}: a considered answer with enough words to pass.` } };
    case "label_initial_prompt":
    case "label_prompter_reply":
    case "label_assistant_reply":
      return {
        procedure: "submitLabels",
        input: { taskId: task.id, labels: Object.fromEntries(payload.validLabels.map((name) => [name, name === "quality" ? 0.75 : 0])) },
      };
    case "rank_assistant_replies":
    case "rank_prompter_replies":
      return { procedure: "submitRanking", input: { taskId: task.id, rankedMessageIds: payload.replies.map((reply) => reply.id) } };
  }
}

/**
 * One task of `type`, fetched, acknowledged and answered (`benchAnswer`) through the typed client, as the web app calls
 * them. A request with no work throws the app's error.
 */
export async function taskRoundTrip(client: BenchClient, type: TaskRequestType, lang = "en"): Promise<void> {
  const task = await client.tasks.request.mutate({ type, lang });
  await client.tasks.ack.mutate({ taskId: task.id, frontendMessageId: crypto.randomUUID() });
  const answer = benchAnswer(task);
  if (answer.procedure === "submitReply") await client.tasks.submitReply.mutate(answer.input);
  else if (answer.procedure === "submitLabels") await client.tasks.submitLabels.mutate(answer.input);
  else await client.tasks.submitRanking.mutate(answer.input);
}
