import { serve } from "inngest/next";
import type { NextRequest } from "next/server";
import { inngest, isInngestConfigured } from "@/server/inngest/client";
import { inngestFunctions } from "@/server/inngest/serve";

const handler = serve({ client: inngest, functions: inngestFunctions });

/**
 * Inngest calls this endpoint to sync and run our functions. Without Inngest configured the jobs run in-process
 * and there is nothing to serve, so it answers 404 instead of the SDK's "no signing key" 500 (stack-notes G10).
 */
function guarded(method: (request: NextRequest, context: unknown) => Promise<Response>) {
  return (request: NextRequest, context: unknown) =>
    isInngestConfigured()
      ? method(request, context)
      : Response.json({ message: "Inngest is not configured: background jobs run inside the app process." }, { status: 404 });
}

export const GET = guarded(handler.GET);
export const POST = guarded(handler.POST);
export const PUT = guarded(handler.PUT);
