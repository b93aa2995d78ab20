// Tests read metrics from counters; the EMF lines would only bury the output.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
