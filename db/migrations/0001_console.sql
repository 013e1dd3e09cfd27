ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_login_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "refunded_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "audit_log_merchant_action_created_idx" ON "audit_log" USING btree ("merchant_id","action","created_at");--> statement-breakpoint
CREATE INDEX "orders_merchant_product_created_idx" ON "orders" USING btree ("merchant_id","product_id","created_at","id");--> statement-breakpoint
CREATE INDEX "orders_merchant_channel_created_idx" ON "orders" USING btree ("merchant_id","channel_id","created_at","id");