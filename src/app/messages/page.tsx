import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { MessagesTabs } from "@/components/messages/messages-tabs";
import { requireContributor } from "@/server/auth/guards";
import { isModerator } from "@/server/domain/users/access";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messages");
  return { title: t("title") };
}

export default async function MessagesPage() {
  const user = await requireContributor("/messages");
  const [t, locale] = await Promise.all([getTranslations("messages"), getLocale()]);
  // Recent messages are those in the contributor's UI language, which is also the language they write tasks in.
  const languageName = new Intl.DisplayNames([locale], { type: "language" }).of(locale) ?? locale;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="text-muted-foreground">{t("lead")}</p>
      </div>
      <MessagesTabs lang={locale} languageName={languageName} isModerator={isModerator(user)} />
    </div>
  );
}
