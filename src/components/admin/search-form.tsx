import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input, Label, NativeSelect } from "@/components/ui/input";

export type FilterField =
  | { kind: "text"; name: string; label: string; value?: string; placeholder?: string; className?: string }
  | { kind: "select"; name: string; label: string; value?: string; options: { value: string; label: string }[] }
  | { kind: "date"; name: string; label: string; value?: string };

/** A GET form of filters: the URL holds the state, so a filtered list can be shared, reloaded and paged. */
export function SearchForm({ fields, submitLabel, testId }: { fields: FilterField[]; submitLabel: string; testId?: string }) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" data-testid={testId}>
      {fields.map((field) => (
        <div key={field.name} className="flex flex-col gap-1">
          <Label htmlFor={`f-${field.name}`}>{field.label}</Label>
          {field.kind === "select" ? (
            <NativeSelect id={`f-${field.name}`} name={field.name} defaultValue={field.value ?? ""}>
              {field.options.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
            </NativeSelect>
          ) : (
            <Input
              id={`f-${field.name}`}
              name={field.name}
              type={field.kind === "date" ? "date" : "search"}
              defaultValue={field.value ?? ""}
              placeholder={field.kind === "text" ? field.placeholder : undefined}
              className={field.kind === "text" ? (field.className ?? "w-64 max-w-full") : undefined}
            />
          )}
        </div>
      ))}
      <Button type="submit"><Search aria-hidden /> {submitLabel}</Button>
    </form>
  );
}

/** Previous/next links for page-numbered lists, keeping the other query parameters. */
export function Pager({ params, page, hasMore, labels }: { params: Record<string, string | undefined>; page: number; hasMore: boolean; labels: { previous: string; next: string } }) {
  const href = (to: number) => `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v)), page: String(to) } as Record<string, string>)}`;
  return (
    <div className="flex gap-2">
      {page > 0 && <Button asChild variant="outline" size="sm"><a href={href(page - 1)}>{labels.previous}</a></Button>}
      {hasMore && <Button asChild variant="outline" size="sm"><a href={href(page + 1)} data-testid="pager-next">{labels.next}</a></Button>}
    </div>
  );
}
