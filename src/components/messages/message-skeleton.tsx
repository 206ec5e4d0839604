import { cn } from "@/lib/utils";

/** Placeholder cards while messages load. */
export function MessageSkeleton({ count = 3, className }: { count?: number; className?: string }) {
  return (
    <div role="status" aria-busy="true" className={cn("flex flex-col gap-3", className)} data-testid="messages-loading">
      {Array.from({ length: count }, (_, index) => (
        <div key={index} className="flex gap-3 rounded-lg border bg-card p-3 sm:p-4">
          <div className="size-8 shrink-0 animate-pulse rounded-full bg-muted" />
          <div className="flex flex-1 flex-col gap-2">
            <div className="h-3 w-1/3 animate-pulse rounded bg-muted" />
            <div className="h-3 w-full animate-pulse rounded bg-muted" />
            <div className="h-3 w-4/5 animate-pulse rounded bg-muted" />
          </div>
        </div>
      ))}
    </div>
  );
}
