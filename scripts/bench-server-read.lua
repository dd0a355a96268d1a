-- wrk script of scripts/bench-server: GET /api/v1/orders/{code} as an officer (Bearer token),
-- taking in turn the order codes listed in $BENCH_CODES (one a line; each thread starts at its
-- own place in the list). Counts 2xx and other answers per status; the first few refusals'
-- bodies go to $BENCH_DIR/read-refused-<thread>.txt.
local token = os.getenv("BENCH_TOKEN")
local codes_file = os.getenv("BENCH_CODES")
local dir = os.getenv("BENCH_DIR") or "."

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
    requests = {}
    for code in io.lines(codes_file) do
        if code ~= "" then
            table.insert(requests, wrk.format("GET", "/api/v1/orders/" .. code, headers))
        end
    end
    counter = (id * 7919) % #requests
    ok = 0
    refused = 0
    statuses = {}
    refused_file = nil
end

function request()
    counter = counter % #requests + 1
    return requests[counter]
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        ok = ok + 1
    else
        refused = refused + 1
        statuses[status] = (statuses[status] or 0) + 1
        if refused <= 5 then
            if refused_file == nil then
                refused_file = io.open(dir .. "/read-refused-" .. id .. ".txt", "w")
                refused_file:setvbuf("line")
            end
            refused_file:write(status, " ", (body:gsub("\n", " ")), "\n")
        end
    end
end

function done(summary, latency, requests)
    local ok_total, refused_total = 0, 0
    for _, thread in ipairs(threads) do
        ok_total = ok_total + thread:get("ok")
        refused_total = refused_total + thread:get("refused")
    end
    io.write(string.format("bench-read: 2xx %d, non-2xx %d\n", ok_total, refused_total))
end
