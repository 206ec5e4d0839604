import { relations } from "drizzle-orm";
import { accounts, sessions, users } from "./auth";
import { chatMessages, chats } from "./chat";
import { messageRevisions, messages } from "./messages";
import { messageTreeStates } from "./trees";

export const usersRelations = relations(users, ({ many }) => ({
  accounts: many(accounts),
  sessions: many(sessions),
  messages: many(messages),
  chats: many(chats),
}));
export const accountsRelations = relations(accounts, ({ one }) => ({
  user: one(users, { fields: [accounts.userId], references: [users.id] }),
}));
export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));
export const messagesRelations = relations(messages, ({ one, many }) => ({
  author: one(users, { fields: [messages.userId], references: [users.id] }),
  revisions: many(messageRevisions),
}));
export const messageRevisionsRelations = relations(messageRevisions, ({ one }) => ({
  message: one(messages, { fields: [messageRevisions.messageId], references: [messages.id] }),
}));
export const messageTreeStatesRelations = relations(messageTreeStates, ({ one }) => ({
  root: one(messages, { fields: [messageTreeStates.messageTreeId], references: [messages.id] }),
}));
export const chatsRelations = relations(chats, ({ one, many }) => ({
  user: one(users, { fields: [chats.userId], references: [users.id] }),
  messages: many(chatMessages),
}));
export const chatMessagesRelations = relations(chatMessages, ({ one }) => ({
  chat: one(chats, { fields: [chatMessages.chatId], references: [chats.id] }),
}));
