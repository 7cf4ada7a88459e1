-- wrk script for bench/web_load.py: after a run, print one line "RESULT {json}"
-- with the request count, requests per second, latency percentiles in
-- milliseconds (wrk's own --latency lists no 95th) and the error counts
-- (status: responses that were not 2xx or 3xx).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "mean_ms": %.2f, "p50_ms": %.2f, ' ..
    '"p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "socket_errors": %d, "non_2xx_3xx": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
