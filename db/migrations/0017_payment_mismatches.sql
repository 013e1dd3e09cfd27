CREATE TABLE "payment_mismatches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "payment_mismatches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"out_trade_no" text NOT NULL,
	"kind" text NOT NULL,
	"resolution" text NOT NULL,
	"expected_amount" bigint NOT NULL,
	"provider_amount" bigint,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payment_attempts" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payment_mismatches" ADD CONSTRAINT "payment_mismatches_channel_id_payment_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."payment_channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payment_mismatches_key" ON "payment_mismatches" USING btree ("channel_id","out_trade_no","kind");--> statement-breakpoint
CREATE INDEX "payment_mismatches_merchant_idx" ON "payment_mismatches" USING btree ("merchant_id","created_at");--> statement-breakpoint
ALTER TABLE "payment_mismatches" ADD CONSTRAINT "payment_mismatches_kind_check" CHECK ("kind" IN ('paid_not_recorded', 'amount_different', 'unknown_there'));--> statement-breakpoint
ALTER TABLE "payment_mismatches" ADD CONSTRAINT "payment_mismatches_resolution_check" CHECK ("resolution" IN ('recovered', 'held', 'alerted'));--> statement-breakpoint
CREATE INDEX "payment_attempts_unverified_idx" ON "payment_attempts" ("paid_at") WHERE "status" = 'paid' AND "verified_at" IS NULL;
