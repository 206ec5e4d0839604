"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label, NativeSelect } from "@/components/ui/input";
import type { UserRole } from "@/server/db/schema";
import { useTRPC, useTRPCClient } from "@/trpc/react";
import { PurgePanel } from "./purge-panel";

const ROLES: UserRole[] = ["general", "moderator", "admin", "banned"];

type Seen = { role: UserRole; enabled: boolean; notes: string; showOnLeaderboard: boolean };

/**
 * A user's actions. Every change carries what the moderator saw (`expected`), so a change made meanwhile by someone
 * else comes back as a conflict instead of being overwritten.
 */
export function UserActions({ userId, displayName, seen, viewerIsAdmin, isSelf }: {
  userId: string; displayName: string; seen: Seen; viewerIsAdmin: boolean; isSelf: boolean;
}) {
  const t = useTranslations("admin.userPage");
  const trpc = useTRPC();
  const client = useTRPCClient();
  const router = useRouter();
  const [role, setRole] = useState<UserRole>(seen.role);
  const [notes, setNotes] = useState(seen.notes);
  const update = useMutation(trpc.moderation.updateUser.mutationOptions({ onSuccess: () => router.refresh() }));
  const change = (changes: Partial<Seen>) => {
    const expected = Object.fromEntries(Object.keys(changes).map((key) => [key, seen[key as keyof Seen]]));
    update.mutate({ userId, ...changes, expected });
  };
  return (
    <div className="flex flex-col gap-5">
      {update.error && <Alert variant="destructive" data-testid="user-action-error">{errorText(update.error, t("error"))}</Alert>}
      <div className="flex flex-wrap gap-2">
        {seen.role === "banned" ? (
          <Button variant="outline" onClick={() => change({ role: "general" })} disabled={update.isPending || isSelf} data-testid="user-unban">{t("unban")}</Button>
        ) : (
          <Button variant="destructive" onClick={() => window.confirm(t("confirmBan", { name: displayName })) && change({ role: "banned" })} disabled={update.isPending || isSelf} data-testid="user-ban">{t("ban")}</Button>
        )}
        <Button variant="outline" onClick={() => change({ enabled: !seen.enabled })} disabled={update.isPending || isSelf} data-testid="user-toggle-enabled">
          {seen.enabled ? t("disable") : t("enable")}
        </Button>
        <Button variant="outline" onClick={() => change({ showOnLeaderboard: !seen.showOnLeaderboard })} disabled={update.isPending}>
          {seen.showOnLeaderboard ? t("hideFromLeaderboard") : t("showOnLeaderboard")}
        </Button>
      </div>
      {viewerIsAdmin && (
        <form className="flex flex-wrap items-end gap-2" onSubmit={(event) => { event.preventDefault(); change({ role }); }}>
          <div className="flex flex-col gap-1">
            <Label htmlFor="user-role">{t("role")}</Label>
            <NativeSelect id="user-role" value={role} onChange={(event) => setRole(event.target.value as UserRole)} disabled={isSelf}>
              {ROLES.map((value) => <option key={value} value={value}>{value}</option>)}
            </NativeSelect>
          </div>
          <Button type="submit" disabled={update.isPending || isSelf || role === seen.role}>{t("saveRole")}</Button>
        </form>
      )}
      <form className="flex flex-col gap-2" onSubmit={(event) => { event.preventDefault(); change({ notes }); }}>
        <Label htmlFor="user-notes">{t("notes")}</Label>
        <textarea id="user-notes" value={notes} maxLength={1024} onChange={(event) => setNotes(event.target.value)} rows={3} className="rounded-md border bg-transparent p-2 text-sm" />
        <Button type="submit" variant="outline" className="self-start" disabled={update.isPending || notes === seen.notes}>{t("saveNotes")}</Button>
      </form>
      <details className="rounded-lg border p-3">
        <summary className="cursor-pointer text-sm font-medium">{t("purgeTitle")}</summary>
        <div className="pt-3">
          <PurgePanel confirmWord={displayName} run={(preview) => client.moderation.purgeUserMessages.mutate({ userId, preview, purgeInitialPrompts: true })} />
        </div>
      </details>
    </div>
  );
}
