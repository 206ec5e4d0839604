import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { responseHeadersFor } from "@/server/api/response-meta";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { appendChunk, claimJob, finishJob } from "@/server/domain/chat/queue";
import { registerWorker } from "@/server/domain/chat/workers";
import { createKey } from "@/server/rest/test-client.test-helper";
import { setupTestDatabase } from "@/test/database";
import { testTreeDeps } from "@/test/factories";
import { createOpenAssistantClient, OpenAssistantError } from "./index";

const t = setupTestDatabase();
let requests = 0;

/** The app's /api/trpc handler in-process, reached through the client's own fetch. */
const appFetch: typeof fetch = async (input, init) => {
  requests++;
  const req = new Request(input as string, init);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ db: t.db, headers: req.headers, sessionUserId: null, treeDeps: testTreeDeps() }),
    responseMeta: ({ errors }) => ({ headers: responseHeadersFor(errors) }),
  });
};

function client(user = { id: "ada", displayName: "Ada" }) {
  return createOpenAssistantClient({ url: "http://app.test/", apiKey: "client-key", user, fetch: appFetch });
}

describe("the typed client", () => {
  it("requests, acknowledges and answers a task as a named external user, with dates as dates and batching", async () => {
    await createKey(t.db, "client-key");
    const oa = client();
    const task = await oa.tasks.request.mutate({ type: "initial_prompt", lang: "en" });
    expect(task.createdAt).toBeInstanceOf(Date);
    await oa.tasks.ack.mutate({ taskId: task.id, frontendMessageId: "client-msg-1" });
    const { messageId } = await oa.tasks.submitReply.mutate({ taskId: task.id, text: "What makes a good prompt?" });
    const before = requests;
    const [message, state] = await Promise.all([oa.messages.get.query({ messageId }), oa.messages.treeState.query({ messageId })]);
    expect(requests - before).toBe(1); // one batched HTTP request
    expect(message).toMatchObject({ text: "What makes a good prompt?", userIsAuthor: true });
    expect(state.state).toBe("initial_prompt_review");
  });

  it("rejects with typed errors: appCode, oaCode and retry advice on 429", async () => {
    const oa = client({ id: "bo", displayName: "Bo" });
    const notFound = await oa.tasks.ack.mutate({ taskId: crypto.randomUUID(), frontendMessageId: "x" }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(OpenAssistantError);
    expect(notFound).toMatchObject({ appCode: "TASK_NOT_FOUND", oaCode: 2100, httpStatus: 404, retryAfterSeconds: null, retryable: false });

    let limited: unknown = null;
    for (let i = 0; i < 6 && !limited; i++) {
      await oa.tasks.request.mutate({ type: "assistant_reply", lang: "en" }).catch((e: unknown) => {
        if (e instanceof OpenAssistantError && e.httpStatus === 429) limited = e;
      });
    }
    expect(limited).toMatchObject({ appCode: "TOO_MANY_REQUESTS", oaCode: 429, retryable: true });
    expect((limited as OpenAssistantError).retryAfterSeconds).toBeGreaterThan(0);

    const noKey = await createOpenAssistantClient({ url: "http://app.test", apiKey: "wrong", fetch: appFetch }).apiClients.whoami.query().catch((e: unknown) => e);
    expect(noKey).toMatchObject({ appCode: "API_CLIENT_NOT_AUTHORIZED", oaCode: 2 });
  });

  it("streams a chat reply over SSE", async () => {
    const oa = client({ id: "cy", displayName: "Cy" });
    const workerId = await registerWorker(t.db, { name: "w", engine: "test", models: ["_lorem"], hostname: "here" });
    const chat = await oa.chat.create.mutate();
    const { reply } = await oa.chat.postMessage.mutate({ chatId: chat.id, parentId: null, content: "Hi!", reply: { modelConfigName: "_lorem" } });
    const events: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const subscription = oa.chat.streamReply.subscribe({ messageId: reply!.id }, {
        onData: ({ data }) => {
          events.push(data.type === "token" ? `token:${data.text}` : data.type);
          if (data.type === "message" || data.type === "error") {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: reject,
      });
    });
    const job = await claimJob(t.db, { workerId, models: ["_lorem"], leaseMs: 10_000 });
    await appendChunk(t.db, job!, 1, "Hello");
    await finishJob(t.db, job!, { content: "Hello", stopped: false });
    await done;
    expect(events).toContain("token:Hello");
    expect(events.at(-1)).toBe("message");
  });
});
