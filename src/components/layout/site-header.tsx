import { MessagesSquare } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { HeaderLinks } from "@/components/account/header-links";
import { Button } from "@/components/ui/button";
import { signOut } from "@/server/auth";
import { getCurrentUser } from "@/server/auth/guards";
import { getDatabase } from "@/server/db";
import { getMyLevel } from "@/server/domain/leaderboard/my-stats";
import { displayNameOf } from "@/server/domain/users/dto";
import { LanguageSelect } from "./language-select";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/" });
}

export async function SiteHeader() {
  const [t, user] = await Promise.all([getTranslations("common"), getCurrentUser()]);
  // The all-time score and level shown in the user menu: the same figures as the boards, current at every request.
  const score = user ? await getMyLevel(getDatabase(), user.id) : null;
  return (
    <header className="sticky top-0 z-40 border-b bg-background/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold" aria-label={t("appName")}>
          <MessagesSquare className="size-5 text-primary" aria-hidden />
          <span className="hidden whitespace-nowrap min-[420px]:inline">{t("appName")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="ms-4 hidden items-center gap-1 lg:flex">
          {user && (
            <Button asChild variant="ghost" size="sm">
              <Link href="/dashboard">{t("nav.dashboard")}</Link>
            </Button>
          )}
          {user && <HeaderLinks />}
        </nav>
        <div className="ms-auto flex items-center gap-1">
          <LanguageSelect />
          <ThemeToggle />
          {user ? (
            <UserMenu name={displayNameOf(user)} role={user.role} score={score} signOutAction={signOutAction} />
          ) : (
            <Button asChild size="sm">
              <Link href="/signin">{t("userMenu.signIn")}</Link>
            </Button>
          )}
        </div>
      </div>
    </header>
  );
}
