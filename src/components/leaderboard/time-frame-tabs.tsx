"use client";

import { useTranslations } from "next-intl";
import { useRef } from "react";
import { cn } from "@/lib/utils";
import { TIME_FRAMES, type TimeFrame } from "@/server/db/schema";

export const PANEL_ID = "leaderboard-panel";
export const tabId = (timeFrame: TimeFrame) => `leaderboard-tab-${timeFrame}`;

/** WAI-ARIA tabs: one tab stop, arrow keys (and Home/End) move between the time frames and select them. */
export function TimeFrameTabs({ value, onChange }: { value: TimeFrame; onChange: (timeFrame: TimeFrame) => void }) {
  const t = useTranslations("leaderboard.timeFrames");
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const select = (timeFrame: TimeFrame) => {
    onChange(timeFrame);
    refs.current[timeFrame]?.focus();
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const index = TIME_FRAMES.indexOf(value);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TIME_FRAMES.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(TIME_FRAMES[(next + TIME_FRAMES.length) % TIME_FRAMES.length]!);
  };
  return (
    <div role="tablist" aria-label={t("label")} onKeyDown={onKeyDown} className="inline-flex w-full rounded-lg bg-muted p-1 sm:w-auto">
      {TIME_FRAMES.map((timeFrame) => {
        const selected = timeFrame === value;
        return (
          <button
            key={timeFrame}
            ref={(element) => {
              refs.current[timeFrame] = element;
            }}
            id={tabId(timeFrame)}
            role="tab"
            type="button"
            aria-selected={selected}
            aria-controls={PANEL_ID}
            tabIndex={selected ? 0 : -1}
            onClick={() => onChange(timeFrame)}
            data-testid={`tab-${timeFrame}`}
            className={cn(
              "flex-1 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:text-foreground sm:flex-none",
              selected && "bg-background text-foreground shadow-sm",
            )}
          >
            {t(timeFrame)}
          </button>
        );
      })}
    </div>
  );
}
