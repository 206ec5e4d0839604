"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { useTRPC } from "@/trpc/react";

/**
 * At the review step of a new prompt: existing prompts it nearly duplicates (by embedding similarity), so the
 * contributor can rephrase before submitting. Silent when embeddings are off or the check fails.
 */
export function SimilarPromptsWarning({ text, lang }: { text: string; lang: string }) {
  const t = useTranslations("tasks.similar");
  const trpc = useTRPC();
  const similar = useQuery({ ...trpc.stats.similarPrompts.queryOptions({ text: text.trim(), lang }), retry: false, staleTime: Infinity });
  const matches = similar.data?.enabled ? similar.data.matches : [];
  if (matches.length === 0) return null;
  return (
    <Alert variant="warning" data-testid="similar-prompts">
      <p className="font-medium">{t("title")}</p>
      <ul className="mt-2 list-disc space-y-1 ps-5">
        {matches.slice(0, 3).map((match) => (
          <li key={match.messageId}>
            <span className="line-clamp-2">{match.text}</span>{" "}
            <span className="text-xs opacity-80">({t("similarity", { percent: Math.round(match.similarity * 100) })})</span>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
