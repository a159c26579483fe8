-- wrk script of bench/procurement: create → submit → approve cycles. Run with as many threads
-- as connections (-t N -c N): each thread then drives one connection through its own cycle
-- (the engineer creates and submits, the manager approves), which a script shared by several
-- connections could not do. Arguments after `--`: engineer cookie, manager cookie, origin,
-- comma-separated supplier ids.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  engineer, manager, origin = args[1], args[2], args[3]
  suppliers = {}
  for s in string.gmatch(args[4], "[^,]+") do
    table.insert(suppliers, s)
  end
  step, doc, n = 0, nil, id or 0
  approved, failed = 0, 0
end

local function post(path, cookie, body)
  return wrk.format("POST", path, {
    ["content-type"] = "application/json",
    ["origin"] = origin,
    ["cookie"] = cookie,
  }, body)
end

function request()
  if step == 0 then
    n = n + 1
    local a, b = suppliers[(n % #suppliers) + 1], suppliers[((n + 1) % #suppliers) + 1]
    return post("/api/v1/requisitions", engineer, string.format(
      '{"purpose":"daily_operations","needed_by":"2027-01-15","lines":['
        .. '{"description":"Deep groove ball bearing 6205-2RS","quantity":"12","unit":"pcs","estimated_unit_price":"4.80","supplier_id":"%s"},'
        .. '{"description":"V-belt A42","quantity":"6","unit":"pcs","estimated_unit_price":"11.25","supplier_id":"%s"}]}', a, b))
  elseif step == 1 then
    return post("/api/v1/requisitions/" .. doc .. "/submit", engineer, "{}")
  else
    return post("/api/v1/requisitions/" .. doc .. "/approve", manager, '{"comment":"ok"}')
  end
end

function response(status, headers, body)
  if status >= 300 then
    failed = failed + 1
    step = 0
    return
  end
  if step == 0 then
    doc = string.match(body, '"id":"([0-9a-f%-]+)"')
    step = doc and 1 or 0
  elseif step == 1 then
    step = 2
  else
    if string.find(body, '"status":"approved"', 1, true) then
      approved = approved + 1
    else
      failed = failed + 1
    end
    step = 0
  end
end

function done(summary, latency, requests)
  local cycles, failures = 0, 0
  for _, t in ipairs(threads) do
    cycles = cycles + t:get("approved")
    failures = failures + t:get("failed")
  end
  local seconds = summary.duration / 1e6
  -- RESULT cycles/s cycles failures requests/s p50 p95 p99 (ms, per request) mean cycle ms
  io.write(string.format("RESULT %.1f %d %d %.1f %.3f %.3f %.3f %.1f\n",
    cycles / seconds, cycles, failures + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    cycles > 0 and (#threads * seconds * 1000 / cycles) or 0))
end
