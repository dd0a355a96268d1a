-- wrk script of scripts/bench-server: POST /api/v1/orders/{code}/payments as an officer (Bearer
-- token), $BENCH_AMOUNT đồng (default 1000) from the state budget, taking in turn the accepted
-- outputs listed in $BENCH_OUTPUTS (`CODE<TAB>OUTPUT` a line). Every 2xx answer's body (the
-- payment recorded, one JSON object) is written, one a line, to $BENCH_DIR/acked-<thread>.txt:
-- scripts/bench-server then checks each one is in the database. The first refusals' bodies go
-- to $BENCH_DIR/pay-refused-<thread>.txt.
local token = os.getenv("BENCH_TOKEN")
local outputs_file = os.getenv("BENCH_OUTPUTS")
local dir = os.getenv("BENCH_DIR") or "."
local amount = tonumber(os.getenv("BENCH_AMOUNT") or "1000")
local date = os.getenv("BENCH_DATE")

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    local headers = {
        ["Authorization"] = "Bearer " .. token,
        ["Accept"] = "application/json",
        ["Content-Type"] = "application/json",
    }
    requests = {}
    for line in io.lines(outputs_file) do
        local code, number = line:match("^([^\t]+)\t(%d+)")
        if code then
            local body
            if date and date ~= "" then
                body = string.format('{"output":%s,"amount":%d,"source":"state","date":"%s"}', number, amount, date)
            else
                body = string.format('{"output":%s,"amount":%d,"source":"state"}', number, amount)
            end
            table.insert(requests, wrk.format("POST", "/api/v1/orders/" .. code .. "/payments", headers, body))
        end
    end
    counter = (id * 7919) % #requests
    ok = 0
    refused = 0
    acked_file = io.open(dir .. "/acked-" .. id .. ".txt", "w")
    acked_file:setvbuf("line")
    refused_file = nil
end

function request()
    counter = counter % #requests + 1
    return requests[counter]
end

function response(status, headers, body)
    if status >= 200 and status < 300 then
        ok = ok + 1
        acked_file:write((body:gsub("\n", " ")), "\n")
    else
        refused = refused + 1
        if refused <= 5 then
            if refused_file == nil then
                refused_file = io.open(dir .. "/pay-refused-" .. id .. ".txt", "w")
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
    io.write(string.format("bench-pay: 2xx %d, non-2xx %d\n", ok_total, refused_total))
end
