"use client";

import {
  closestCenter, DndContext, type DragEndEvent, KeyboardSensor, PointerSensor, TouchSensor, useSensor, useSensors,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { ChevronDown, ChevronUp, GripVertical } from "lucide-react";
import { useTranslations } from "next-intl";
import { Markdown } from "@/components/markdown";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import type { ConversationMessage } from "@/server/domain/tasks/types";

function RankItem({ reply, index, total, onMove, disabled }: {
  reply: ConversationMessage; index: number; total: number; onMove: (from: number, to: number) => void; disabled: boolean;
}) {
  const t = useTranslations("tasks.rank");
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: reply.id, disabled });
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={cn("flex gap-2 rounded-lg border bg-card p-3", isDragging && "z-10 shadow-lg ring-2 ring-primary")}
      data-testid="rank-item"
      data-message-id={reply.id}
    >
      <div className="flex shrink-0 flex-col items-center gap-1">
        <span className="text-sm font-semibold text-primary" aria-label={t("position", { n: index + 1 })}>{index + 1}</span>
        <button
          type="button"
          className="cursor-grab touch-none rounded p-1 text-muted-foreground hover:bg-accent active:cursor-grabbing"
          aria-label={t("dragHandle")}
          {...attributes}
          {...listeners}
        >
          <GripVertical className="size-4" aria-hidden />
        </button>
      </div>
      <div className="min-w-0 flex-1">
        <Markdown>{reply.text}</Markdown>
      </div>
      <div className="flex shrink-0 flex-col gap-1">
        <Button type="button" variant="ghost" size="icon" className="size-8" disabled={disabled || index === 0}
          onClick={() => onMove(index, index - 1)} aria-label={t("moveUp")} data-testid="rank-up">
          <ChevronUp aria-hidden />
        </Button>
        <Button type="button" variant="ghost" size="icon" className="size-8" disabled={disabled || index === total - 1}
          onClick={() => onMove(index, index + 1)} aria-label={t("moveDown")} data-testid="rank-down">
          <ChevronDown aria-hidden />
        </Button>
      </div>
    </li>
  );
}

/**
 * Orders replies best-first by drag and drop that also works with the keyboard (focus the handle, Space, arrows,
 * Space) and on touch (OA issue #158), plus explicit up/down buttons for anyone who prefers them.
 */
export function RankList({ replies, order, onOrderChange, disabled = false }: {
  replies: ConversationMessage[]; order: string[]; onOrderChange: (order: string[]) => void; disabled?: boolean;
}) {
  const t = useTranslations("tasks.rank");
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 150, tolerance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const byId = new Map(replies.map((reply) => [reply.id, reply]));
  const move = (from: number, to: number) => onOrderChange(arrayMove(order, from, to));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (over && active.id !== over.id) move(order.indexOf(String(active.id)), order.indexOf(String(over.id)));
  };
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements: {
        onDragStart: () => "", onDragOver: ({ over }) => (over ? t("announceMoved", { n: order.indexOf(String(over.id)) + 1, total: order.length }) : ""),
        onDragEnd: ({ over }) => (over ? t("announceMoved", { n: order.indexOf(String(over.id)) + 1, total: order.length }) : ""), onDragCancel: () => "",
      } }}
    >
      <SortableContext items={order} strategy={verticalListSortingStrategy}>
        <ol className="flex flex-col gap-2" data-testid="rank-list">
          {order.map((id, index) => (
            <RankItem key={id} reply={byId.get(id)!} index={index} total={order.length} onMove={move} disabled={disabled} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
