"use client";

import { useMutation } from "@tanstack/react-query";
import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

/** For moderators: recompute the statistics now instead of waiting for the hourly job. */
export function RefreshStatsButton() {
  const t = useTranslations("stats.refresh");
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = useMutation(trpc.stats.refreshCached.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="outline" size="sm" onClick={() => refresh.mutate()} disabled={refresh.isPending} data-testid="refresh-stats">
        <RefreshCw className={refresh.isPending ? "animate-spin" : undefined} aria-hidden />
        {refresh.isPending ? t("busy") : t("button")}
      </Button>
      {refresh.isError && <p role="alert" className="text-xs text-destructive">{t("failed")}</p>}
    </div>
  );
}
