"use client";

import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { StatusPage } from "@/components/layout/status-page";
import { Button } from "@/components/ui/button";

/** An unexpected failure while rendering a page: say so plainly and offer a retry (the server logged the cause). */
export default function ErrorBoundary({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common.errors");
  return (
    <StatusPage icon={TriangleAlert} title={t("errorTitle")} body={t("generic")}>
      <Button onClick={reset}>{t("retry")}</Button>
      <Button asChild variant="outline"><Link href="/">{t("home")}</Link></Button>
    </StatusPage>
  );
}
