import type { Database } from "@/server/db/client";
import type { TaskDto, TaskRequestType } from "@/server/domain/tasks/types";
import type { TreeDeps } from "@/server/domain/trees/deps";
import { callerFor, createTestUser } from "./factories";

let textCounter = 0;

/** A contributor who answers tasks through the tRPC caller, the way the web app does. */
export class Contributor {
  readonly caller: ReturnType<typeof callerFor>;

  constructor(readonly id: string, readonly name: string, db: Database, deps: TreeDeps) {
    this.caller = callerFor(db, id, {}, deps);
  }

  static async create(db: Database, deps: TreeDeps, name: string) {
    const user = await createTestUser(db, { name });
    return new Contributor(user.id, name, db, deps);
  }

  request(type: TaskRequestType, lang: string) {
    return this.caller.tasks.request({ type, lang });
  }

  /** Acknowledges the task; repeating it with the same `frontendMessageId` is a no-op (so a client can retry it). */
  async ack(task: TaskDto, frontendMessageId: string = crypto.randomUUID()) {
    await this.caller.tasks.ack({ taskId: task.id, frontendMessageId });
  }

  /** Completes any task: a fresh text, labels saying "fine" (or spam), or a ranking in id order. */
  async complete(task: TaskDto, options: { spam?: number } = {}): Promise<string | null> {
    await this.ack(task);
    return this.submit(task, options);
  }

  /** Submits the answer of an acknowledged task (as `complete` does after the acknowledgement). */
  async submit(task: TaskDto, options: { spam?: number } = {}): Promise<string | null> {
    const payload = task.payload;
    switch (payload.type) {
      case "initial_prompt":
      case "prompter_reply":
      case "assistant_reply": {
        const { messageId } = await this.caller.tasks.submitReply({ taskId: task.id, text: `${this.name} writes message #${++textCounter}` });
        return messageId;
      }
      case "label_initial_prompt":
      case "label_prompter_reply":
      case "label_assistant_reply": {
        const labels = Object.fromEntries(payload.validLabels.map((name) => [name, name === "spam" ? (options.spam ?? 0) : 0]));
        await this.caller.tasks.submitLabels({ taskId: task.id, labels });
        return payload.messageId;
      }
      case "rank_assistant_replies":
      case "rank_prompter_replies": {
        const ranked = payload.replies.map((reply) => reply.id).sort();
        await this.caller.tasks.submitRanking({ taskId: task.id, rankedMessageIds: ranked });
        return payload.rankingParentId;
      }
    }
  }

  async requestAndComplete(type: TaskRequestType, lang: string, options: { spam?: number } = {}) {
    const task = await this.request(type, lang);
    return { task, result: await this.complete(task, options) };
  }
}

export async function createContributors(db: Database, deps: TreeDeps, names: string[]) {
  return Promise.all(names.map((name) => Contributor.create(db, deps, name)));
}
