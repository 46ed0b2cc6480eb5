-- wrk script of the side-by-side harness (SideBySide): wrk's Lua has no HMAC, so each thread reads the
-- deliveries signed ahead of the round from DIR/bodies-N.txt (lines "DELIVERY-ID SIGNATURE LENGTH" each
-- followed by that many bytes of body), builds their requests once and cycles through them. It counts the
-- answers with the expected status (the second argument) and prints one line at the end:
--   SIDEBYSIDE ok=N other=N wrapped=N   (wrapped > 0: the pool ran out and bodies were sent again)
-- Run: wrk -t2 -c16 -d10s -s signed.lua URL -- DIR EXPECTED_STATUS
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local dir = args[1]
  want = tonumber(args[2])
  reqs = {}
  local f = assert(io.open(dir .. "/bodies-" .. (tid % 2) .. ".txt", "rb"))
  while true do
    local head = f:read("*l")
    if not head then break end
    local id, sig, len = head:match("^(%S+) (%S+) (%d+)$")
    local body = f:read(tonumber(len))
    reqs[#reqs + 1] = wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["User-Agent"] = "GitHub-Hookshot/bench",
      ["X-GitHub-Event"] = "deployment",
      ["X-GitHub-Delivery"] = id,
      ["X-GitHub-Hook-ID"] = "1",
      ["X-Hub-Signature-256"] = sig,
    }, body)
  end
  f:close()
  n = 0
  ok = 0
  other = 0
  wrapped = 0
end

function request()
  n = n + 1
  if n > #reqs then
    n = 1
    wrapped = wrapped + 1
  end
  return reqs[n]
end

function response(status, headers, body)
  if status == want then
    ok = ok + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, x, w = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    x = x + t:get("other")
    w = w + t:get("wrapped")
  end
  io.write(string.format("SIDEBYSIDE ok=%d other=%d wrapped=%d\n", o, x, w))
end
