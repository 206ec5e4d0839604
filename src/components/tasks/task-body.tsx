"use client";

import { useTranslations } from "next-intl";
import type { TaskDto } from "@/server/domain/tasks/types";
import { ConversationView } from "./conversation-view";
import { LabelInputs } from "./label-inputs";
import { RankList } from "./rank-list";
import { ReplyEditor } from "./reply-editor";
import { SimilarPromptsWarning } from "./similar-prompts-warning";
import type { TaskAnswer } from "./task-answer";

/** The part of a task page that depends on its kind: write, label or rank. Read-only while reviewing. */
export function TaskBody({ task, answer, onAnswer, reviewing }: {
  task: TaskDto; answer: TaskAnswer; onAnswer: (answer: TaskAnswer) => void; reviewing: boolean;
}) {
  const t = useTranslations("tasks");
  const payload = task.payload;
  switch (payload.type) {
    case "initial_prompt":
    case "prompter_reply":
    case "assistant_reply":
      return (
        <div className="flex flex-col gap-4">
          {"conversation" in payload && <ConversationView messages={payload.conversation} />}
          {answer.kind === "text" && (
            <ReplyEditor value={answer.text} onChange={(text) => onAnswer({ kind: "text", text })} lang={payload.lang} readOnly={reviewing} />
          )}
          {reviewing && payload.type === "initial_prompt" && answer.kind === "text" && (
            <SimilarPromptsWarning text={answer.text} lang={payload.lang} />
          )}
        </div>
      );
    case "label_initial_prompt":
    case "label_prompter_reply":
    case "label_assistant_reply":
      return (
        <div className="grid gap-6 lg:grid-cols-2">
          <ConversationView messages={payload.conversation} highlightLast />
          {answer.kind === "labels" && (
            <LabelInputs names={payload.validLabels} mandatory={payload.mandatoryLabels} values={answer.values}
              onChange={(values) => onAnswer({ kind: "labels", values })} disabled={reviewing} />
          )}
        </div>
      );
    case "rank_assistant_replies":
    case "rank_prompter_replies":
      if (answer.kind !== "ranking") return null;
      return (
        <div className="flex flex-col gap-4">
          <ConversationView messages={payload.conversation} />
          <RankList replies={payload.replies} order={answer.order} disabled={reviewing}
            onOrderChange={(order) => onAnswer({ ...answer, order })} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={answer.notRankable} disabled={reviewing} data-testid="not-rankable"
              onChange={(event) => onAnswer({ ...answer, notRankable: event.target.checked })} />
            {t("rank.notRankable")}
          </label>
        </div>
      );
  }
}
