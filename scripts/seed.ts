/** `npm run db:seed`: fills an empty database with the demo users and trees. */
import { connectDatabase } from "../src/server/db/client";
import { seedDemoData } from "../src/server/db/seed/seed";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const { db, close } = connectDatabase(url);
const result = await seedDemoData(db);
console.log(result.seeded ? `[db] seeded: ${JSON.stringify(result)}` : "[db] not empty; nothing seeded");
await close();
