"use client";

import { Loader2, PackageCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { buildReleaseAction, type ReleaseActionState } from "./release-action";

/** The admin's "build a release" form: a name and a button; building can take minutes, the button says so. */
export function ReleaseForm({ suggestedName }: { suggestedName: string }) {
  const t = useTranslations("admin.dataset.releases");
  const [state, action, pending] = useActionState<ReleaseActionState, FormData>(buildReleaseAction, { status: "idle" });
  return (
    <form action={action} className="flex flex-col gap-3" data-testid="release-form">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex flex-1 flex-col gap-2">
          <Label htmlFor="release-name">{t("name")}</Label>
          <Input id="release-name" name="name" defaultValue={suggestedName} required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" />
        </div>
        <Button type="submit" disabled={pending} data-testid="release-build">
          {pending ? <Loader2 aria-hidden className="animate-spin" /> : <PackageCheck aria-hidden />}
          {pending ? t("building") : t("build")}
        </Button>
      </div>
      <p className="text-xs text-muted-foreground">{t("hint")}</p>
      <div aria-live="polite">
        {state.status === "error" && <Alert variant="destructive">{state.message}</Alert>}
        {state.status === "done" && <Alert>{t("done", { name: state.name })}</Alert>}
      </div>
    </form>
  );
}
