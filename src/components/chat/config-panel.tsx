"use client";

import { useTranslations } from "next-intl";
import { useId } from "react";
import { Switch } from "radix-ui";
import { Label, NativeSelect } from "@/components/ui/input";
import { cn } from "@/lib/utils";
import {
  CUSTOM_PRESET, effectiveSampling, INSTRUCTION_MAX_LENGTH, resolveModel, resolvePreset, SAMPLING_FIELDS, type ChatSettings, type SamplingKey,
} from "./settings";
import type { ModelListing } from "./types";

/** Model, preset and the six sampling parameters (each with an on/off switch); sliders only move for "Custom". */
export function ConfigPanel({ listing, settings, onChange, className }: {
  listing: ModelListing | undefined;
  settings: ChatSettings;
  onChange: (update: (previous: ChatSettings) => ChatSettings) => void;
  className?: string;
}) {
  const t = useTranslations("chat.config");
  // The panel can be mounted twice (side column and drawer): ids must stay unique for the labels.
  const idPrefix = useId();
  const model = resolveModel(settings, listing);
  const preset = resolvePreset(settings, listing);
  const values = effectiveSampling(settings, listing);
  const editable = preset === CUSTOM_PRESET;
  const selected = listing?.models.find((candidate) => candidate.name === model);
  const served = listing?.models.filter((candidate) => candidate.workersOnline > 0) ?? [];
  const unserved = listing?.models.filter((candidate) => candidate.workersOnline === 0) ?? [];

  const setValue = (key: SamplingKey, value: number | null) =>
    onChange((previous) => ({ ...previous, custom: { ...previous.custom, [key]: value } }));

  return (
    <div className={cn("flex flex-col gap-4", className)} data-testid="chat-config">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${idPrefix}-model`}>{t("model")}</Label>
        <NativeSelect
          id={`${idPrefix}-model`}
          data-testid="chat-model"
          value={model ?? ""}
          disabled={!listing}
          onChange={(event) => onChange((previous) => ({ ...previous, model: event.target.value }))}
        >
          {served.map((candidate) => (
            <option key={candidate.name} value={candidate.name}>{candidate.label}</option>
          ))}
          {/* Models no live worker serves: listed, but not selectable; a request for one is refused at once. */}
          {unserved.length > 0 && (
            <optgroup label={t("unavailable")}>
              {unserved.map((candidate) => (
                <option key={candidate.name} value={candidate.name} disabled={candidate.name !== model}>{candidate.label}</option>
              ))}
            </optgroup>
          )}
        </NativeSelect>
        {listing && served.length === 0 ? (
          <p className="text-xs text-amber-700 dark:text-amber-400" data-testid="no-models">{t("noModels")}</p>
        ) : (
          selected && (
            <p className={cn("text-xs", selected.workersOnline > 0 ? "text-muted-foreground" : "text-amber-700 dark:text-amber-400")}>
              {selected.workersOnline > 0 ? t("workersOnline", { count: selected.workersOnline }) : t("noWorkers")}
            </p>
          )
        )}
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={`${idPrefix}-preset`}>{t("preset")}</Label>
        <NativeSelect
          id={`${idPrefix}-preset`}
          data-testid="chat-preset"
          value={preset}
          disabled={!listing}
          onChange={(event) => {
            const next = event.target.value;
            onChange((previous) =>
              // Starting "Custom" from the preset on screen, so the sliders do not jump.
              next === CUSTOM_PRESET && previous.preset !== CUSTOM_PRESET ? { ...previous, preset: next, custom: { ...values } } : { ...previous, preset: next },
            );
          }}
        >
          {listing?.presets.map((candidate) => (
            <option key={candidate.name} value={candidate.name} title={candidate.description}>{candidate.name}</option>
          ))}
          <option value={CUSTOM_PRESET}>{t("custom")}</option>
        </NativeSelect>
        {!editable && <p className="text-xs text-muted-foreground">{t("customHint")}</p>}
      </div>
      <div className="flex flex-col gap-3">
        {SAMPLING_FIELDS.map((field) => {
          const value = values[field.key];
          const on = value !== null;
          const id = `${idPrefix}-${field.key}`;
          return (
            <div key={field.key} className="flex flex-col gap-1.5" data-testid={`param-${field.key}`}>
              <div className="flex items-center justify-between gap-2">
                <Label htmlFor={id}>{t(`params.${field.key}`)}</Label>
                <div className="flex items-center gap-2">
                  <span className="w-12 text-end font-mono text-xs tabular-nums">{on ? value : t("off")}</span>
                  <Switch.Root
                    checked={on}
                    disabled={!editable}
                    onCheckedChange={(checked) => setValue(field.key, checked ? field.max : null)}
                    aria-label={t("toggle", { name: t(`params.${field.key}`) })}
                    className="relative h-5 w-9 shrink-0 rounded-full bg-input transition-colors data-[state=checked]:bg-primary disabled:cursor-not-allowed disabled:opacity-50"
                  >
                    <Switch.Thumb className="block size-4 translate-x-0.5 rounded-full bg-background shadow transition-transform data-[state=checked]:translate-x-[18px]" />
                  </Switch.Root>
                </div>
              </div>
              <input
                id={id}
                type="range"
                min={field.min}
                max={field.max}
                step={field.step}
                value={value ?? field.max}
                disabled={!editable || !on}
                onChange={(event) => setValue(field.key, Number(event.target.value))}
                className="w-full accent-primary disabled:opacity-50"
              />
            </div>
          );
        })}
      </div>
      <fieldset className="flex flex-col gap-3 border-t pt-4" data-testid="custom-instructions">
        <legend className="text-sm font-medium">{t("instructions.title")}</legend>
        <p className="text-xs text-muted-foreground">{t("instructions.hint")}</p>
        <InstructionField id={`${idPrefix}-profile`} label={t("instructions.profile")} placeholder={t("instructions.profilePlaceholder")}
          value={settings.userProfile} testId="user-profile"
          onChange={(value) => onChange((previous) => ({ ...previous, userProfile: value }))} />
        <InstructionField id={`${idPrefix}-style`} label={t("instructions.style")} placeholder={t("instructions.stylePlaceholder")}
          value={settings.userResponseInstructions} testId="user-response-instructions"
          onChange={(value) => onChange((previous) => ({ ...previous, userResponseInstructions: value }))} />
      </fieldset>
      <p className="text-xs text-muted-foreground">{t("disclaimer")}</p>
    </div>
  );
}

/** One custom-instruction textarea with its character count (OA: 256 characters each). */
function InstructionField({ id, label, placeholder, value, onChange, testId }: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  const t = useTranslations("chat.config");
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <textarea
        id={id}
        value={value}
        maxLength={INSTRUCTION_MAX_LENGTH}
        rows={3}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
        aria-describedby={`${id}-count`}
        className="min-h-16 w-full resize-y rounded-md border border-input bg-background px-3 py-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50"
      />
      <p id={`${id}-count`} className="text-end text-[11px] tabular-nums text-muted-foreground">
        {t("instructions.count", { count: value.length, max: INSTRUCTION_MAX_LENGTH })}
      </p>
    </div>
  );
}
