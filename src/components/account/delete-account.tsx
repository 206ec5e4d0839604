"use client";

import { useMutation } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useTranslations } from "next-intl";
import { useRef, useState, useTransition } from "react";
import { DialogShell } from "@/components/messages/dialog-shell";
import { errorText } from "@/components/messages/error-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/react";

/**
 * Deleting the account (OA `/account/delete`): a dialog spells out what happens, the user confirms they understand,
 * then the account is anonymised and the browser is signed out and sent home.
 */
export function DeleteAccount({ signOutAction }: { signOutAction: () => Promise<void> }) {
  const t = useTranslations("account.delete");
  const tAccount = useTranslations("account");
  const trpc = useTRPC();
  const trigger = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [signingOut, startSignOut] = useTransition();
  const remove = useMutation(
    trpc.users.deleteAccount.mutationOptions({
      onSuccess: () => startSignOut(() => signOutAction()),
    }),
  );
  const busy = remove.isPending || remove.isSuccess || signingOut;

  return (
    <>
      <Button ref={trigger} variant="destructive" onClick={() => setOpen(true)} data-testid="delete-account" className="w-fit">
        <Trash2 aria-hidden /> {t("open")}
      </Button>
      <DialogShell
        open={open}
        onOpenChange={(next) => {
          if (busy) return;
          setOpen(next);
          setUnderstood(false);
          remove.reset();
        }}
        title={t("title")}
        description={t("description")}
        testId="delete-account-dialog"
        returnFocusRef={trigger}
      >
        <ul className="list-disc space-y-1.5 ps-5 text-sm" data-testid="delete-account-consequences">
          <li>{t("consequences.content")}</li>
          <li>{t("consequences.anonymised")}</li>
          <li>{t("consequences.signIn")}</li>
          <li>{t("consequences.signedOut")}</li>
          <li className="font-medium text-destructive">{t("consequences.final")}</li>
        </ul>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4 accent-[var(--destructive)]"
            checked={understood}
            disabled={busy}
            onChange={(event) => setUnderstood(event.target.checked)}
            data-testid="delete-account-understood"
          />
          {t("understood")}
        </label>
        {remove.error && <Alert variant="destructive">{errorText(remove.error, tAccount("errors.generic"))}</Alert>}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="outline" disabled={busy} onClick={() => setOpen(false)}>{tAccount("cancel")}</Button>
          <Button
            type="button"
            variant="destructive"
            disabled={!understood || busy}
            onClick={() => remove.mutate()}
            data-testid="delete-account-confirm"
          >
            {busy ? t("deleting") : t("confirm")}
          </Button>
        </div>
      </DialogShell>
    </>
  );
}
