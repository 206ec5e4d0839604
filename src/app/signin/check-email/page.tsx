import { MailCheck } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { env } from "@/env";

export default async function CheckEmailPage() {
  const t = await getTranslations("auth.checkEmail");
  return (
    <Card className="mx-auto max-w-md">
      <CardHeader className="items-center text-center">
        <MailCheck className="size-10 text-primary" aria-hidden />
        <CardTitle as="h1" className="text-2xl">{t("title")}</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-4 text-center">
        <p className="text-muted-foreground">{t("body")}</p>
        {!env.EMAIL_SERVER && <Alert variant="warning">{t("devHint")}</Alert>}
        <Button asChild variant="link">
          <Link href="/signin">{t("back")}</Link>
        </Button>
      </CardContent>
    </Card>
  );
}
