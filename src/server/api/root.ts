import { adminRouter } from "./routers/admin/router";
import { apiClientsRouter } from "./routers/api-clients/router";
import { arenaRouter } from "./routers/arena/router";
import { chatRouter } from "./routers/chat/router";
import { healthRouter } from "./routers/health/router";
import { inferenceRouter } from "./routers/inference/router";
import { leaderboardRouter } from "./routers/leaderboard/router";
import { messagesRouter } from "./routers/messages/router";
import { moderationRouter } from "./routers/moderation/router";
import { qualityRouter } from "./routers/quality/router";
import { statsRouter } from "./routers/stats/router";
import { tasksRouter } from "./routers/tasks/router";
import { usersRouter } from "./routers/users/router";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  users: usersRouter,
  apiClients: apiClientsRouter,
  tasks: tasksRouter,
  messages: messagesRouter,
  moderation: moderationRouter,
  leaderboard: leaderboardRouter,
  stats: statsRouter,
  chat: chatRouter,
  inference: inferenceRouter,
  health: healthRouter,
  quality: qualityRouter,
  admin: adminRouter,
  arena: arenaRouter,
});

export type AppRouter = typeof appRouter;

/** Server-side caller (RSC, tests, scripts): `createCaller(ctx).users.me()`. */
export const createCaller = createCallerFactory(appRouter);
