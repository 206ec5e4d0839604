"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";

type Outcome = { result: { trees: number; messages: number }; before: { all: number }; after: { all: number }; preview: boolean };

/**
 * Purge with a dry run first: the preview runs the very same operation and rolls it back, then the moderator types
 * the confirmation word to do it for real.
 */
export function PurgePanel({ confirmWord, run, afterHref }: {
  confirmWord: string;
  run: (preview: boolean) => Promise<Outcome>;
  afterHref?: string;
}) {
  const t = useTranslations("admin.purge");
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const preview = useMutation({ mutationFn: () => run(true) });
  const purge = useMutation({
    mutationFn: () => run(false),
    onSuccess: () => (afterHref ? router.push(afterHref) : router.refresh()),
  });
  const error = preview.error ?? purge.error;
  return (
    <div className="flex flex-col gap-3" data-testid="purge-panel">
      <p className="text-sm text-muted-foreground">{t("lead")}</p>
      <Button variant="outline" onClick={() => preview.mutate()} disabled={preview.isPending} data-testid="purge-preview">{t("preview")}</Button>
      {preview.data && (
        <Alert data-testid="purge-preview-result">
          {t("wouldGo", { trees: preview.data.result.trees, messages: preview.data.result.messages, before: preview.data.before.all, after: preview.data.after.all })}
        </Alert>
      )}
      {preview.data && (
        <form className="flex flex-col gap-2" onSubmit={(event) => { event.preventDefault(); if (typed === confirmWord) purge.mutate(); }}>
          <Label htmlFor="purge-confirm">{t("typeToConfirm", { word: confirmWord })}</Label>
          <Input id="purge-confirm" value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" data-testid="purge-confirm" />
          <Button type="submit" variant="destructive" disabled={typed !== confirmWord || purge.isPending} data-testid="purge-run">{t("run")}</Button>
        </form>
      )}
      {purge.data && <Alert>{t("done", { messages: purge.data.result.messages })}</Alert>}
      {error && <Alert variant="destructive">{errorText(error, t("error"))}</Alert>}
    </div>
  );
}
