// Rayon for scripts: rayon.pool{threads=, name=}, rayon.join(fa, fb), rayon.scope(fn),
// rayon.par_iter(t) with map / filter and the terminal for_each / sum / reduce /
// collect / count, and a pool's install. A pool's threads are lanes of their own; each
// side of a join that may be stolen, each job a scope spawns, and each piece of a
// parallel iterator, is a job (a task of flavor rayon) named after what it does. Called from
// outside the pool (an async task, an OS thread), the work is sent in as one job and the caller's
// thread blocks until it ends — from async code that stalls a worker, as it does in Rust. Written
// in Lua over a few C calls (spawn_job, the two ways of joining a job, the current pool, migrated)
// so that its waits are the host's ordinary waits.

#include "spindle/core/rayon.h"
#include "spindle/lua/api.h"
#include "spindle/lua/binding.h"

namespace spindle::lua {

namespace {

int l_pool_new(lua_State* L) {
    const char* name = luaL_checkstring(L, 1);
    const lua_Integer threads = luaL_checkinteger(L, 2);
    Executor* ex = current_executor_or_null();
    if (!ex) return luaL_error(L, "rayon pools are made inside a run");
    const ResourceId pool = ex->make_rayon_pool(
        name,
        static_cast<std::uint32_t>(threads < 0 ? 0 : std::min<lua_Integer>(threads, 1 << 20)));
    if (pool == 0) {  // raised by the Lua side, at the script's line
        lua_pushnil(L);
        lua_pushfstring(L, "too many Rayon pools (a run may have %d)", kMaxRayonPools);
        return 2;
    }
    lua_pushinteger(L, pool);
    const ResourceInfo* r = ex->resource(pool);
    lua_pushinteger(L, r ? r->capacity : 0);
    return 2;
}

int l_current_pool(lua_State* L) {
    Executor* ex = current_executor_or_null();
    lua_pushinteger(L, ex ? ex->current_pool() : 0);
    return 1;
}

int l_migrated(lua_State* L) {
    Executor* ex = current_executor_or_null();
    lua_pushboolean(L, ex && ex->current_job_migrated());
    return 1;
}

int l_join_steal(lua_State* L) {
    return join_job(L, true);
}
int l_join_block(lua_State* L) {
    return join_job(L, false);
}

constexpr const char* kRayon = R"lua(
local pool_new, spawn_job, current_pool, join_steal, join_block, migrated,
      pack, unpack, pcall, error, type, setmetatable, tostring, math_type = ...

local pools = {}  -- pool id -> pool object
local global      -- the global pool, made on first use

local Pool = {}
Pool.__index = Pool
Pool.__metatable = "spindle.rayon.ThreadPool"
function Pool.__tostring(p) return "rayon pool '" .. p._name .. "' (" .. p._threads .. " threads)" end

local function make(name, threads)
  local id, n = pool_new(name, threads)
  if not id then error(n, 3) end
  local p = setmetatable({ _id = id, _name = name, _threads = n }, Pool)
  pools[id] = p
  return p
end

-- The pool whose thread runs the caller, else the global one.
local function current()
  local id = current_pool()
  if id ~= 0 then return pools[id] end
  if not global then global = make("rayon", 0) end
  return global
end

local function check_fn(f, n, what)
  if type(f) ~= "function" then
    error("bad argument #" .. n .. " to '" .. what .. "' (function expected, got " .. type(f) .. ")", 3)
  end
end

-- A job runs its function under pcall, as rayon's jobs catch a panic: the job ends
-- normally and the panic travels to whoever joins it, who raises it again.
local function caught(fn, ...) return pcall(fn, ...) end
local function settle(r)  -- r: pack(join(h)) = true, ok, results... | false, message
  if not r[1] then error(r[2], 0) end
  if not r[2] then error(r[3], 0) end
  return unpack(r, 3, r.n)
end

-- Runs fn(...) on a thread of p: at once when already on one, else as a job named
-- `name` sent in from outside, the calling thread blocked until it ends.
local function install(p, name, fn, ...)
  if current_pool() == p._id then return fn(...) end
  return settle(pack(join_block(spawn_job(p._id, name, caught, fn, ...))))
end

-- rayon::join on a thread of p: fb is forked onto this thread's deque (an idle thread
-- may steal it) while fa runs here; then this thread runs other jobs until fb is done.
-- A panic in either is raised once both have ended (fa's first).
local function fork_join(p, fa, fb, bname)
  local h = spawn_job(p._id, bname, caught, fb)
  local ra = pack(pcall(fa))
  local rb = pack(join_steal(h))
  if not ra[1] then error(ra[2], 0) end
  return ra[2], (settle(rb))
end

-- rayon::scope on a thread of p: fn(s) runs here; s:spawn(f) forks a job running f(s)
-- (on the spawning pool thread's deque, else the pool's injector) that any thread of
-- the pool may run. The scope ends once fn and every job spawned in it (by fn or by
-- other jobs) have ended, this thread running other jobs meanwhile; then fn's panic,
-- else the first spawned job's, is raised.
local Scope = {}
Scope.__index = Scope
Scope.__metatable = "spindle.rayon.Scope"
-- A scope's state, out of the script's reach (a field it could rewrite would let the
-- scope end before its jobs): scope object -> { pool, jobs, open }.
local scopes = setmetatable({}, { __mode = "k" })
function Scope.__tostring(s)
  local st = scopes[s]
  return "rayon scope (" .. #st.jobs .. " jobs spawned" .. (st.open and ")" or ", ended)")
end
function Scope.spawn(s, a, b)
  local st = scopes[s]
  if st == nil then error("bad self to 'spawn' (call it as s:spawn(f))", 2) end
  local name, fn = nil, a
  if type(a) == "string" then name, fn = a, b end
  check_fn(fn, name and 2 or 1, "spawn")
  if not st.open then error("rayon scope: spawn after the scope ended", 2) end
  local jobs = st.jobs
  jobs[#jobs + 1] = spawn_job(st.pool._id, name or ("scope spawn " .. (#jobs + 1)), caught, fn, s)
end

local function run_scope(p, fn)
  local s, st = setmetatable({}, Scope), { pool = p, jobs = {}, open = true }
  scopes[s] = st
  local r = pack(pcall(fn, s))
  local jobs, panicked, panic, i = st.jobs, false, nil, 1
  while i <= #jobs do  -- a job may spawn more while this walks the list
    local rj = pack(join_steal(jobs[i]))
    if not panicked and not (rj[1] and rj[2]) then  -- error(nil) is a panic too
      panicked = true
      if rj[1] then panic = rj[3] else panic = rj[2] end
    end
    i = i + 1
  end
  st.open = false
  if not r[1] then error(r[2], 0) end
  if panicked then error(panic, 0) end
  return unpack(r, 2, r.n)
end

function Pool:install(fn, ...)
  check_fn(fn, 1, "install")
  return install(self, "install", fn, ...)
end
function Pool:join(fa, fb)
  check_fn(fa, 1, "join")
  check_fn(fb, 2, "join")
  return install(self, "join", fork_join, self, fa, fb, "join b")
end
function Pool:scope(fn)
  check_fn(fn, 1, "scope")
  return install(self, "scope", run_scope, self, fn)
end
function Pool:current_num_threads() return self._threads end
function Pool:name() return self._name end

-- Parallel iterators: adapters make new iterators; a terminal operation splits the
-- items the way rayon's bridge does (LengthSplitter: halves while its split count
-- lasts, the count starting at the pool's thread count and reset when a piece was
-- stolen) and folds each piece in order.
local Iter = {}
Iter.__index = Iter
Iter.__metatable = "spindle.rayon.ParIter"
function Iter.__tostring(it) return "parallel iterator over " .. it._n .. " items" end

local function new_iter(p, items, n, ops)
  return setmetatable({ _pool = p, _items = items, _n = n, _ops = ops }, Iter)
end

local function adapt(it, kind, f, what)
  check_fn(f, 1, what)
  local ops = {}
  for i = 1, #it._ops do ops[i] = it._ops[i] end
  ops[#ops + 1] = { kind, f }
  return new_iter(it._pool, it._items, it._n, ops)
end
function Iter:map(f) return adapt(self, true, f, "map") end
function Iter:filter(f) return adapt(self, false, f, "filter") end

local function drive(it, what, identity, fold, combine)
  local p, items, n, ops = it._pool, it._items, it._n, it._ops
  local threads = p._threads
  local function leaf(lo, hi)
    local acc = identity()
    for i = lo, hi do
      local v, keep = items[i], true
      for k = 1, #ops do
        local op = ops[k]
        if op[1] then
          v = op[2](v)
        elseif not op[2](v) then
          keep = false
          break
        end
      end
      if keep then acc = fold(acc, v) end
    end
    return acc
  end
  local function bridge(lo, hi, splits, stolen)
    local len = hi - lo + 1
    if len >= 2 then
      local split = false
      if stolen then
        splits = splits // 2
        if splits < threads then splits = threads end
        split = true
      elseif splits > 0 then
        splits = splits // 2
        split = true
      end
      if split then
        local mid = lo + len // 2
        local a, b = fork_join(p,
          function() return bridge(lo, mid - 1, splits, false) end,
          function() return bridge(mid, hi, splits, migrated()) end,
          what .. " " .. mid .. ".." .. hi)
        return combine(a, b)
      end
    end
    return leaf(lo, hi)
  end
  if n == 0 then return identity() end
  return install(p, what .. " 1.." .. n, bridge, 1, n, threads, false)
end

local function zero() return 0 end
local function add(a, b) return a + b end

function Iter:for_each(f)
  check_fn(f, 1, "for_each")
  drive(self, "for_each", function() return nil end, function(_, v) f(v) end,
        function() return nil end)
end
function Iter:sum() return drive(self, "sum", zero, add, add) end
function Iter:count() return drive(self, "count", zero, function(a) return a + 1 end, add) end
function Iter:reduce(identity, op)
  check_fn(op, 2, "reduce")
  local id = identity
  if type(identity) ~= "function" then id = function() return identity end end
  return drive(self, "reduce", id, op, op)
end
function Iter:collect()
  return drive(self, "collect", function() return {} end,
    function(acc, v) acc[#acc + 1] = v return acc end,
    function(a, b)
      local out, k = {}, 0
      for i = 1, #a do k = k + 1 out[k] = a[i] end
      for i = 1, #b do k = k + 1 out[k] = b[i] end
      return out
    end)
end

function Pool:par_iter(t)
  if type(t) ~= "table" then
    error("bad argument #1 to 'par_iter' (table expected, got " .. type(t) .. ")", 2)
  end
  return new_iter(self, t, #t, {})
end

local rayon = {}
function rayon.pool(opts)
  if type(opts) ~= "table" then
    error("bad argument #1 to 'pool' (table expected, got " .. type(opts) .. ")", 2)
  end
  local threads, name = opts.threads, opts.name
  if threads ~= nil and (math_type(threads) ~= "integer" or threads < 1) then
    error("rayon.pool: threads must be a positive integer, got " .. tostring(threads), 2)
  end
  if name ~= nil and type(name) ~= "string" then
    error("rayon.pool: name must be a string, got " .. type(name), 2)
  end
  if opts.global then
    if global then error("rayon.pool: the global pool was already made", 2) end
    global = make(name or "rayon", threads or 0)
    return global
  end
  -- Not a tail call: make's error(n, 3) names the script's line only while this
  -- function's frame is on the stack.
  local p = make(name or "rayon pool", threads or 0)
  return p
end
function rayon.join(fa, fb)
  check_fn(fa, 1, "join")
  check_fn(fb, 2, "join")
  local p = current()
  return install(p, "join", fork_join, p, fa, fb, "join b")
end
function rayon.scope(fn)
  check_fn(fn, 1, "scope")
  local p = current()
  return install(p, "scope", run_scope, p, fn)
end
function rayon.par_iter(t)
  if type(t) ~= "table" then
    error("bad argument #1 to 'par_iter' (table expected, got " .. type(t) .. ")", 2)
  end
  return new_iter(current(), t, #t, {})
end
function rayon.current_num_threads() return current()._threads end
return rayon
)lua";

}  // namespace

void open_rayon_api(lua_State* L) {
    load_builtin(L, kRayon, "=[spindle rayon]");
    lua_pushcfunction(L, &l_pool_new);
    lua_pushcfunction(L, &spawn_job_task);
    lua_pushcfunction(L, &l_current_pool);
    lua_pushcfunction(L, &l_join_steal);
    lua_pushcfunction(L, &l_join_block);
    lua_pushcfunction(L, &l_migrated);
    const int n = push_globals(L, {"table.pack", "table.unpack", "pcall", "error", "type",
                                   "setmetatable", "tostring", "math.type"});
    lua_call(L, 6 + n, 1);
    lua_setglobal(L, "rayon");
}

}  // namespace spindle::lua
