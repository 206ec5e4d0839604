"use client";

import { ThemeProvider as NextThemesProvider } from "next-themes";

/** Light and dark themes following the system setting unless the user picks one (stored in localStorage). */
export function ThemeProvider({ children, nonce }: { children: React.ReactNode; nonce?: string }) {
  return (
    <NextThemesProvider attribute="class" defaultTheme="system" enableSystem disableTransitionOnChange nonce={nonce}>
      {children}
    </NextThemesProvider>
  );
}
