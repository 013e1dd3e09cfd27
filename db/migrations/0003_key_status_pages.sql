DROP INDEX "card_keys_product_status_idx";--> statement-breakpoint
CREATE INDEX "card_keys_product_status_id_idx" ON "card_keys" USING btree ("product_id","status","id");