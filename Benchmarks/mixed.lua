-- wrk script: a mixed working day on the registry. Reads as a district officer (LINLI_BENCH_TOKEN):
-- a profile by id, a search by pinyin initials, a page of a list, the queue of requests. Writes as a
-- community worker (LINLI_BENCH_WRITER_TOKEN): edits of residents of that worker's community, each with
-- the version the last answer gave, so a correct server answers every one 200 (a 409 would be counted
-- as an error), and requests reported at a building of that community (LINLI_BENCH_BUILDING).
-- Usage: wrk -tN ... -s Benchmarks/mixed.lua URL -- READ_IDS_FILE WRITE_FILE N
-- (WRITE_FILE: "id version" lines; N: wrk's thread count, so that the threads share the residents out)
-- The mix is the weights below; later capabilities add their operations to `reads` or `writes`.

local reader = { ["Authorization"] = "Bearer " .. os.getenv("LINLI_BENCH_TOKEN") }
local writer = { ["Authorization"] = "Bearer " .. os.getenv("LINLI_BENCH_WRITER_TOKEN"), ["Content-Type"] = "application/json" }
local ids, writable, version, busy = {}, {}, {}, {}
local initials = { "zs", "wl", "lj", "wx", "zh", "cm", "lx", "yq", "zy", "wj", "ll", "hm", "sj", "xl", "gy", "zq", "lh", "cy", "wf", "zm" }

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  -- Each thread edits its own share of the writable residents, one request per resident at a time.
  local n, threads = 0, tonumber(args[3])
  for line in io.lines(args[2]) do
    local id, v = line:match("^(%S+)%s+(%d+)$")
    if id then
      n = n + 1
      if n % threads == index - 1 then writable[#writable + 1] = id; version[id] = tonumber(v) end
    end
  end
  math.randomseed(os.time() * 7 + index)
end

local function profile() return wrk.format("GET", "/api/v1/residents/" .. ids[math.random(#ids)], reader) end
local function search() return wrk.format("GET", "/api/v1/residents?q=" .. initials[math.random(#initials)], reader) end
local function list()
  if math.random(2) == 1 then
    return wrk.format("GET", "/api/v1/residents?per_page=20&page=" .. math.random(50), reader)
  end
  return wrk.format("GET", "/api/v1/households?per_page=20&page=" .. math.random(50), reader)
end

-- A resident's phone number changed: a real write (the number encrypted, an update event, an audit entry).
local function edit_resident()
  for _ = 1, 8 do
    local id = writable[math.random(#writable)]
    if not busy[id] then
      busy[id] = true
      local phone = string.format("139%08d", math.random(0, 99999999))
      return wrk.format("PATCH", "/api/v1/residents/" .. id, writer,
        '{"phone":"' .. phone .. '","version":' .. version[id] .. '}')
    end
  end
  return nil
end

-- A grid event reported on a round: a new request at a building of the writer's community (its
-- number, its first step, its tally and its audit entry in one transaction).
local building = os.getenv("LINLI_BENCH_BUILDING")
local function submit_request()
  return wrk.format("POST", "/api/v1/requests", writer,
    '{"category_code":"SJ0101","description":"巡查发现垃圾堆放","building_id":"' .. building .. '"}')
end
-- The district's queue of requests waiting to be accepted or dispatched.
local function queue() return wrk.format("GET", "/api/v1/requests?status=reported,accepted", reader) end

local reads = { { weight = 50, make = profile }, { weight = 20, make = search }, { weight = 15, make = list }, { weight = 5, make = queue } }
local writes = { { weight = 5, make = edit_resident }, { weight = 5, make = submit_request } }

local mix, total = {}, 0
for _, group in ipairs({ reads, writes }) do
  for _, op in ipairs(group) do total = total + op.weight; mix[#mix + 1] = { total, op.make } end
end

function request()
  local r = math.random() * total
  for _, entry in ipairs(mix) do
    if r <= entry[1] then
      local req = entry[2]()
      if req then return req end
      break
    end
  end
  return profile()
end

-- An edit's answer is the resident with its new version: free it for the next edit.
function response(status, headers, body)
  if status == 200 and body:sub(1, 9) ~= '{"items":' then
    local id = body:match('"id":"([^"]+)"')
    if id and busy[id] then
      local v = body:match('"version":(%d+)')
      if v then version[id] = tonumber(v) end
      busy[id] = nil
    end
  end
end
