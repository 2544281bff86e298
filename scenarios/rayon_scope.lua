-- rayon_scope.lua — rayon::scope walking a directory tree: a job per directory.
--
-- What it shows: `rayon.scope(function(s) ... s:spawn(f) ... end)` indexing a tree
-- on a pool of three threads. Each directory's job indexes its files, then spawns
-- one job per subdirectory into the same scope: the work grows as it is found,
-- which a par_iter over a known array cannot express. A spawned job goes on the
-- spawning thread's deque, so a thread works depth-first through its own subtree
-- (newest first) while idle threads steal the oldest — the biggest — piece from
-- another. The scope returns only once every job in it has ended, however deep;
-- the thread that called it runs jobs meanwhile instead of sleeping.
-- What to look at: RAYON POOLS — three lanes busy until the tree is done, with
-- steal marks where a thread took another's subtree; TASKS — one job per
-- directory ("index src/net"), and the `scope` job "waiting: join on ..."
-- between the jobs its thread runs. `main` stays free: the walk runs in
-- spawn_blocking, awaited. The Log checks the count against a sequential walk.
scenario{
  name = "rayon_scope",
  description = "rayon::scope: a job per directory, spawned as the tree is found",
  workers = 2,
  seed = 1,
}

-- name, files, subdirectories; indexing costs 20 µs per file.
local function dir(name, files, children) return { name = name, files = files, children = children or {} } end
local tree = dir("", 4, {
  dir("src", 6, {
    dir("src/net", 30, { dir("src/net/tls", 25), dir("src/net/http", 40) }),
    dir("src/db", 20, { dir("src/db/sql", 35) }),
    dir("src/ui", 15),
  }),
  dir("docs", 10, { dir("docs/images", 12) }),
  dir("tests", 18, { dir("tests/unit", 28), dir("tests/e2e", 16) }),
  dir("assets", 45),
})

local pool = rayon.pool{ threads = 3, name = "indexer" }
local indexed = 0
local function index(s, d)
  work(0.02 * d.files)
  indexed = indexed + d.files
  for _, child in ipairs(d.children) do
    s:spawn("index " .. child.name, function(s2) index(s2, child) end)
  end
end

local function expected(d)
  local n = d.files
  for _, child in ipairs(d.children) do n = n + expected(child) end
  return n
end

local walk = spawn_blocking("walk", function()
  local t0 = now()
  pool:scope(function(s) index(s, tree) end)
  return now() - t0
end)
local ok, took = walk:join()
assert(ok, took)
print(("indexed %d files in %.2f ms (sequentially: %.2f ms)"):format(indexed, took,
      0.02 * expected(tree)))
check(indexed == expected(tree), "every directory indexed before the scope returned")
