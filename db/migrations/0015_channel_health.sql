CREATE TABLE "channel_health" (
	"channel_id" uuid PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'closed' NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"opened_at" timestamp with time zone,
	"cooldown_s" integer DEFAULT 60 NOT NULL,
	"probe_lease_until" timestamp with time zone,
	"probe_successes" integer DEFAULT 0 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_stats" (
	"channel_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"ok" integer DEFAULT 0 NOT NULL,
	"fail" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "channel_stats_channel_id_minute_pk" PRIMARY KEY("channel_id","minute")
);
--> statement-breakpoint
ALTER TABLE "channel_health" ADD CONSTRAINT "channel_health_channel_id_payment_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."payment_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_stats" ADD CONSTRAINT "channel_stats_channel_id_payment_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."payment_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_health" ADD CONSTRAINT "channel_health_state_check" CHECK ("state" IN ('closed', 'open', 'half_open'));
