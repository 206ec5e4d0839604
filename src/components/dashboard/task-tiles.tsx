"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowRight, Dices, FilePen, ListOrdered, MessageSquareReply, Tags } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { cn } from "@/lib/utils";
import type { TaskRequestType } from "@/server/domain/tasks/types";
import { useTRPC } from "@/trpc/react";

const TILES: { type: TaskRequestType; icon: typeof Dices }[] = [
  { type: "random", icon: Dices },
  { type: "initial_prompt", icon: FilePen },
  { type: "prompter_reply", icon: MessageSquareReply },
  { type: "assistant_reply", icon: MessageSquareReply },
  { type: "label_initial_prompt", icon: Tags },
  { type: "label_prompter_reply", icon: Tags },
  { type: "label_assistant_reply", icon: Tags },
  { type: "rank_assistant_replies", icon: ListOrdered },
];

const COUNT_CAP = 1000;

/** "Grab a task" tiles with live counts of what this contributor could do now, in their language. */
export function TaskTiles({ lang }: { lang: string }) {
  const t = useTranslations("tasks");
  const trpc = useTRPC();
  const availability = useQuery({ ...trpc.tasks.availability.queryOptions({ lang }), refetchInterval: 30_000 });
  return (
    <section aria-labelledby="grab-title" className="flex flex-col gap-3">
      <h2 id="grab-title" className="text-xl font-semibold">{t("grab.title")}</h2>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="task-tiles">
        {TILES.map(({ type, icon: Icon }) => {
          const count = availability.data?.[type];
          const none = count === 0;
          return (
            <Link key={type} href={`/tasks/${type}`} className="group rounded-xl focus-visible:outline-2 focus-visible:outline-ring" data-testid={`tile-${type}`}>
              <Card className={cn("h-full transition-colors group-hover:border-primary", none && "opacity-70")}>
                <CardHeader className="gap-2">
                  <div className="flex items-center justify-between">
                    <Icon className="size-5 text-primary" aria-hidden />
                    <ArrowRight className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5" aria-hidden />
                  </div>
                  <CardTitle className="text-base">{t(`types.${type}.title`)}</CardTitle>
                  <CardDescription>{t(`types.${type}.description`)}</CardDescription>
                  <p className="text-xs font-medium text-muted-foreground" data-testid={`tile-count-${type}`} aria-live="polite">
                    {count === undefined ? (availability.isError ? "—" : "…") : count >= COUNT_CAP ? t("grab.many") : t("grab.available", { count })}
                  </p>
                </CardHeader>
              </Card>
            </Link>
          );
        })}
      </div>
    </section>
  );
}
