import { randomInt } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Transaction } from "@/server/db/client";
import { chatMessages, chats, inferenceJobs, type WorkParameters } from "@/server/db/schema";
import { AppError } from "@/server/errors";
import type { ChatConfig } from "./config";
import type { ChatMessageDto, ChatMessageRow } from "./dto";
import { insertPrompterMessage, type PromptInput } from "./messages";
import { getModelConfigOrThrow } from "./model-configs";
import { DEFAULT_PRESET_NAME, findPreset, resolveSampling, type SamplingOverrides, ZSamplingParameters } from "./presets";
import { countChatMessages, findOwnedMessageOrThrow, loadChatMessageDto, msFromNow } from "./queries";
import { timeOutOverdueJobs } from "./sweep";
import { countWorkersServing } from "./workers";

/** Asking for assistant replies: enqueue with caps, regenerate, stop (OA `initiate_assistant_message`, spec §2.2). */

export type ReplyOptions = {
  modelConfigName: string;
  /** A named preset (`k50` when omitted); `sampling` values override it. */
  preset?: string;
  sampling?: SamplingOverrides;
  doSample?: boolean;
  seed?: number;
  systemPrompt?: string | null;
  userProfile?: string | null;
  userResponseInstructions?: string | null;
};

/** One lock for every enqueue: the caps are counted and the job written before anyone else counts. */
const ENQUEUE_LOCK = 727_101;

export function buildWorkParameters(config: ChatConfig, options: ReplyOptions): WorkParameters {
  getModelConfigOrThrow(options.modelConfigName, config.allowedModels);
  const presetName = options.preset ?? DEFAULT_PRESET_NAME;
  const preset = findPreset(presetName);
  if (!preset) throw new AppError("INVALID_INPUT", `Unknown sampling preset "${presetName}".`);
  return {
    modelConfigName: options.modelConfigName,
    sampling: ZSamplingParameters.parse(resolveSampling(preset, options.sampling)),
    doSample: options.doSample ?? true,
    // OA draws from [0, 2^64−2]; JSON numbers stay exact up to 2^53, and engines take 32-bit seeds anyway.
    seed: options.seed ?? randomInt(0, 2 ** 31 - 1),
    systemPrompt: options.systemPrompt ?? null,
    userProfile: options.userProfile ?? null,
    userResponseInstructions: options.userResponseInstructions ?? null,
  };
}

/**
 * Writes a `pending` assistant message under `parent` and its queued job. The caps are checked first, so a refused
 * request writes nothing (OA created the row before answering 503, spec §7).
 */
async function enqueueReply(tx: Transaction, config: ChatConfig, userId: string, parent: ChatMessageRow, work: WorkParameters): Promise<ChatMessageRow> {
  if (parent.role !== "prompter") throw new AppError("CHAT_INVALID_PARENT", "An assistant reply must follow a prompter message.");
  if (config.requireLiveWorker && (await countWorkersServing(tx, work.modelConfigName, config.workerStaleMs)) === 0) {
    throw new AppError("CHAT_MODEL_UNAVAILABLE", `No worker is serving ${work.modelConfigName} right now. Choose another model or try again later.`, {
      model: work.modelConfigName,
    });
  }
  await tx.execute(sql`select pg_advisory_xact_lock(${ENQUEUE_LOCK})`);
  // Replies nobody picked up in time stop counting here, even when no worker or stream is around to sweep them.
  await timeOutOverdueJobs(tx, { limit: 1000 });
  await cancelOtherPendingReplies(tx, userId, parent.id);
  if ((await countChatMessages(tx, parent.chatId)) >= config.chatMaxMessages) {
    throw new AppError("CHAT_TOO_MANY_MESSAGES", `This chat has reached its limit of ${config.chatMaxMessages} messages.`);
  }
  const [counts] = await tx
    .select({
      mine: sql<number>`count(*) filter (where ${inferenceJobs.userId} = ${userId})::int`,
      queued: sql<number>`count(*) filter (where ${inferenceJobs.status} = 'queued')::int`,
    })
    .from(inferenceJobs)
    .where(sql`${inferenceJobs.status} = 'running' or (${inferenceJobs.status} = 'queued' and ${inferenceJobs.queueDeadlineAt} > now())`);
  if ((counts?.mine ?? 0) >= config.maxPendingPerUser) {
    throw new AppError("CHAT_TOO_MANY_PENDING", `You already have ${config.maxPendingPerUser} replies on the way; wait for one to finish or stop it.`, {
      limit: config.maxPendingPerUser,
    });
  }
  if ((counts?.queued ?? 0) >= config.queueMaxSize) {
    throw new AppError("CHAT_QUEUE_BUSY", "The server is currently busy. Please try again later.", { retryAfterSeconds: 30 });
  }
  const [message] = await tx
    .insert(chatMessages)
    // The clock, not the transaction's start: drafts written together keep their order (siblings sort by it).
    .values({ chatId: parent.chatId, parentId: parent.id, role: "assistant", state: "pending", workParameters: work, createdAt: sql`clock_timestamp()` })
    .returning();
  await tx.insert(inferenceJobs).values({
    chatMessageId: message!.id,
    userId,
    modelConfigName: work.modelConfigName,
    maxAttempts: config.maxAttempts,
    queueDeadlineAt: msFromNow(config.queueTimeoutMs),
  });
  await tx.update(chats).set({ modifiedAt: message!.createdAt, activeThreadTailMessageId: message!.id }).where(eq(chats.id, parent.chatId));
  return message!;
}

