CREATE TABLE "risk_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "risk_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"merchant_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"action" text NOT NULL,
	"address" text,
	"email_norm" text,
	"product_id" uuid,
	"order_no" text,
	"reasons" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_policies" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "buyer_key" text;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "email_norm" text;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_policies" ADD CONSTRAINT "risk_policies_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "risk_events_merchant_created_idx" ON "risk_events" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_pending_buyer_idx" ON "orders" USING btree ("merchant_id","buyer_key") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "orders_pending_email_norm_idx" ON "orders" USING btree ("merchant_id","email_norm") WHERE status = 'pending';