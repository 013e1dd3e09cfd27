CREATE TABLE "risk_challenge_uses" (
	"signature" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "risk_events" ADD COLUMN "score" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "risk_rules" ADD COLUMN "source" text DEFAULT 'merchant' NOT NULL;