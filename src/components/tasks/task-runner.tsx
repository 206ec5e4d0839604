"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Inbox } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { TaskDto, TaskRequestType } from "@/server/domain/tasks/types";
import { MESSAGE_SIZE_LIMIT } from "@/server/domain/tasks/types";
import { useTRPC } from "@/trpc/react";
import { SkipDialog } from "./skip-dialog";
import { type TaskAnswer, initialAnswer, isAnswerComplete, isAnswerUnchanged } from "./task-answer";
import { TaskBody } from "./task-body";

const NOT_AVAILABLE = 1006;

function oaCodeOf(error: unknown): number | undefined {
  return (error as { data?: { oaCode?: number } } | null)?.data?.oaCode;
}

/**
 * One task at a time: fetch → edit → review → submit (ack then answer) → the next task. Skip asks for a reason.
 * Ctrl/Cmd+Enter moves forward. "No task" and errors are shown as readable messages, never a blank page.
 */
export function TaskRunner({ type, lang }: { type: TaskRequestType; lang: string }) {
  const t = useTranslations("tasks");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [task, setTask] = useState<TaskDto | null>(null);
  const [answer, setAnswer] = useState<TaskAnswer | null>(null);
  const [step, setStep] = useState<"edit" | "review">("edit");
  const [thanks, setThanks] = useState(false);

  const request = useMutation(trpc.tasks.request.mutationOptions());
  const resume = useMutation(trpc.tasks.resume.mutationOptions());
  const ack = useMutation(trpc.tasks.ack.mutationOptions());
  const submitReply = useMutation(trpc.tasks.submitReply.mutationOptions());
  const submitLabels = useMutation(trpc.tasks.submitLabels.mutationOptions());
  const submitRanking = useMutation(trpc.tasks.submitRanking.mutationOptions());
  const skip = useMutation(trpc.tasks.skip.mutationOptions());
  const submitting = ack.isPending || submitReply.isPending || submitLabels.isPending || submitRanking.isPending;
  const submitError = ack.error ?? submitReply.error ?? submitLabels.error ?? submitRanking.error ?? skip.error;

  const loadNext = useCallback(() => {
    for (const mutation of [ack, submitReply, submitLabels, submitRanking, skip]) mutation.reset();
    setTask(null);
    setStep("edit");
    request.mutate({ type, lang }, {
      onSuccess: (next) => {
        setTask(next);
        setAnswer(initialAnswer(next));
      },
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mutation objects are stable enough; re-run only on type/lang
  }, [type, lang]);

  // Opening the page resumes an unfinished task of this type before asking for a new one.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    resume.mutate({ type }, {
      onSuccess: (open) => {
        if (!open) return loadNext();
        setTask(open);
        setAnswer(initialAnswer(open));
      },
      onError: () => loadNext(),
    });
  }, [loadNext, resume, type]);

  const afterAnswer = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.tasks.availability.queryKey() });
    setThanks(true);
    setTimeout(() => setThanks(false), 2500);
    loadNext();
  };

  const submit = async () => {
    if (!task || !answer) return;
    if (!task.acked) await ack.mutateAsync({ taskId: task.id, frontendMessageId: crypto.randomUUID() });
    setTask({ ...task, acked: true });
    if (answer.kind === "text") await submitReply.mutateAsync({ taskId: task.id, text: answer.text });
    else if (answer.kind === "labels") {
      const labels = Object.fromEntries(Object.entries(answer.values).filter((entry): entry is [string, number] => entry[1] !== undefined));
      await submitLabels.mutateAsync({ taskId: task.id, labels });
    } else await submitRanking.mutateAsync({ taskId: task.id, rankedMessageIds: answer.order, notRankable: answer.notRankable });
    afterAnswer();
  };

  const complete = task && answer ? isAnswerComplete(task, answer, MESSAGE_SIZE_LIMIT) : false;
  const forward = () => {
    if (step === "edit" && complete) setStep("review");
    else if (step === "review" && !submitting) void submit().catch(() => setStep("review"));
  };
  // The key handler is registered once and always calls the latest `forward`.
  const forwardRef = useRef(forward);
  useEffect(() => {
    forwardRef.current = forward;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        forwardRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const thanksBanner = thanks && (
    <Alert className="mb-6 flex items-center gap-2" data-testid="task-thanks">
      <CheckCircle2 className="size-4 text-primary" aria-hidden /> {t("done.thanks")}
    </Alert>
  );

  /** Loading, empty, error or the task itself. */
  function renderContent() {
    if (resume.isPending || request.isPending || (!task && !request.error)) {
      return <p role="status" className="animate-pulse text-muted-foreground" data-testid="task-loading">{t("actions.loading")}</p>;
    }
    if (request.error) {
      const none = oaCodeOf(request.error) === NOT_AVAILABLE;
      return (
        <Card className="mx-auto max-w-lg text-center" data-testid={none ? "no-tasks" : "task-error"}>
          <CardHeader className="items-center">
            <Inbox className="size-10 text-muted-foreground" aria-hidden />
            <CardTitle>{none ? t("empty.title") : t("errorTitle")}</CardTitle>
            <CardDescription>{none ? t("empty.body") : request.error.message}</CardDescription>
          </CardHeader>
          <CardContent className="flex justify-center gap-2">
            <Button variant="outline" onClick={loadNext}>{t("empty.retry")}</Button>
            <Button asChild><Link href="/dashboard">{t("empty.back")}</Link></Button>
          </CardContent>
        </Card>
      );
    }
    if (!task || !answer) return null;

    return (
      <div className="flex flex-col gap-6" data-testid="task" data-task-type={task.type} data-task-id={task.id}>
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-bold tracking-tight">{t(`types.${task.type}.title`)}</h1>
          <p className="text-muted-foreground">{t(`instructions.${task.type}` as "instructions.initial_prompt")}</p>
        </div>
        <TaskBody task={task} answer={answer} onAnswer={setAnswer} reviewing={step === "review"} />
        {step === "review" && isAnswerUnchanged(task, answer) && (
          <Alert variant="warning" data-testid="unchanged-warning">{t("reviewStep.unchangedWarning")}</Alert>
        )}
        {submitError && (
          <Alert variant="destructive" data-testid="task-submit-error">
            <strong>{t("errorTitle")}:</strong> {submitError.message}
          </Alert>
        )}
        {/* Skip sits apart from the forward buttons so a double click can never hit the wrong one (OA #1260). */}
        <div className="flex flex-col-reverse gap-3 border-t pt-4 sm:flex-row sm:items-center sm:justify-between">
          <SkipDialog
            disabled={submitting || skip.isPending}
            onSkip={(reason) => skip.mutate({ taskId: task.id, reason }, { onSuccess: () => { void queryClient.invalidateQueries({ queryKey: trpc.tasks.availability.queryKey() }); loadNext(); } })}
          />
          <div className="flex items-center gap-2 sm:justify-end">
            <span className="hidden text-xs text-muted-foreground md:inline">{t("actions.shortcut")}</span>
            {step === "review" && (
              <Button variant="outline" onClick={() => setStep("edit")} disabled={submitting} data-testid="edit">{t("actions.edit")}</Button>
            )}
            {step === "edit" ? (
              <Button onClick={forward} disabled={!complete} data-testid="review">{t("actions.review")}</Button>
            ) : (
              <Button onClick={forward} disabled={submitting} data-testid="submit">{submitting ? t("actions.submitting") : t("actions.submit")}</Button>
            )}
          </div>
        </div>
      </div>
    );
  }

  return (
    <div>
      {thanksBanner}
      {renderContent()}
    </div>
  );
}
