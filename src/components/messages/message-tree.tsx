"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowLeft, SearchX } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useEffect, useMemo } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { MessageView } from "@/server/domain/messages/dto";
import { useTRPC } from "@/trpc/react";
import { errorText } from "./error-text";
import { MessageEntry } from "./message-entry";
import { MessageSkeleton } from "./message-skeleton";

type Node = { message: MessageView; children: Node[] };

/** Nests the server's flat, parents-first list; siblings keep the server's order (by rank, unranked last). */
export function buildTree(messages: MessageView[]): Node[] {
  const nodes = new Map(messages.map((message) => [message.id, { message, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.message.parentId ? nodes.get(node.message.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function Branch({ node, targetId, isModerator }: { node: Node; targetId: string; isModerator: boolean }) {
  const t = useTranslations("messages.tree");
  const branching = node.children.length > 1;
  return (
    <li className="flex flex-col gap-3">
      <MessageEntry message={node.message} isModerator={isModerator} highlighted={node.message.id === targetId} showRank />
      {node.children.length > 0 && (
        <div className="flex flex-col gap-2 border-s-2 ps-2 sm:ps-5">
          {branching && <p className="text-xs text-muted-foreground">{t("replies", { count: node.children.length })}</p>}
          <ol className="flex flex-col gap-3">
            {node.children.map((child) => <Branch key={child.message.id} node={child} targetId={targetId} isModerator={isModerator} />)}
          </ol>
        </div>
      )}
    </li>
  );
}

/**
 * The whole conversation tree of a message with its branches and sibling ranks; the message itself is highlighted
 * and scrolled into view. Deleted messages come only to moderators (the server decides).
 */
export function MessageTree({ messageId, isModerator }: { messageId: string; isModerator: boolean }) {
  const t = useTranslations("messages");
  const trpc = useTRPC();
  const tree = useQuery(trpc.messages.tree.queryOptions({ messageId }, { placeholderData: keepPreviousData, retry: false }));
  const state = useQuery(trpc.messages.treeState.queryOptions({ messageId }, { retry: false }));
  const roots = useMemo(() => buildTree(tree.data?.messages ?? []), [tree.data]);
  const found = tree.data?.messages.some((message) => message.id === messageId) ?? false;

  useEffect(() => {
    if (found) document.getElementById(`message-${messageId}`)?.scrollIntoView({ block: "center" });
  }, [found, messageId]);

  const back = (
    <Button asChild variant="ghost" size="sm" className="w-fit ps-2">
      <Link href="/messages"><ArrowLeft aria-hidden /> {t("tree.back")}</Link>
    </Button>
  );

  if (tree.isPending) return <div className="flex flex-col gap-4">{back}<MessageSkeleton count={3} /></div>;
  if (tree.error) {
    const missing = tree.error.data?.code === "NOT_FOUND";
    return (
      <div className="flex flex-col gap-4">
        {back}
        {missing ? (
          <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed p-8 text-center" data-testid="message-missing">
            <SearchX className="size-8 text-muted-foreground" aria-hidden />
            <p className="font-medium">{t("tree.missingTitle")}</p>
            <p className="text-sm text-muted-foreground">{t("tree.missingBody")}</p>
          </div>
        ) : (
          <Alert variant="destructive">{errorText(tree.error, t("errors.generic"))}</Alert>
        )}
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {back}
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-bold tracking-tight">{t("tree.title")}</h1>
        {state.data && (
          <Badge variant={state.data.active ? "default" : "secondary"} data-testid="tree-state">
            {t(`treeState.${state.data.state}`)}
          </Badge>
        )}
        <span className="text-sm text-muted-foreground">{t("tree.count", { count: tree.data.messages.length })}</span>
      </div>
      <ol className="flex flex-col gap-3" data-testid="message-tree">
        {roots.map((root) => <Branch key={root.message.id} node={root} targetId={messageId} isModerator={isModerator} />)}
      </ol>
    </div>
  );
}