export const REPLACED_ERROR = "Cancelled: a newer reply was requested elsewhere.";

/**
 * OA: asking for a reply cancels the user's replies still waiting in the queue under any other message (in any
 * chat) — the user moved on. Drafts and retries of the same message stay; a reply a worker is already writing
 * finishes. Runs under the enqueue lock, before the caps are counted.
 */
async function cancelOtherPendingReplies(tx: Transaction, userId: string, parentId: string): Promise<number> {
  const rows = await tx.execute<{ id: string }>(sql`
    with mine as (
      select j.id from inference_jobs j join chat_messages m on m.id = j.chat_message_id
      where j.user_id = ${userId} and j.status = 'queued' and m.parent_id <> ${parentId}
      for update of j skip locked
    ), job as (
      update inference_jobs j set status = 'cancelled', finished_at = now(), error = ${REPLACED_ERROR}
      from mine where j.id = mine.id returning j.chat_message_id
    ), message as (
      update chat_messages m set state = 'cancelled', error = ${REPLACED_ERROR}, work_end_at = now()
      from job where m.id = job.chat_message_id and m.state = 'pending'
    )
    select chat_message_id as id from job`);
  return rows.length;
}

/** A reply to a prompter message; several replies to one parent are drafts or retries (siblings). */
export async function requestReply(db: Database, config: ChatConfig, userId: string, parentId: string, options: ReplyOptions): Promise<ChatMessageDto> {
  const work = buildWorkParameters(config, options);
  const id = await db.transaction(async (tx) => {
    const { message: parent } = await findOwnedMessageOrThrow(tx, userId, parentId, true);
    return (await enqueueReply(tx, config, userId, parent, work)).id;
  });
  return loadChatMessageDto(db, id);
}

/** The options of a regeneration: the old reply's settings (a new seed) unless others are given. */
async function regenerationOf(db: Database, userId: string, messageId: string, options: Partial<ReplyOptions>) {
  const { message, chat } = await findOwnedMessageOrThrow(db, userId, messageId);
  if (message.role !== "assistant" || !message.parentId) throw new AppError("CHAT_NOT_ASSISTANT_MESSAGE", "Only an assistant reply can be regenerated.");
  const previous = message.workParameters;
  const inherited: Partial<ReplyOptions> = previous
    ? {
        modelConfigName: previous.modelConfigName,
        doSample: previous.doSample,
        systemPrompt: previous.systemPrompt,
        userProfile: previous.userProfile,
        userResponseInstructions: previous.userResponseInstructions,
      }
    : {};
  // A named preset replaces the old values; otherwise the old values stay and single overrides apply on top.
  const sampling = options.preset ? options.sampling : { ...previous?.sampling, ...options.sampling };
  const merged = { ...inherited, ...options, sampling };
  if (!merged.modelConfigName) throw new AppError("INVALID_INPUT", "Choose a model for the new reply.");
  return { parentId: message.parentId, chat, options: merged as ReplyOptions };
}

