"use client";

import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export default function ErrorBoundary({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("common.errors");
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <Alert variant="destructive">{t("generic")}</Alert>
      <Button onClick={reset} variant="outline">↻</Button>
    </div>
  );
}
