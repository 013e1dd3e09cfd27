CREATE TYPE "public"."coupon_scope" AS ENUM('all', 'products', 'categories');--> statement-breakpoint
CREATE TYPE "public"."coupon_type" AS ENUM('fixed', 'percent');--> statement-breakpoint
CREATE TYPE "public"."coupon_redemption_status" AS ENUM('reserved', 'committed', 'released');--> statement-breakpoint
CREATE TABLE "coupon_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text DEFAULT '' NOT NULL,
	"count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coupon_redemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"coupon_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"email_norm" text NOT NULL,
	"status" "coupon_redemption_status" DEFAULT 'reserved' NOT NULL,
	"over_limit" boolean DEFAULT false NOT NULL,
	"discount" bigint NOT NULL,
	"currency" text NOT NULL,
	"reserved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	"released_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"batch_id" uuid,
	"code" text NOT NULL,
	"code_norm" text NOT NULL,
	"type" "coupon_type" NOT NULL,
	"value" bigint NOT NULL,
	"currency" text DEFAULT 'CNY' NOT NULL,
	"max_discount" bigint,
	"min_amount" bigint DEFAULT 0 NOT NULL,
	"scope" "coupon_scope" DEFAULT 'all' NOT NULL,
	"product_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"category_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"agent_shops" boolean DEFAULT false NOT NULL,
	"stack_wholesale" boolean DEFAULT true NOT NULL,
	"allow_free" boolean DEFAULT false NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"total_limit" integer,
	"per_email_limit" integer,
	"used_count" integer DEFAULT 0 NOT NULL,
	"reserved_count" integer DEFAULT 0 NOT NULL,
	"over_limit_count" integer DEFAULT 0 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_counts_check" CHECK ("coupons"."used_count" >= 0 AND "coupons"."reserved_count" >= 0 AND "coupons"."over_limit_count" >= 0),
	CONSTRAINT "coupons_limit_check" CHECK ("coupons"."total_limit" IS NULL OR "coupons"."used_count" + "coupons"."reserved_count" <= "coupons"."total_limit")
);
--> statement-breakpoint
ALTER TABLE "coupon_batches" ADD CONSTRAINT "coupon_batches_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_id_coupons_id_fk" FOREIGN KEY ("coupon_id") REFERENCES "public"."coupons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_batch_id_coupon_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."coupon_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coupon_batches_merchant_created_idx" ON "coupon_batches" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "coupon_redemptions_order_key" ON "coupon_redemptions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "coupon_redemptions_coupon_email_idx" ON "coupon_redemptions" USING btree ("coupon_id","email_norm");--> statement-breakpoint
CREATE INDEX "coupon_redemptions_coupon_reserved_idx" ON "coupon_redemptions" USING btree ("coupon_id","reserved_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_merchant_code_key" ON "coupons" USING btree ("merchant_id","code_norm");--> statement-breakpoint
CREATE INDEX "coupons_merchant_created_idx" ON "coupons" USING btree ("merchant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "coupons_batch_idx" ON "coupons" USING btree ("batch_id","id") WHERE batch_id IS NOT NULL;