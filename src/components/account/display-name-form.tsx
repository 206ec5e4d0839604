"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { useTRPC } from "@/trpc/react";

const NAME_LIMIT = 64;

/** Changes the public display name (shown on messages and the leaderboard); the header picks it up on refresh. */
export function DisplayNameForm({ initialName }: { initialName: string }) {
  const t = useTranslations("account.name");
  const tAccount = useTranslations("account");
  const trpc = useTRPC();
  const router = useRouter();
  const [saved, setSaved] = useState(initialName);
  const [name, setName] = useState(initialName);
  const update = useMutation(
    trpc.users.updateProfile.mutationOptions({
      onSuccess: (profile) => {
        setSaved(profile.displayName);
        setName(profile.displayName);
        router.refresh();
      },
    }),
  );
  const trimmed = name.trim();
  const problem = !trimmed ? t("empty") : trimmed.length > NAME_LIMIT ? t("tooLong", { max: NAME_LIMIT }) : null;
  const unchanged = trimmed === saved;

  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!problem && !unchanged) update.mutate({ displayName: trimmed });
      }}
    >
      <Label htmlFor="display-name">{t("label")}</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          id="display-name"
          value={name}
          maxLength={NAME_LIMIT + 10}
          autoComplete="nickname"
          aria-invalid={problem ? true : undefined}
          aria-describedby="display-name-help"
          onChange={(event) => {
            setName(event.target.value);
            update.reset();
          }}
          data-testid="display-name-input"
        />
        <Button type="submit" disabled={Boolean(problem) || unchanged || update.isPending} data-testid="display-name-save" className="sm:w-28">
          {update.isPending ? tAccount("saving") : t("save")}
        </Button>
      </div>
      <p id="display-name-help" className="text-xs text-muted-foreground">{problem ?? t("help")}</p>
      <div aria-live="polite">
        {update.isSuccess && <p className="text-sm text-primary" data-testid="display-name-saved">{t("saved")}</p>}
      </div>
      {update.error && <Alert variant="destructive">{errorText(update.error, tAccount("errors.generic"))}</Alert>}
    </form>
  );
}
