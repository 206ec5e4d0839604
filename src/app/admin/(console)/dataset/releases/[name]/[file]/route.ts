import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { getCurrentUser } from "@/server/auth/guards";
import { DEFAULT_RELEASE_ROOT, releaseFilePath } from "@/server/domain/dataset/release";
import { isActiveUser } from "@/server/domain/users/access";
import { AppError } from "@/server/errors";

const jsonError = (status: number, message: string) => Response.json({ error: message }, { status });

const TYPES: Record<string, string> = { ".json": "application/json", ".md": "text/markdown; charset=utf-8", ".jsonl": "application/jsonl" };

/** Downloads one file of a dataset release, streamed from disk. Admins only. */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string; file: string }> }) {
  const user = await getCurrentUser();
  if (!user) return jsonError(401, "Please sign in to download releases.");
  if (!isActiveUser(user) || user.role !== "admin") return jsonError(403, "Only admins can download releases.");
  const { name, file } = await params;
  let full: string;
  try {
    full = releaseFilePath(DEFAULT_RELEASE_ROOT, name, file);
  } catch (error) {
    if (error instanceof AppError) return jsonError(400, error.message);
    throw error;
  }
  const size = await stat(full).then((s) => s.size, () => null);
  if (size === null) return jsonError(404, `Release "${name}" has no file ${file}.`);
  const extension = file.slice(file.lastIndexOf("."));
  return new Response(Readable.toWeb(createReadStream(full)) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": TYPES[extension] ?? "application/octet-stream",
      "content-length": String(size),
      "content-disposition": `attachment; filename="${name}-${file}"`,
    },
  });
}
