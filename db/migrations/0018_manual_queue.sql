ALTER TABLE "orders" ADD COLUMN "manual_queue_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "orders_manual_queue_idx" ON "orders" ("merchant_id", "manual_queue_at") WHERE "manual_queue_at" IS NOT NULL AND "status" = 'pending';
