-- wrk script: GET /api/v1/residents/{id} with ids drawn from the file given after `--`,
-- signed in with the token in LINLI_BENCH_TOKEN.
local ids = {}
local token = os.getenv("LINLI_BENCH_TOKEN")

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  math.randomseed(os.time() + #ids)
end

function request()
  return wrk.format("GET", "/api/v1/residents/" .. ids[math.random(#ids)], { ["Authorization"] = "Bearer " .. token })
end
