import { FileQuestion } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { StatusPage } from "@/components/layout/status-page";
import { Button } from "@/components/ui/button";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("notFound") };
}

/** Every unknown address and every `notFound()`, with a real 404 status (nothing streams before it). */
export default async function NotFound() {
  const t = await getTranslations("common.errors");
  return (
    <StatusPage icon={FileQuestion} code={404} title={t("notFoundTitle")} body={t("notFoundBody")}>
      <Button asChild><Link href="/">{t("home")}</Link></Button>
    </StatusPage>
  );
}
