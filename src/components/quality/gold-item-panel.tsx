"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { LABEL_DEFINITIONS, type LabelName } from "@/server/domain/labels/definitions";
import type { GoldItem } from "@/server/domain/quality/gold";
import { useTRPC } from "@/trpc/react";

const LIKERT = [0, 0.25, 0.5, 0.75, 1] as const;

/**
 * The console's gold-item form on a message: the labels a reviewer is expected to give it (leave a label unset to
 * not score it), saved as a moderator's journalled action; shows how reviewers did on it so far.
 */
export function GoldItemPanel({ messageId }: { messageId: string }) {
  const t = useTranslations("quality.gold");
  const trpc = useTRPC();
  const item = useQuery(trpc.quality.goldItem.queryOptions({ messageId }));
  if (item.isPending) return <p className="text-sm text-muted-foreground">{t("loading")}</p>;
  if (item.error) return <Alert variant="destructive">{errorText(item.error, t("error"))}</Alert>;
  // Keyed by the stored answers, so the form starts from them again after every save.
  return <GoldItemForm key={JSON.stringify(item.data?.expected ?? null)} messageId={messageId} item={item.data} />;
}

function GoldItemForm({ messageId, item }: { messageId: string; item: GoldItem | null }) {
  const t = useTranslations("quality.gold");
  const tl = useTranslations("labels");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [expected, setExpected] = useState<Partial<Record<LabelName, number>>>((item?.expected ?? {}) as Partial<Record<LabelName, number>>);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.quality.goldItem.queryKey({ messageId }) });
  const save = useMutation(trpc.quality.setGoldItem.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.quality.removeGoldItem.mutationOptions({ onSuccess: refresh }));
  const error = save.error ?? remove.error;
  const chosen = Object.values(expected).filter((value) => value !== undefined).length;
  return (
    <form
      className="flex flex-col gap-3"
      data-testid="gold-item"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ messageId, expected });
      }}
    >
      <p className="text-sm text-muted-foreground">{t("lead")}</p>
      <p className="text-sm" data-testid="gold-status">
        {item ? t("stats", { answers: item.answers, correct: item.correct, total: item.total }) : t("notGold")}
      </p>
      <div className="grid gap-x-4 gap-y-2 sm:grid-cols-2">
        {(Object.keys(LABEL_DEFINITIONS) as LabelName[]).map((name) => {
          const likert = LABEL_DEFINITIONS[name].widget === "likert";
          const options = likert ? LIKERT.map((value) => [String(value), String(value)]) : [["0", t("no")], ["1", t("yes")]];
          return (
            <label key={name} className="flex items-center justify-between gap-2 text-sm">
              <span>{tl(name)}</span>
              <select
                className="h-8 rounded-md border bg-background px-2 text-sm"
                value={expected[name] === undefined ? "" : String(expected[name])}
                onChange={(event) => setExpected((current) => ({ ...current, [name]: event.target.value === "" ? undefined : Number(event.target.value) }))}
                data-testid={`gold-${name}`}
              >
                <option value="">{t("unset")}</option>
                {options.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
              </select>
            </label>
          );
        })}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending || chosen === 0} data-testid="gold-save">{item ? t("update") : t("mark")}</Button>
        {item && (
          <Button type="button" variant="outline" disabled={remove.isPending} onClick={() => remove.mutate({ messageId })} data-testid="gold-remove">{t("remove")}</Button>
        )}
      </div>
      {save.isSuccess && !save.isPending && <p className="text-sm text-muted-foreground" role="status">{t("saved")}</p>}
      {error && <Alert variant="destructive">{errorText(error, t("error"))}</Alert>}
    </form>
  );
}
