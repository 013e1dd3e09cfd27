-- Outbox consumers renamed so that a name says one thing: `webhook.deliver` (sending an
-- event to a merchant's endpoint) is now `webhook.send`, and `delivery.webhook` (asking a
-- dynamic-delivery product's URL for keys) is now `delivery.dynamic`. Rows keep their
-- dedupe keys' meaning: the consumer prefix is renamed with them.
UPDATE "outbox" SET "consumer" = 'webhook.send', "dedupe_key" = 'webhook.send' || substr("dedupe_key", length('webhook.deliver') + 1)
 WHERE "consumer" = 'webhook.deliver';
--> statement-breakpoint
UPDATE "outbox" SET "consumer" = 'delivery.dynamic', "dedupe_key" = 'delivery.dynamic' || substr("dedupe_key", length('delivery.webhook') + 1)
 WHERE "consumer" = 'delivery.webhook';
