-- Abandoned carts, recoveries and time to recovery by customer type over a period.
-- Parameters: shop id, first day, last day (YYYY-MM-DD).
SELECT
  customer_type,
  COUNT(*) AS abandoned_carts,
  SUM(CASE WHEN emails_sent > 0 THEN 1 ELSE 0 END) AS reminded,
  SUM(CASE WHEN recovered THEN 1 ELSE 0 END) AS recovered_orders,
  SUM(CASE WHEN recovered THEN order_amount ELSE 0 END) AS recovered_revenue,
  AVG(minutes_to_recovery) AS mean_minutes_to_recovery
FROM relance_carts
WHERE shop = ? AND "date" BETWEEN ? AND ? AND abandoned
GROUP BY customer_type
ORDER BY customer_type
