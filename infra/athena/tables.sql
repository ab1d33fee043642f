-- Athena tables over Relance's report files (docs/kpis.md defines every column).
-- Written by infra/athena/ddl.py from the report's column lists: do not edit by hand.
--
-- Replace <ReportsBucketName> with the stack's output of that name, then run each
-- statement in the Athena console (or `aws athena start-query-execution`).
-- The raw tables read the CSV files as written, every column a string; each partition
-- folder holds several files, so the typed views keep the rows of one file name each
-- ("$path"). Query the views. Partition projection: no MSCK REPAIR needed; `shop` is
-- injected, so every query names the shop (WHERE shop = '...').
--
-- tests/e2e/test_athena_queries.py runs the views and infra/athena/queries/*.sql
-- with DuckDB over the files the demo's report wrote.

-- kpis.csv: one row per shop, cohort day and currency
CREATE EXTERNAL TABLE IF NOT EXISTS relance_kpis_raw (
  shop_id string,
  cohort_date string,
  currency string,
  carts string,
  abandoned string,
  eligible string,
  reminded string,
  emails_sent string,
  emails_sent_step1 string,
  emails_sent_step2 string,
  emails_sent_step3 string,
  delivered string,
  opened string,
  clicked string,
  clicked_cart_link string,
  clicked_product_link string,
  bounced string,
  complained string,
  unsubscribed string,
  recovered_orders string,
  recovered_revenue string,
  natural_orders string,
  natural_revenue string,
  recovery_rate string,
  revenue_per_recipient string,
  post_click_conversion_rate string,
  bounce_rate string,
  complaint_rate string,
  unsubscribe_rate string,
  open_rate_unreliable string,
  incentives_given string,
  aws_cost_usd string,
  incentive_cost string,
  net_recovered_margin string,
  holdout_carts string,
  holdout_orders string,
  holdout_revenue string,
  natural_recovery_rate string,
  incremental_recovery_rate string,
  incremental_rate_ci95_low string,
  incremental_rate_ci95_high string,
  incremental_revenue string,
  minutes_to_recovery_mean string,
  minutes_to_recovery_median string
)
PARTITIONED BY (shop string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
STORED AS TEXTFILE
LOCATION 's3://<ReportsBucketName>/kpis/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.shop.type' = 'injected',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'storage.location.template' = 's3://<ReportsBucketName>/kpis/shop=${shop}/date=${date}/'
);

-- kpis_by_step.csv: one row per shop, cohort day, currency, step and variant
CREATE EXTERNAL TABLE IF NOT EXISTS relance_kpis_by_step_raw (
  shop_id string,
  cohort_date string,
  currency string,
  step string,
  variant string,
  sent string,
  delivered string,
  opened string,
  clicked string,
  clicked_cart_link string,
  clicked_product_link string,
  bounced string,
  complained string,
  unsubscribed string,
  recovered_orders string,
  recovered_revenue string
)
PARTITIONED BY (shop string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
STORED AS TEXTFILE
LOCATION 's3://<ReportsBucketName>/kpis/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.shop.type' = 'injected',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'storage.location.template' = 's3://<ReportsBucketName>/kpis/shop=${shop}/date=${date}/'
);

-- kpis_by_segment.csv: one row per shop, cohort day, currency and customer segment
CREATE EXTERNAL TABLE IF NOT EXISTS relance_kpis_by_segment_raw (
  shop_id string,
  cohort_date string,
  currency string,
  segment string,
  carts string,
  abandoned string,
  eligible string,
  reminded string,
  emails_sent string,
  emails_sent_step1 string,
  emails_sent_step2 string,
  emails_sent_step3 string,
  delivered string,
  opened string,
  clicked string,
  clicked_cart_link string,
  clicked_product_link string,
  bounced string,
  complained string,
  unsubscribed string,
  recovered_orders string,
  recovered_revenue string,
  natural_orders string,
  natural_revenue string,
  recovery_rate string,
  revenue_per_recipient string,
  post_click_conversion_rate string,
  bounce_rate string,
  complaint_rate string,
  unsubscribe_rate string,
  open_rate_unreliable string,
  incentives_given string,
  aws_cost_usd string,
  incentive_cost string,
  net_recovered_margin string,
  holdout_carts string,
  holdout_orders string,
  holdout_revenue string,
  natural_recovery_rate string,
  incremental_recovery_rate string,
  incremental_rate_ci95_low string,
  incremental_rate_ci95_high string,
  incremental_revenue string,
  minutes_to_recovery_mean string,
  minutes_to_recovery_median string
)
PARTITIONED BY (shop string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
STORED AS TEXTFILE
LOCATION 's3://<ReportsBucketName>/kpis/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.shop.type' = 'injected',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'storage.location.template' = 's3://<ReportsBucketName>/kpis/shop=${shop}/date=${date}/'
);

-- carts.csv: one row per cart of the cohort (no personal data)
CREATE EXTERNAL TABLE IF NOT EXISTS relance_carts_raw (
  shop_id string,
  cohort_date string,
  cart_id string,
  currency string,
  cart_total string,
  status string,
  abandoned_at string,
  abandoned string,
  eligible string,
  customer_type string,
  cart_value string,
  source string,
  variant string,
  emails_sent string,
  last_step_sent string,
  delivered string,
  opened string,
  clicked string,
  bounced string,
  complained string,
  unsubscribed string,
  flagged_for_call string,
  incentive_code string,
  incentive_cost string,
  order_id string,
  order_amount string,
  recovered string,
  holdout string,
  credited_step string,
  credited_variant string,
  credit_reason string,
  attribution string,
  credited_cart_id string,
  minutes_to_recovery string,
  minutes_since_last_email string,
  later_orders string,
  later_orders_amount string
)
PARTITIONED BY (shop string, `date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'
WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
STORED AS TEXTFILE
LOCATION 's3://<ReportsBucketName>/kpis/'
TBLPROPERTIES (
  'skip.header.line.count' = '1',
  'projection.enabled' = 'true',
  'projection.shop.type' = 'injected',
  'projection.date.type' = 'date',
  'projection.date.format' = 'yyyy-MM-dd',
  'projection.date.range' = '2024-01-01,NOW',
  'storage.location.template' = 's3://<ReportsBucketName>/kpis/shop=${shop}/date=${date}/'
);

CREATE OR REPLACE VIEW relance_kpis AS
SELECT
  shop,
  "date",
  shop_id,
  CAST(cohort_date AS DATE) AS cohort_date,
  currency,
  CAST(carts AS BIGINT) AS carts,
  CAST(abandoned AS BIGINT) AS abandoned,
  CAST(eligible AS BIGINT) AS eligible,
  CAST(reminded AS BIGINT) AS reminded,
  CAST(emails_sent AS BIGINT) AS emails_sent,
  CAST(emails_sent_step1 AS BIGINT) AS emails_sent_step1,
  CAST(emails_sent_step2 AS BIGINT) AS emails_sent_step2,
  CAST(emails_sent_step3 AS BIGINT) AS emails_sent_step3,
  CAST(delivered AS BIGINT) AS delivered,
  CAST(opened AS BIGINT) AS opened,
  CAST(clicked AS BIGINT) AS clicked,
  CAST(clicked_cart_link AS BIGINT) AS clicked_cart_link,
  CAST(clicked_product_link AS BIGINT) AS clicked_product_link,
  CAST(bounced AS BIGINT) AS bounced,
  CAST(complained AS BIGINT) AS complained,
  unsubscribed,
  CAST(recovered_orders AS BIGINT) AS recovered_orders,
  CAST(NULLIF(recovered_revenue, '') AS DECIMAL(18, 4)) AS recovered_revenue,
  CAST(natural_orders AS BIGINT) AS natural_orders,
  CAST(NULLIF(natural_revenue, '') AS DECIMAL(18, 4)) AS natural_revenue,
  CAST(NULLIF(recovery_rate, '') AS DECIMAL(9, 4)) AS recovery_rate,
  CAST(NULLIF(revenue_per_recipient, '') AS DECIMAL(18, 4)) AS revenue_per_recipient,
  CAST(NULLIF(post_click_conversion_rate, '') AS DECIMAL(9, 4)) AS post_click_conversion_rate,
  CAST(NULLIF(bounce_rate, '') AS DECIMAL(9, 4)) AS bounce_rate,
  CAST(NULLIF(complaint_rate, '') AS DECIMAL(9, 4)) AS complaint_rate,
  unsubscribe_rate,
  CAST(NULLIF(open_rate_unreliable, '') AS DECIMAL(9, 4)) AS open_rate_unreliable,
  incentives_given,
  CAST(aws_cost_usd AS DECIMAL(18, 6)) AS aws_cost_usd,
  incentive_cost,
  CAST(NULLIF(net_recovered_margin, '') AS DECIMAL(18, 4)) AS net_recovered_margin,
  CAST(holdout_carts AS BIGINT) AS holdout_carts,
  CAST(holdout_orders AS BIGINT) AS holdout_orders,
  CAST(NULLIF(holdout_revenue, '') AS DECIMAL(18, 4)) AS holdout_revenue,
  CAST(NULLIF(natural_recovery_rate, '') AS DECIMAL(9, 4)) AS natural_recovery_rate,
  CAST(NULLIF(incremental_recovery_rate, '') AS DECIMAL(9, 4)) AS incremental_recovery_rate,
  CAST(NULLIF(incremental_rate_ci95_low, '') AS DECIMAL(9, 4)) AS incremental_rate_ci95_low,
  CAST(NULLIF(incremental_rate_ci95_high, '') AS DECIMAL(9, 4)) AS incremental_rate_ci95_high,
  CAST(NULLIF(incremental_revenue, '') AS DECIMAL(18, 4)) AS incremental_revenue,
  CAST(NULLIF(minutes_to_recovery_mean, '') AS DOUBLE) AS minutes_to_recovery_mean,
  CAST(NULLIF(minutes_to_recovery_median, '') AS DOUBLE) AS minutes_to_recovery_median
FROM relance_kpis_raw
WHERE "$path" LIKE '%/kpis.csv';

CREATE OR REPLACE VIEW relance_kpis_by_step AS
SELECT
  shop,
  "date",
  shop_id,
  CAST(cohort_date AS DATE) AS cohort_date,
  currency,
  CAST(step AS BIGINT) AS step,
  variant,
  CAST(sent AS BIGINT) AS sent,
  CAST(delivered AS BIGINT) AS delivered,
  CAST(opened AS BIGINT) AS opened,
  CAST(clicked AS BIGINT) AS clicked,
  CAST(clicked_cart_link AS BIGINT) AS clicked_cart_link,
  CAST(clicked_product_link AS BIGINT) AS clicked_product_link,
  CAST(bounced AS BIGINT) AS bounced,
  CAST(complained AS BIGINT) AS complained,
  unsubscribed,
  CAST(recovered_orders AS BIGINT) AS recovered_orders,
  CAST(NULLIF(recovered_revenue, '') AS DECIMAL(18, 4)) AS recovered_revenue
FROM relance_kpis_by_step_raw
WHERE "$path" LIKE '%/kpis_by_step.csv';

CREATE OR REPLACE VIEW relance_kpis_by_segment AS
SELECT
  shop,
  "date",
  shop_id,
  CAST(cohort_date AS DATE) AS cohort_date,
  currency,
  segment,
  CAST(carts AS BIGINT) AS carts,
  CAST(abandoned AS BIGINT) AS abandoned,
  CAST(eligible AS BIGINT) AS eligible,
  CAST(reminded AS BIGINT) AS reminded,
  CAST(emails_sent AS BIGINT) AS emails_sent,
  CAST(emails_sent_step1 AS BIGINT) AS emails_sent_step1,
  CAST(emails_sent_step2 AS BIGINT) AS emails_sent_step2,
  CAST(emails_sent_step3 AS BIGINT) AS emails_sent_step3,
  CAST(delivered AS BIGINT) AS delivered,
  CAST(opened AS BIGINT) AS opened,
  CAST(clicked AS BIGINT) AS clicked,
  CAST(clicked_cart_link AS BIGINT) AS clicked_cart_link,
  CAST(clicked_product_link AS BIGINT) AS clicked_product_link,
  CAST(bounced AS BIGINT) AS bounced,
  CAST(complained AS BIGINT) AS complained,
  unsubscribed,
  CAST(recovered_orders AS BIGINT) AS recovered_orders,
  CAST(NULLIF(recovered_revenue, '') AS DECIMAL(18, 4)) AS recovered_revenue,
  CAST(natural_orders AS BIGINT) AS natural_orders,
  CAST(NULLIF(natural_revenue, '') AS DECIMAL(18, 4)) AS natural_revenue,
  CAST(NULLIF(recovery_rate, '') AS DECIMAL(9, 4)) AS recovery_rate,
  CAST(NULLIF(revenue_per_recipient, '') AS DECIMAL(18, 4)) AS revenue_per_recipient,
  CAST(NULLIF(post_click_conversion_rate, '') AS DECIMAL(9, 4)) AS post_click_conversion_rate,
  CAST(NULLIF(bounce_rate, '') AS DECIMAL(9, 4)) AS bounce_rate,
  CAST(NULLIF(complaint_rate, '') AS DECIMAL(9, 4)) AS complaint_rate,
  unsubscribe_rate,
  CAST(NULLIF(open_rate_unreliable, '') AS DECIMAL(9, 4)) AS open_rate_unreliable,
  incentives_given,
  CAST(aws_cost_usd AS DECIMAL(18, 6)) AS aws_cost_usd,
  incentive_cost,
  CAST(NULLIF(net_recovered_margin, '') AS DECIMAL(18, 4)) AS net_recovered_margin,
  CAST(holdout_carts AS BIGINT) AS holdout_carts,
  CAST(holdout_orders AS BIGINT) AS holdout_orders,
  CAST(NULLIF(holdout_revenue, '') AS DECIMAL(18, 4)) AS holdout_revenue,
  CAST(NULLIF(natural_recovery_rate, '') AS DECIMAL(9, 4)) AS natural_recovery_rate,
  CAST(NULLIF(incremental_recovery_rate, '') AS DECIMAL(9, 4)) AS incremental_recovery_rate,
  CAST(NULLIF(incremental_rate_ci95_low, '') AS DECIMAL(9, 4)) AS incremental_rate_ci95_low,
  CAST(NULLIF(incremental_rate_ci95_high, '') AS DECIMAL(9, 4)) AS incremental_rate_ci95_high,
  CAST(NULLIF(incremental_revenue, '') AS DECIMAL(18, 4)) AS incremental_revenue,
  CAST(NULLIF(minutes_to_recovery_mean, '') AS DOUBLE) AS minutes_to_recovery_mean,
  CAST(NULLIF(minutes_to_recovery_median, '') AS DOUBLE) AS minutes_to_recovery_median
FROM relance_kpis_by_segment_raw
WHERE "$path" LIKE '%/kpis_by_segment.csv';

CREATE OR REPLACE VIEW relance_carts AS
SELECT
  shop,
  "date",
  shop_id,
  CAST(cohort_date AS DATE) AS cohort_date,
  cart_id,
  currency,
  CAST(NULLIF(cart_total, '') AS DECIMAL(18, 4)) AS cart_total,
  status,
  CAST(replace(substr(abandoned_at, 1, 19), 'T', ' ') AS TIMESTAMP) AS abandoned_at_utc,
  abandoned = 'true' AS abandoned,
  eligible = 'true' AS eligible,
  customer_type,
  cart_value,
  source,
  variant,
  CAST(emails_sent AS BIGINT) AS emails_sent,
  CAST(last_step_sent AS BIGINT) AS last_step_sent,
  delivered = 'true' AS delivered,
  opened = 'true' AS opened,
  clicked = 'true' AS clicked,
  bounced = 'true' AS bounced,
  complained = 'true' AS complained,
  unsubscribed,
  flagged_for_call,
  incentive_code,
  incentive_cost,
  order_id,
  CAST(NULLIF(order_amount, '') AS DECIMAL(18, 4)) AS order_amount,
  recovered = 'true' AS recovered,
  holdout = 'true' AS holdout,
  CAST(credited_step AS BIGINT) AS credited_step,
  credited_variant,
  credit_reason,
  attribution,
  credited_cart_id,
  CAST(NULLIF(minutes_to_recovery, '') AS DOUBLE) AS minutes_to_recovery,
  CAST(NULLIF(minutes_since_last_email, '') AS DOUBLE) AS minutes_since_last_email,
  CAST(later_orders AS BIGINT) AS later_orders,
  CAST(NULLIF(later_orders_amount, '') AS DECIMAL(18, 4)) AS later_orders_amount
FROM relance_carts_raw
WHERE "$path" LIKE '%/carts.csv';
