import { ShieldX } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";

/** The styled 403 page of the console (rendered with HTTP status 403 by `forbidden()`). */
export default async function AdminForbidden() {
  const t = await getTranslations("admin");
  return (
    <div className="mx-auto flex max-w-md flex-col items-center gap-4 py-16 text-center" data-testid="admin-forbidden">
      <ShieldX className="size-12 text-destructive" aria-hidden />
      <h1 className="text-2xl font-bold tracking-tight">{t("forbiddenTitle")}</h1>
      <p className="text-muted-foreground">{t("forbidden")}</p>
      <Button asChild><Link href="/dashboard">{t("forbiddenBack")}</Link></Button>
    </div>
  );
}
