import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTimeZone, getTranslations } from "next-intl/server";
import { SiteHeader } from "@/components/layout/site-header";
import { ThemeProvider } from "@/components/layout/theme-provider";
import { TimeZoneCookie } from "@/components/layout/time-zone-cookie";
import { textDirection } from "@/i18n/config";
import { TRPCReactProvider } from "@/trpc/react";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("common");
  return {
    title: { default: t("appName"), template: `%s · ${t("appName")}` },
    description: t("meta.description"),
    // Files in public/: the ICO for browsers that ask for /favicon.ico, the SVG for the others.
    icons: {
      icon: [{ url: "/favicon.ico", sizes: "48x48" }, { url: "/icon.svg", type: "image/svg+xml" }],
      apple: "/apple-touch-icon.png",
    },
    manifest: "/manifest.webmanifest",
  };
}

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fcfcfc" },
    { media: "(prefers-color-scheme: dark)", color: "#17181c" },
  ],
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const [locale, timeZone, t] = await Promise.all([getLocale(), getTimeZone(), getTranslations("common")]);
  // The CSP nonce of this response (src/proxy.ts); the theme's inline script needs it to run.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang={locale} dir={textDirection(locale)} suppressHydrationWarning className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-dvh font-sans">
        <a href="#content" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-card focus:px-3 focus:py-2">
          {t("skipToContent")}
        </a>
        <ThemeProvider nonce={nonce}>
          <NextIntlClientProvider>
            <TRPCReactProvider>
              <TimeZoneCookie current={timeZone} />
              <SiteHeader />
              <main id="content" className="mx-auto w-full max-w-6xl px-4 py-8">
                {children}
              </main>
            </TRPCReactProvider>
          </NextIntlClientProvider>
        </ThemeProvider>
      </body>
    </html>
  );
}
