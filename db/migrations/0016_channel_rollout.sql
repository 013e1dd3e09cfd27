ALTER TABLE "payment_channels" ADD COLUMN "rollout_percent" integer DEFAULT 100 NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_channels" ADD COLUMN "rollout_salt" text DEFAULT md5(random()::text) NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_channels" ADD COLUMN "rollout_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payment_channels" ADD CONSTRAINT "payment_channels_rollout_percent_check" CHECK ("rollout_percent" BETWEEN 0 AND 100);
