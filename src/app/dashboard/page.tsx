import type { Metadata } from "next";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { DashboardStanding } from "@/components/dashboard/dashboard-standing";
import { TaskTiles } from "@/components/dashboard/task-tiles";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireContributor } from "@/server/auth/guards";
import { displayNameOf } from "@/server/domain/users/dto";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("common.pageTitles"))("dashboard") };
}

export default async function DashboardPage() {
  const user = await requireContributor("/dashboard");
  const [t, tRoles, format, locale] = await Promise.all([
    getTranslations("dashboard"), getTranslations("common.roles"), getFormatter(), getLocale(),
  ]);
  const facts = [
    [t("account.role"), tRoles(user.role)],
    [t("account.memberSince"), format.dateTime(user.createdAt, { dateStyle: "medium" })],
    [t("account.tosAccepted"), user.tosAcceptanceDate ? format.dateTime(user.tosAcceptanceDate, { dateStyle: "medium" }) : "—"],
    [t("account.leaderboard"), user.showOnLeaderboard ? t("account.yes") : t("account.no")],
  ] as const;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-3xl font-bold tracking-tight" data-testid="dashboard-welcome">
          {t("welcome", { name: displayNameOf(user) })}
        </h1>
        <p className="text-muted-foreground">{t("lead")}</p>
      </div>
      <DashboardStanding />
      <TaskTiles lang={locale} />
      <Card className="max-w-xl">
        <CardHeader>
          <CardTitle>{t("account.title")}</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="font-medium">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
    </div>
  );
}
