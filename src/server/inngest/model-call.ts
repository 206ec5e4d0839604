import { NonRetriableError } from "inngest";
import { ModelApiError } from "@/server/domain/embeddings/http";

/**
 * A model API call inside a step: failures that a retry cannot fix (a wrong token, an unknown model, a malformed
 * answer) become NonRetriableError, so neither Inngest nor the in-process runner keeps hammering the API.
 */
export async function modelCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ModelApiError && !error.retriable) throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
}
