import { ShieldX } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { StatusPage } from "@/components/layout/status-page";
import { Button } from "@/components/ui/button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("forbidden") };
}

/** `forbidden()` (signed in, but not allowed: moderator pages for contributors), answered with a real 403. */
export default async function Forbidden() {
  const t = await getTranslations("common.errors");
  return (
    <StatusPage icon={ShieldX} code={403} title={t("forbiddenTitle")} body={t("forbiddenBody")}>
      <Button asChild><Link href="/dashboard">{t("dashboard")}</Link></Button>
    </StatusPage>
  );
}
