import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { DeleteAccount } from "@/components/account/delete-account";
import { DisplayNameForm } from "@/components/account/display-name-form";
import { LeaderboardToggle } from "@/components/account/leaderboard-toggle";
import { LinkedAccounts } from "@/components/account/linked-accounts";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { signOut } from "@/server/auth";
import { requireUser } from "@/server/auth/guards";
import { displayNameOf } from "@/server/domain/users/dto";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("account");
  return { title: t("title") };
}

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/" });
}

/** Account settings: name, sign-in methods, leaderboard visibility and deleting the account (website §5.1 /account). */
export default async function AccountPage() {
  // Open before the terms are accepted too: anyone signed in may rename or delete their account.
  const user = await requireUser("/account");
  const [t, tRoles, format] = await Promise.all([getTranslations("account"), getTranslations("common.roles"), getFormatter()]);
  const facts = [
    [t("profile.email"), user.email ?? "—"],
    [t("profile.role"), tRoles(user.role)],
    [t("profile.memberSince"), format.dateTime(user.createdAt, { dateStyle: "medium" })],
  ] as const;

  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="text-muted-foreground">{t("lead")}</p>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>{t("profile.title")}</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-6">
          <DisplayNameForm initialName={displayNameOf(user)} />
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-muted-foreground">{label}</dt>
                <dd className="min-w-0 break-words font-medium">{value}</dd>
              </div>
            ))}
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t("linked.title")}</CardTitle>
          <CardDescription>{t("linked.description")}</CardDescription>
        </CardHeader>
        <CardContent>
          <LinkedAccounts />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t("leaderboard.title")}</CardTitle>
        </CardHeader>
        <CardContent>
          <LeaderboardToggle initialValue={user.showOnLeaderboard} />
        </CardContent>
      </Card>
      <Card className="border-destructive/40">
        <CardHeader>
          <CardTitle>{t("delete.sectionTitle")}</CardTitle>
          <CardDescription>{t("delete.sectionDescription")}</CardDescription>
        </CardHeader>
        <CardContent>
          <DeleteAccount signOutAction={signOutAction} />
        </CardContent>
      </Card>
    </div>
  );
}
