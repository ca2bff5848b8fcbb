-- One wrk script for every row of the bench; the first argument after `--` picks the load:
--   get <path> [bearer]                      the same request again and again (bare Hono, progress)
--   track <prefix> <n>                       GET /v1/track/<code_i> for random i in [0, n)
--   track-file <file>                        GET /v1/track/<code> for random lines of a file (PGlite's random codes)
--   report <token> <vinPrefix> <n> <version> POST /v1/reports, one report of a random vehicle
--   batch <token> <vinPrefix> <n> <version>  POST /v1/reports, 1,000 reports of random vehicles
-- Codes and VINs are derived from i exactly as test/bench/lib/fleet.ts seeds them,
-- so a million valid codes need no file. done() prints one BENCH_JSON line,
-- counting 5xx apart from other non-2xx (wrk itself lumps them together).

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

local mode, a1, a2, a3, a4
local codes
status5xx = 0
status4xx = 0

local function code_of(prefix, i) return prefix .. string.format("%010d", i) end

-- Same shape as fleet.ts: vinPrefix(3) + i div 1000 (6 digits) + 00000 + i mod 1000 (3 digits).
local function vin_of(prefix, i)
  return prefix .. string.format("%06d", math.floor(i / 1000)) .. "00000" .. string.format("%03d", i % 1000)
end

local hex = "0123456789abcdef"
local function uuid()
  local t = {}
  for k = 1, 32 do
    local r = math.random(1, 16)
    if k == 13 then r = 5 end                          -- version 4
    if k == 17 then r = 9 + (r % 4) end                -- variant 10xx
    t[k] = string.sub(hex, r, r)
  end
  local s = table.concat(t)
  return string.sub(s, 1, 8) .. "-" .. string.sub(s, 9, 12) .. "-" .. string.sub(s, 13, 16) .. "-" .. string.sub(s, 17, 20) .. "-" .. string.sub(s, 21, 32)
end

local states = { "downloading", "installing", "installed" }

local function report(prefix, n, version)
  local i = math.random(0, n - 1)
  -- Times in the recent past, at millisecond resolution: reports out of order, as in the field.
  local at = os.date("!%Y-%m-%dT%H:%M:%S", os.time() - math.random(0, 600)) .. string.format(".%03dZ", math.random(0, 999))
  return string.format('{"eventId":"%s","vin":"%s","version":"%s","state":"%s","at":"%s"}',
    uuid(), vin_of(prefix, i), version, states[math.random(1, 3)], at)
end

function init(args)
  mode, a1, a2, a3, a4 = args[1], args[2], args[3], args[4], args[5]
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919 + math.floor(os.clock() * 1e6))
  if mode == "track-file" then
    codes = {}
    for line in io.lines(a1) do codes[#codes + 1] = line end
  end
end

function request()
  if mode == "get" then
    local headers = {}
    if a2 then headers["Authorization"] = "Bearer " .. a2 end
    return wrk.format("GET", a1, headers)
  elseif mode == "track" then
    return wrk.format("GET", "/v1/track/" .. code_of(a1, math.random(0, tonumber(a2) - 1)))
  elseif mode == "track-file" then
    return wrk.format("GET", "/v1/track/" .. codes[math.random(1, #codes)])
  elseif mode == "report" or mode == "batch" then
    local headers = { ["Authorization"] = "Bearer " .. a1, ["Content-Type"] = "application/json" }
    local n = tonumber(a3)
    local body
    if mode == "report" then
      body = report(a2, n, a4)
    else
      local parts = {}
      for k = 1, 1000 do parts[k] = report(a2, n, a4) end
      body = '{"reports":[' .. table.concat(parts, ",") .. "]}"
    end
    return wrk.format("POST", "/v1/reports", headers, body)
  end
  error("unknown mode " .. tostring(mode))
end

function response(status, headers, body)
  if status >= 500 then status5xx = status5xx + 1
  elseif status >= 400 then status4xx = status4xx + 1 end
end

function done(summary, latency, requests)
  local s5, s4 = 0, 0
  for _, thread in ipairs(threads) do
    s5 = s5 + (thread:get("status5xx") or 0)
    s4 = s4 + (thread:get("status4xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"socketErrors":%d,"timeouts":%d,"status5xx":%d,"status4xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.timeout, s5, s4))
end
