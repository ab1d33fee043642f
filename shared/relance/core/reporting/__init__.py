"""What finance reads: the daily KPIs, the fact rows, the cost model and the hold-out lift."""
