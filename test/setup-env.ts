// Tests read metrics from counters; the EMF lines and the SDK's Node version notice would only bury the output.
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
