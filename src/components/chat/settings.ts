"use client";

import { useCallback, useSyncExternalStore } from "react";
import type { ModelListing, ReplyOptions } from "./types";

/** The config panel's choices, kept in localStorage (OA persisted its chat config form the same way). */

export type SamplingKey = "temperature" | "maxNewTokens" | "topP" | "repetitionPenalty" | "topK" | "typicalP";
export type Sampling = Record<SamplingKey, number | null>;

/** OA's ChatConfigForm ranges (spec inference §1.3); switching a parameter on sets it to `max`. */
export const SAMPLING_FIELDS: readonly { key: SamplingKey; min: number; max: number; step: number }[] = [
  { key: "temperature", min: 0.01, max: 2, step: 0.01 },
  { key: "maxNewTokens", min: 1, max: 1024, step: 1 },
  { key: "topP", min: 0, max: 1, step: 0.01 },
  { key: "repetitionPenalty", min: 1, max: 3, step: 0.01 },
  { key: "topK", min: 5, max: 2000, step: 5 },
  { key: "typicalP", min: 0, max: 1, step: 0.01 },
];

export const CUSTOM_PRESET = "Custom";

export type ChatSettings = {
  /** A model config name; null = the first one a worker serves. */
  model: string | null;
  /** A server preset name or CUSTOM_PRESET. */
  preset: string;
  /** The values used with CUSTOM_PRESET. */
  custom: Sampling;
  /** Custom instructions (OA's two fields, 256 characters each): what the assistant should know about the user… */
  userProfile: string;
  /** …and how it should reply. Sent with every reply request; empty = none. */
  userResponseInstructions: string;
};

export const INSTRUCTION_MAX_LENGTH = 256;

const DEFAULT_SAMPLING: Sampling = { temperature: 0.75, maxNewTokens: 1024, topP: 0.95, repetitionPenalty: 1.2, topK: 50, typicalP: null };
export const DEFAULT_SETTINGS: ChatSettings = { model: null, preset: "k50", custom: DEFAULT_SAMPLING, userProfile: "", userResponseInstructions: "" };

const instruction = (value: unknown) => (typeof value === "string" ? value.slice(0, INSTRUCTION_MAX_LENGTH) : "");

const STORAGE_KEY = "oa.chat.settings.v1";
const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cachedValue: ChatSettings = DEFAULT_SETTINGS;

function clampField(key: SamplingKey, value: unknown): number | null {
  const field = SAMPLING_FIELDS.find((candidate) => candidate.key === key)!;
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) return DEFAULT_SAMPLING[key];
  return Math.min(field.max, Math.max(field.min, value));
}

function parse(raw: string | null): ChatSettings {
  if (!raw) return DEFAULT_SETTINGS;
  try {
    const value = JSON.parse(raw) as Partial<ChatSettings>;
    const custom = Object.fromEntries(
      SAMPLING_FIELDS.map(({ key }) => [key, clampField(key, value.custom && key in value.custom ? value.custom[key] : DEFAULT_SAMPLING[key])]),
    ) as Sampling;
    return {
      model: typeof value.model === "string" ? value.model : null,
      preset: typeof value.preset === "string" ? value.preset : DEFAULT_SETTINGS.preset,
      custom,
      userProfile: instruction(value.userProfile),
      userResponseInstructions: instruction(value.userResponseInstructions),
    };
  } catch {
    return DEFAULT_SETTINGS;
  }
}

function read(): ChatSettings {
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage blocked (private mode): defaults.
  }
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedValue = parse(raw);
  }
  return cachedValue;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useChatSettings(): [ChatSettings, (update: (previous: ChatSettings) => ChatSettings) => void] {
  const settings = useSyncExternalStore(subscribe, read, () => DEFAULT_SETTINGS);
  const update = useCallback((change: (previous: ChatSettings) => ChatSettings) => {
    const next = change(read());
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      cachedRaw = undefined;
    }
    cachedValue = next;
    for (const listener of listeners) listener();
  }, []);
  return [settings, update];
}

/**
 * The stored model while some worker serves it, else the first one served, else (nothing is served) the stored or
 * first one, so the picker still shows a choice and a send gets the server's "not available right now".
 */
export function resolveModel(settings: ChatSettings, listing: ModelListing | undefined): string | null {
  const models = listing?.models ?? [];
  const served = models.filter((model) => model.workersOnline > 0);
  if (settings.model && served.some((model) => model.name === settings.model)) return settings.model;
  if (served[0]) return served[0].name;
  if (settings.model && models.some((model) => model.name === settings.model)) return settings.model;
  return models[0]?.name ?? null;
}

/** The stored preset if it exists (or Custom), else the server default. */
export function resolvePreset(settings: ChatSettings, listing: ModelListing | undefined): string {
  if (settings.preset === CUSTOM_PRESET) return CUSTOM_PRESET;
  const presets = listing?.presets ?? [];
  return presets.some((preset) => preset.name === settings.preset) ? settings.preset : (presets[0]?.name ?? DEFAULT_SETTINGS.preset);
}

/** The values the sliders show: the preset's, or the custom ones. */
export function effectiveSampling(settings: ChatSettings, listing: ModelListing | undefined): Sampling {
  const preset = resolvePreset(settings, listing);
  if (preset === CUSTOM_PRESET) return settings.custom;
  return listing?.presets.find((candidate) => candidate.name === preset)?.sampling ?? settings.custom;
}

/** What a reply request sends; null while the model list has not loaded. */
export function replyOptions(settings: ChatSettings, listing: ModelListing | undefined): ReplyOptions | null {
  const modelConfigName = resolveModel(settings, listing);
  if (!modelConfigName || !listing) return null;
  const preset = resolvePreset(settings, listing);
  const instructions = {
    userProfile: settings.userProfile.trim() || null,
    userResponseInstructions: settings.userResponseInstructions.trim() || null,
  };
  if (preset !== CUSTOM_PRESET) return { modelConfigName, preset, ...instructions };
  const { maxNewTokens, ...rest } = settings.custom;
  // max_new_tokens cannot be switched off on the server: "off" leaves the preset's 1024.
  return { modelConfigName, preset: listing.presets[0]?.name, sampling: { ...rest, ...(maxNewTokens !== null ? { maxNewTokens } : {}) }, ...instructions };
}
