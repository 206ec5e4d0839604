import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { MessageTree } from "@/components/messages/message-tree";
import { requireContributor } from "@/server/auth/guards";
import { isModerator } from "@/server/domain/users/access";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messages.tree");
  return { title: t("title") };
}

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // A malformed id is a missing page, not a validation error from the API.
  if (!z.uuid().safeParse(id).success) notFound();
  const user = await requireContributor(`/messages/${id}`);
  return <MessageTree messageId={id} isModerator={isModerator(user)} />;
}
