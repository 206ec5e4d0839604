"use client";

import { useSyncExternalStore } from "react";

const neverChanges = () => () => {};

/**
 * False in the server-rendered HTML and during hydration, true once React has attached the page's handlers. A control
 * whose behaviour lives in JavaScript (a menu trigger, a toggle) is disabled until then: a click before hydration
 * would otherwise be lost without a sign, on a slow phone as in a browser test.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    neverChanges,
    () => true,
    () => false,
  );
}