/** Regenerate = a sibling of `messageId` with the same settings (a new seed) unless others are given. */
export async function regenerateReply(
  db: Database,
  config: ChatConfig,
  userId: string,
  messageId: string,
  options: Partial<ReplyOptions>,
): Promise<ChatMessageDto> {
  const regeneration = await regenerationOf(db, userId, messageId, options);
  return requestReply(db, config, userId, regeneration.parentId, regeneration.options);
}

/**
 * Regenerate as drafts (OA website, spec §4 "Retry / drafts"): `NUM_GENERATED_DRAFTS` siblings at once, each with its
 * own seed, for the user to pick the best (`chooseDraft` records the pick). One reply in an opted-out chat, or with
 * drafts off. All or none: if the caps leave no room for every draft, none is written.
 */
export async function regenerateDrafts(
  db: Database,
  config: ChatConfig,
  userId: string,
  messageId: string,
  options: Partial<ReplyOptions>,
): Promise<ChatMessageDto[]> {
  const regeneration = await regenerationOf(db, userId, messageId, options);
  const count = regeneration.chat.allowDataUse ? Math.max(1, config.numGeneratedDrafts) : 1;
  const works = Array.from({ length: count }, (_, index) =>
    buildWorkParameters(config, { ...regeneration.options, seed: regeneration.options.seed === undefined ? undefined : regeneration.options.seed + index }),
  );
  const ids = await db.transaction(async (tx) => {
    const { message: parent } = await findOwnedMessageOrThrow(tx, userId, regeneration.parentId, true);
    const written: string[] = [];
    for (const work of works) written.push((await enqueueReply(tx, config, userId, parent, work)).id);
    return written;
  });
  return Promise.all(ids.map((id) => loadChatMessageDto(db, id)));
}

/**
 * A prompter message and, optionally, the reply to it in one transaction: if the reply is refused (busy, cap)
 * the message is not kept either, so the user can simply send again.
 */
export async function postPrompt(
  db: Database,
  config: ChatConfig,
  userId: string,
  input: PromptInput & { reply?: ReplyOptions },
): Promise<{ prompt: ChatMessageDto; reply: ChatMessageDto | null }> {
  const work = input.reply ? buildWorkParameters(config, input.reply) : null;
  const ids = await db.transaction(async (tx) => {
    const prompt = await insertPrompterMessage(tx, config, userId, input);
    const reply = work ? await enqueueReply(tx, config, userId, prompt, work) : null;
    return { prompt: prompt.id, reply: reply?.id ?? null };
  });
  return { prompt: await loadChatMessageDto(db, ids.prompt), reply: ids.reply ? await loadChatMessageDto(db, ids.reply) : null };
}

/**
 * Stop: a queued reply is cancelled at once; a running one gets a stop request that its worker sees within a second
 * and answers by finishing with the text so far. Stopping a finished reply changes nothing.
 */
export async function stopReply(db: Database, userId: string, messageId: string): Promise<ChatMessageDto> {
  await findOwnedMessageOrThrow(db, userId, messageId);
  await db.transaction(async (tx) => {
    const [job] = await tx.select().from(inferenceJobs).where(eq(inferenceJobs.chatMessageId, messageId)).for("update");
    if (!job) throw new AppError("CHAT_NOT_ASSISTANT_MESSAGE", "Only a reply that is being generated can be stopped.");
    if (job.status === "queued") {
      await tx
        .update(inferenceJobs)
        .set({ status: "cancelled", finishedAt: sql`now()`, stopRequestedAt: sql`now()` })
        .where(eq(inferenceJobs.id, job.id));
      await tx
        .update(chatMessages)
        .set({ state: "cancelled", error: "Stopped before a worker picked it up.", workEndAt: sql`now()` })
        .where(and(eq(chatMessages.id, messageId), eq(chatMessages.state, "pending")));
    } else if (job.status === "running" && !job.stopRequestedAt) {
      await tx.update(inferenceJobs).set({ stopRequestedAt: sql`now()` }).where(eq(inferenceJobs.id, job.id));
    }
  });
  return loadChatMessageDto(db, messageId);
}
