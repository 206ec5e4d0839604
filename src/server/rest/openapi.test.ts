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
      "GET /api/v1/messages", "GET /api/v1/messages/cursor", "POST /api/v1/messages/{message_id}/edit", "GET /api/v1/messages/{message_id}/history",
      "GET /api/v1/messages/{message_id}/longest_conversation_in_tree", "GET /api/v1/frontend_messages/{message_id}/max_children_in_tree",
      "GET /api/v1/users/by_username", "GET /api/v1/users/by_display_name", "GET /api/v1/users/cursor", "GET /api/v1/users/{user_id}/stats/{time_frame}/window",
      "GET /api/v1/users/{user_id}/messages/cursor", "DELETE /api/v1/users/{user_id}/messages", "GET /api/v1/frontend_users",
      "GET /api/v1/stats", "GET /api/v1/stats/tree_manager", "GET /api/v1/stats/tree_manager/state_counts", "GET /api/v1/stats/tree_manager/message_counts",
      "GET /api/v1/stats/cached/{name}", "POST /api/v1/stats/cached/update", "POST /api/v1/leaderboards/update/{time_frame}",
    ]));
  });

  it("describes bodies from the handlers' own schemas", () => {
    const document = openApiDocument() as unknown as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Task", "Interaction", "Message", "MessageRead", "ErrorBody", "User", "MessagePage", "FrontEndUserPage", "UserScore", "MessageRevision", "TreeManagerStats", "CachedStatsResponse"]));
    expect(Object.keys(document.components.schemas.ErrorBody!.properties!)).toEqual(expect.arrayContaining(["error_code", "message"]));
  });
});
