import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { staticSecurityHeaders } from "./src/lib/web-security";

const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "postgres"],
  // Migrations are read by path at run time; keep them next to a standalone build.
  outputFileTracingIncludes: { "/**": ["./drizzle/**/*"] },
  poweredByHeader: false,
  // Every response, static files included (the per-page CSP with its nonce comes from src/proxy.ts).
  async headers() {
    const production = process.env.NODE_ENV === "production";
    const headers = Object.entries(staticSecurityHeaders({ production })).map(([key, value]) => ({ key, value }));
    return [{ source: "/:path*", headers }];
  },
  // The original inference server's chat API answers at the origin, as in the product's examples (src/server/rest).
  rewrites: async () => [
    { source: "/chats", destination: "/api/inference/chats" },
    { source: "/chats/:path*", destination: "/api/inference/chats/:path*" },
    { source: "/configs/:path*", destination: "/api/inference/configs/:path*" },
  ],
  // `npm run dev` answers on both names of this machine; Next blocks dev resources (hot reload) for other origins.
  allowedDevOrigins: ["127.0.0.1", "localhost"],
  // forbidden() and src/app/forbidden.tsx: moderator pages answer a real 403 to other users.
  experimental: { authInterrupts: true },
};

export default withNextIntl(nextConfig);
