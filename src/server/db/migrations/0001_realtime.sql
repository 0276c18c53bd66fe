CREATE TABLE "realtime_relays" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "timer_warned_minutes" integer;--> statement-breakpoint
CREATE INDEX "realtime_relays_created_idx" ON "realtime_relays" USING btree ("created_at");