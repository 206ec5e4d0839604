import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { MessageTree } from "@/components/messages/message-tree";
import { requireContributor } from "@/server/auth/guards";
import { isModerator } from "@/server/domain/users/access";
import { getQueryClient, HydrateClient, trpc } from "@/trpc/server";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("messages.tree");
  return { title: t("title") };
}

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // A malformed id is a missing page, not a validation error from the API.
  if (!z.uuid().safeParse(id).success) notFound();
  const user = await requireContributor(`/messages/${id}`);
  // Loaded here, before anything streams, so a message that does not exist (or that this user may not see) is a
  // real 404; the tree then reaches the client already loaded.
  try {
    await getQueryClient().fetchQuery(trpc.messages.tree.queryOptions({ messageId: id }));
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  return (
    <HydrateClient>
      <MessageTree messageId={id} isModerator={isModerator(user)} />
    </HydrateClient>
  );
}
