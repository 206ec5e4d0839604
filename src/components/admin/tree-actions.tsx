"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { PurgePanel } from "./purge-panel";

/** Halt/unhalt a tree and purge it after a dry run. */
export function TreeActions({ treeId, active }: { treeId: string; active: boolean }) {
  const t = useTranslations("admin.trees");
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const halt = useMutation(trpc.moderation.haltTree.mutationOptions({ onSuccess: () => router.refresh() }));
  const unhalt = useMutation(trpc.moderation.unhaltTree.mutationOptions({ onSuccess: () => router.refresh() }));
  const error = halt.error ?? unhalt.error;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap gap-2">
        <Button variant="outline" onClick={() => halt.mutate({ messageId: treeId })} disabled={halt.isPending || !active} data-testid="tree-halt">{t("halt")}</Button>
        <Button variant="outline" onClick={() => unhalt.mutate({ messageId: treeId })} disabled={unhalt.isPending || active} data-testid="tree-unhalt">{t("unhalt")}</Button>
      </div>
      {error && <Alert variant="destructive">{errorText(error, t("error"))}</Alert>}
      <details className="rounded-lg border p-3">
        <summary className="cursor-pointer text-sm font-medium">{t("purge")}</summary>
        <div className="pt-3">
          <PurgePanel confirmWord="purge" afterHref="/admin/trees" run={(preview) => client.moderation.purgeTree.mutate({ messageId: treeId, preview })} />
        </div>
      </details>
    </div>
  );
}
