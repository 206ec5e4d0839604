"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Switch } from "radix-ui";
import { useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { useTRPC } from "@/trpc/react";

/** Whether the user appears on the public leaderboard; the switch flips at once and rolls back if saving fails. */
export function LeaderboardToggle({ initialValue }: { initialValue: boolean }) {
  const t = useTranslations("account.leaderboard");
  const tAccount = useTranslations("account");
  const trpc = useTRPC();
  const router = useRouter();
  const [visible, setVisible] = useState(initialValue);
  const update = useMutation(
    trpc.users.updateProfile.mutationOptions({
      onMutate: ({ showOnLeaderboard }) => {
        const previous = visible;
        setVisible(Boolean(showOnLeaderboard));
        return { previous };
      },
      onSuccess: (profile) => {
        setVisible(profile.showOnLeaderboard);
        router.refresh();
      },
      onError: (_error, _input, context) => setVisible(context?.previous ?? initialValue),
    }),
  );
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center justify-between gap-4">
        <label htmlFor="leaderboard-visible" className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t("label")}</span>
          <span className="text-xs text-muted-foreground">{visible ? t("visible") : t("hidden")}</span>
        </label>
        <Switch.Root
          id="leaderboard-visible"
          checked={visible}
          disabled={update.isPending}
          onCheckedChange={(checked) => update.mutate({ showOnLeaderboard: checked })}
          data-testid="leaderboard-toggle"
          className="relative inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full border-2 border-transparent bg-input transition-colors disabled:cursor-wait disabled:opacity-60 data-[state=checked]:bg-primary"
        >
          <Switch.Thumb className="pointer-events-none block size-5 rounded-full bg-background shadow-sm ring-0 transition-transform data-[state=checked]:translate-x-5 data-[state=unchecked]:translate-x-0 rtl:data-[state=checked]:-translate-x-5" />
        </Switch.Root>
      </div>
      {update.error && <Alert variant="destructive">{errorText(update.error, tAccount("errors.generic"))}</Alert>}
    </div>
  );
}
