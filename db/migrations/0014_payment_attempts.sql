CREATE TABLE "payment_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"out_trade_no" text NOT NULL,
	"status" text DEFAULT 'creating' NOT NULL,
	"lease_until" timestamp with time zone,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"action" jsonb,
	"provider_ref" text,
	"trade_no" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_channel_id_payment_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."payment_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_attempts_out_trade_no_key" ON "payment_attempts" USING btree ("out_trade_no");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_attempts_order_seq_key" ON "payment_attempts" USING btree ("order_id","seq");--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_status_check" CHECK ("status" IN ('creating', 'open', 'failed', 'paid'));--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD CONSTRAINT "payment_attempts_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;
