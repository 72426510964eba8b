-- wrk script: the bare route /livez, built request by request in Lua with the same Authorization
-- header as by-id.lua, so that the client's own cost is the same on both sides of the comparison.
local token = os.getenv("LINLI_BENCH_TOKEN")

function request()
  return wrk.format("GET", "/livez", { ["Authorization"] = "Bearer " .. token })
end
