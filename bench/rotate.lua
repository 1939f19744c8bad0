-- wrk script: each request signs in as the next of many seeded people (session cookie); a POST
-- also sends the CSRF cookie and the X-CSRFToken header, as the site's htmx requests do.
-- Arguments after `--`: cookie file ("-" for none: anonymous), method, expected status, body.
-- Each line of the cookie file: "<sessionid> <csrftoken>".

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  creds = {}
  if args[1] and args[1] ~= "-" then
    for line in io.lines(args[1]) do
      local session, csrf = line:match("^(%S+)%s+(%S+)")
      if session then creds[#creds + 1] = { session, csrf } end
    end
  end
  method = args[2] or "GET"
  expected = tonumber(args[3] or "200")
  body = args[4]
  unexpected = 0
  counter = 1
  if #creds > 0 then counter = ((id - 1) * 7919) % #creds + 1 end -- threads start apart
end

function request()
  local headers = {}
  if #creds > 0 then
    local cred = creds[counter]
    counter = counter % #creds + 1
    headers["Cookie"] = "sessionid=" .. cred[1] .. "; csrftoken=" .. cred[2]
    if method == "POST" then headers["X-CSRFToken"] = cred[2] end
  end
  if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(method, nil, headers, body)
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("unexpected") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, "mean_us": %.1f, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, '
      .. '"errors_timeout": %d, "non_2xx_3xx": %d, "unexpected_status": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
    e.status, bad))
end
