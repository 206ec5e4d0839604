import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ChatList } from "@/components/chat/chat-list";
import { requireContributor } from "@/server/auth/guards";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("chat");
  return { title: t("title") };
}

export default async function ChatListPage() {
  await requireContributor("/chat");
  const t = await getTranslations("chat");
  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6">
      <div className="flex flex-col gap-1">
        <h1 className="text-3xl font-bold tracking-tight">{t("title")}</h1>
        <p className="text-muted-foreground">{t("lead")}</p>
      </div>
      <ChatList />
    </div>
  );
}
