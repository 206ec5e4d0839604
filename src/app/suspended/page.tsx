import { Ban } from "lucide-react";
import { getTranslations } from "next-intl/server";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

export default async function SuspendedPage() {
  const t = await getTranslations("common.suspended");
  return (
    <Card className="mx-auto max-w-lg">
      <CardHeader className="items-center text-center">
        <Ban className="size-10 text-destructive" aria-hidden />
        <CardTitle as="h1" className="text-2xl">{t("title")}</CardTitle>
      </CardHeader>
      <CardContent className="text-center text-muted-foreground">{t("body")}</CardContent>
    </Card>
  );
}
