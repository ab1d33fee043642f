-- Emails, deliveries, clicks, bounces and recoveries by step and variant over a period.
-- Parameters: shop id, first day, last day (YYYY-MM-DD).
SELECT
  step,
  variant,
  SUM(sent) AS sent,
  SUM(delivered) AS delivered,
  SUM(clicked) AS clicked,
  SUM(bounced) AS bounced,
  SUM(recovered_orders) AS recovered_orders,
  SUM(recovered_revenue) AS recovered_revenue
FROM relance_kpis_by_step
WHERE shop = ? AND "date" BETWEEN ? AND ?
GROUP BY step, variant
ORDER BY step, variant
