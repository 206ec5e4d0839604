import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { ChatView } from "@/components/chat/chat-view";
import { requireContributor } from "@/server/auth/guards";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("chat");
  return { title: t("title") };
}

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // A malformed id is a missing page, not a validation error from the API.
  if (!z.uuid().safeParse(id).success) notFound();
  await requireContributor(`/chat/${id}`);
  return <ChatView chatId={id} />;
}
