ALTER TABLE "orders" ADD COLUMN "review" text;--> statement-breakpoint
CREATE INDEX "orders_review_queue_idx" ON "orders" USING btree ("merchant_id","created_at") WHERE review = 'pending';--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_review_check" CHECK ("orders"."review" IN ('pending', 'approved', 'rejected'));