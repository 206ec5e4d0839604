import { getCurrentUser } from "@/server/auth/guards";
import { getDatabase } from "@/server/db";
import { exportFileName, parseExportRequest } from "@/server/domain/dataset/export-request";
import { exportLines } from "@/server/domain/dataset/export-formats";
import { isActiveUser, isModerator } from "@/server/domain/users/access";
import { AppError } from "@/server/errors";

const jsonError = (status: number, message: string) => Response.json({ error: message }, { status });

/**
 * Streams a dataset export as a JSON Lines download for moderators and admins. Lines are produced page by page
 * (constant memory) and pulled by the response stream, so a slow client slows the export instead of buffering it.
 */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return jsonError(401, "Please sign in to download exports.");
  if (!isActiveUser(user) || !isModerator(user)) return jsonError(403, "Only moderators and admins can download exports.");
  let exportRequest;
  try {
    exportRequest = parseExportRequest(new URL(request.url).searchParams);
  } catch (error) {
    if (error instanceof AppError) return jsonError(400, error.message);
    throw error;
  }
  const lines = exportLines(getDatabase(), exportRequest.format, exportRequest.filters);
  const encoder = new TextEncoder();
  let body: ReadableStream<Uint8Array> = new ReadableStream({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`${next.value}\n`));
      } catch (error) {
        console.error("[dataset] export failed:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  if (exportRequest.gzip) body = body.pipeThrough(new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>);
  return new Response(body, {
    headers: {
      "content-type": exportRequest.gzip ? "application/gzip" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(exportRequest)}"`,
      "cache-control": "no-store",
    },
  });
}
