/**
 * A failed call to a model API. `retriable` tells the job runner whether trying again can help: network errors,
 * timeouts, 429 and 5xx (Hugging Face answers 503 while a model loads) can; other 4xx (a wrong token, an unknown
 * model, a malformed answer) cannot.
 */
export class ModelApiError extends Error {
  constructor(message: string, readonly retriable: boolean, readonly status?: number) {
    super(message);
    this.name = "ModelApiError";
  }
}

/** POSTs JSON to a model endpoint and returns the parsed answer, classifying failures for the retry policy. */
export async function postJson(url: string, body: unknown, options: { token?: string; timeoutMs?: number } = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new ModelApiError(`${url} could not be reached: ${(error as Error).message}`, true);
  }
  const text = await response.text();
  if (!response.ok) {
    const retriable = response.status === 429 || response.status >= 500;
    throw new ModelApiError(`${url} answered ${response.status}: ${text.slice(0, 300)}`, retriable, response.status);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelApiError(`${url} answered with something that is not JSON: ${text.slice(0, 100)}`, false, response.status);
  }
}
