-- Recovered revenue and recovery rate of a shop over a period of cohort days.
-- Parameters: shop id, first day, last day (YYYY-MM-DD).
SELECT
  currency,
  SUM(reminded) AS reminded,
  SUM(emails_sent) AS emails_sent,
  SUM(recovered_orders) AS recovered_orders,
  SUM(recovered_revenue) AS recovered_revenue,
  SUM(natural_orders) AS natural_orders,
  CAST(SUM(recovered_orders) AS DOUBLE) / NULLIF(SUM(reminded), 0) AS recovery_rate
FROM relance_kpis
WHERE shop = ? AND "date" BETWEEN ? AND ?
GROUP BY currency
ORDER BY currency
