import { ListOrdered, PenLine, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/server/auth/guards";

const STEPS = [
  { key: "write", icon: PenLine },
  { key: "review", icon: ShieldCheck },
  { key: "rank", icon: ListOrdered },
] as const;

export default async function LandingPage() {
  const [t, user] = await Promise.all([getTranslations("common.landing"), getCurrentUser()]);
  return (
    <div className="flex flex-col gap-12">
      <section className="mx-auto flex max-w-3xl flex-col items-center gap-6 py-8 text-center sm:py-16">
        <h1 className="text-4xl font-bold tracking-tight text-balance sm:text-5xl">{t("title")}</h1>
        <p className="text-lg text-pretty text-muted-foreground">{t("lead")}</p>
        <Button asChild size="lg">
          <Link href={user ? "/dashboard" : "/signin"}>{user ? t("ctaSignedIn") : t("cta")}</Link>
        </Button>
      </section>
      <section aria-labelledby="steps-title" className="flex flex-col gap-4">
        <h2 id="steps-title" className="text-xl font-semibold">{t("stepsTitle")}</h2>
        <div className="grid gap-4 sm:grid-cols-3">
          {STEPS.map(({ key, icon: Icon }) => (
            <Card key={key}>
              <CardHeader>
                <Icon className="size-6 text-primary" aria-hidden />
                <CardTitle>{t(`steps.${key}.title`)}</CardTitle>
              </CardHeader>
              <CardContent className="text-sm text-muted-foreground">{t(`steps.${key}.body`)}</CardContent>
            </Card>
          ))}
        </div>
      </section>
    </div>
  );
}
