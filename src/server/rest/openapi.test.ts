import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { backendRoutes, inferenceRoutes, openApiDocument } from "./index";

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and lists every REST route", async () => {
    const document = JSON.parse(JSON.stringify(openApiDocument())) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations).toHaveLength(backendRoutes.length + inferenceRoutes.length);
    expect(operations).toEqual(expect.arrayContaining([
      "POST /api/v1/tasks", "POST /api/v1/tasks/{task_id}/ack", "POST /api/v1/tasks/interaction", "GET /api/v1/messages/{message_id}/tree/state",
      "POST /chats", "POST /chats/{chat_id}/messages", "GET /chats/{chat_id}/messages/{message_id}/events", "GET /configs/model_configs",
    ]));
  });

  it("describes bodies from the handlers' own schemas", () => {
    const document = openApiDocument() as unknown as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Task", "Interaction", "Message", "MessageRead", "ErrorBody", "User"]));
    expect(Object.keys(document.components.schemas.ErrorBody!.properties!)).toEqual(expect.arrayContaining(["error_code", "message"]));
  });
});
