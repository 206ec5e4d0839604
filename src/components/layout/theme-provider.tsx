"use client";

import { ThemeProvider as NextThemesProvider } from "next-themes";

/** Light and dark themes following the system setting unless the user picks one (stored in localStorage). */
export function ThemeProvider({ children }: { children: React.ReactNode }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange>
      {children}
    </NextThemesProvider>
  );
}
