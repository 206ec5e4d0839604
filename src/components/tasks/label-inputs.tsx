"use client";

import { CircleHelp } from "lucide-react";
import { useTranslations } from "next-intl";
import { Popover } from "radix-ui";
import { useId } from "react";
import { cn } from "@/lib/utils";
import { isLabelName, LABEL_DEFINITIONS, type LabelName } from "@/server/domain/labels/definitions";

export type LabelValues = Partial<Record<string, number>>;

const LIKERT_STEPS = [0, 0.25, 0.5, 0.75, 1] as const;

function HelpButton({ label }: { label: LabelName }) {
  const t = useTranslations("labels");
  return (
    <Popover.Root>
      <Popover.Trigger className="rounded-full text-muted-foreground hover:text-foreground" aria-label={t("helpFor", { label: t(label) })}>
        <CircleHelp className="size-4" aria-hidden />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content sideOffset={6} className="z-50 max-w-72 rounded-md border bg-card p-3 text-sm shadow-md">
          {t(`help.${label}`)}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

function choiceClass(selected: boolean) {
  return cn(
    "flex h-10 min-w-10 cursor-pointer items-center justify-center rounded-md border px-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-ring",
    selected ? "border-primary bg-primary text-primary-foreground" : "hover:bg-accent",
  );
}

/**
 * The review widgets of a label task (OA `LabelInputGroup`): yes/no questions, flags and five-step scales. Values
 * are stored in [0, 1]; an inverted scale shows its undesirable end first and stores 1 − position.
 */
export function LabelInputs({ names, mandatory, values, onChange, disabled = false }: {
  names: string[]; mandatory: string[]; values: LabelValues; onChange: (values: LabelValues) => void; disabled?: boolean;
}) {
  const t = useTranslations("labels");
  const groupId = useId();
  const set = (name: string, value: number | undefined) => onChange({ ...values, [name]: value });
  const known = names.filter(isLabelName);
  const flags = known.filter((name) => LABEL_DEFINITIONS[name].widget === "flag");

  return (
    <fieldset disabled={disabled} className="flex flex-col gap-5" data-testid="label-inputs">
      {known.filter((name) => LABEL_DEFINITIONS[name].widget === "yes_no").map((name) => (
        <div key={name} role="radiogroup" aria-labelledby={`${groupId}-${name}`} className="flex flex-wrap items-center gap-3" data-cy="label-question">
          <span id={`${groupId}-${name}`} className="flex items-center gap-1.5 font-medium">
            {t(name)} {mandatory.includes(name) && <span className="text-xs text-destructive">({t("mandatory")})</span>}
            <HelpButton label={name} />
          </span>
          <div className="flex gap-2">
            {([[1, "yes"], [0, "no"]] as const).map(([value, text]) => (
              <label key={text} className={choiceClass(values[name] === value)}>
                <input type="radio" className="sr-only" name={`${groupId}-${name}`} checked={values[name] === value} onChange={() => set(name, value)} data-testid={`label-${name}-${text}`} />
                {t(text)}
              </label>
            ))}
          </div>
        </div>
      ))}
      {flags.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {flags.map((name) => (
            <label key={name} className={cn(choiceClass(values[name] === 1), "gap-2")}>
              <input type="checkbox" className="sr-only" checked={values[name] === 1} onChange={(event) => set(name, event.target.checked ? 1 : 0)} data-testid={`label-${name}`} />
              {t(name)}
              <HelpButton label={name} />
            </label>
          ))}
        </div>
      )}
      {known.filter((name) => LABEL_DEFINITIONS[name].widget === "likert").map((name) => {
        const inverted = LABEL_DEFINITIONS[name].inverted === true;
        const stored = (position: number) => (inverted ? 1 - LIKERT_STEPS[position]! : LIKERT_STEPS[position]!);
        return (
          <div key={name} role="radiogroup" aria-labelledby={`${groupId}-${name}`} className="flex flex-col gap-2" data-cy="label-options">
            <span id={`${groupId}-${name}`} className="flex items-center gap-1.5 font-medium">
              {t(name)} <HelpButton label={name} />
            </span>
            <div className="flex max-w-xs justify-between gap-2">
              {LIKERT_STEPS.map((_, position) => (
                <label key={position} className={choiceClass(values[name] === stored(position))}>
                  <input type="radio" className="sr-only" name={`${groupId}-${name}`} checked={values[name] === stored(position)}
                    onChange={() => set(name, stored(position))} aria-label={`${t(name)} ${position + 1}/5`} data-testid={`label-${name}-${position + 1}`} />
                  {position + 1}
                </label>
              ))}
            </div>
            <div className="flex max-w-xs justify-between text-xs text-muted-foreground" aria-hidden>
              <span>{t(`scale.${name}.low`)}</span>
              <span>{t(`scale.${name}.high`)}</span>
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
