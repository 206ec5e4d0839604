import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";

/** "Messages" and "Account" in the header's main navigation (signed-in users; the header decides). */
export async function HeaderLinks() {
  const t = await getTranslations();
  return (
    <>
      <Button asChild variant="ghost" size="sm">
        <Link href="/messages" data-testid="nav-messages">{t("messages.nav")}</Link>
      </Button>
      <Button asChild variant="ghost" size="sm">
        <Link href="/account" data-testid="nav-account">{t("account.nav")}</Link>
      </Button>
    </>
  );
}
