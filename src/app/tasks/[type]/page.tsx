import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { TaskRunner } from "@/components/tasks/task-runner";
import { requireContributor } from "@/server/auth/guards";
import { TASK_REQUEST_TYPES, type TaskRequestType } from "@/server/domain/tasks/types";

/** Task types a contributor can open a page for (the others are never generated; spec §2.1). */
const PAGE_TYPES = TASK_REQUEST_TYPES.filter((type) => !["summarize_story", "rate_summary", "rank_initial_prompts"].includes(type));

function isPageType(value: string): value is TaskRequestType {
  return (PAGE_TYPES as readonly string[]).includes(value);
}

export async function generateMetadata({ params }: { params: Promise<{ type: string }> }): Promise<Metadata> {
  const { type } = await params;
  if (!isPageType(type)) return {};
  const t = await getTranslations("tasks.types");
  return { title: t(`${type}.title`) };
}

export default async function TaskPage({ params }: { params: Promise<{ type: string }> }) {
  const { type } = await params;
  if (!isPageType(type)) notFound();
  await requireContributor(`/tasks/${type}`);
  // The data language follows the contributor's chosen UI language.
  const lang = await getLocale();
  return <TaskRunner key={type} type={type} lang={lang} />;
}
