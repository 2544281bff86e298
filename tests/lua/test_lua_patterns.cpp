// The sandbox's budgeted string.find / match / gmatch / gsub: the same results
// and errors as Lua's own string library (run side by side on one list of
// cases), and a backtracking pattern stopped at the script's line.
#include <catch2/catch.hpp>

#include <lua.hpp>

#include <string>
#include <vector>

#include "lua_test_support.h"

using namespace lua_test;

namespace {

// Each case calls one function under pcall and emits one line with what came back.
const char* kCases = R"LUA(
local function show(...)
  local n, parts = select('#', ...), {}
  for i = 1, n do
    local v = (select(i, ...))
    parts[i] = type(v) == "string" and string.format("%q", v) or tostring(v)
  end
  return table.concat(parts, "|")
end
local function try(f, ...) emit(show(pcall(f, ...))) end
local function all(s, p, init)
  local out = {}
  for a, b, c in string.gmatch(s, p, init) do out[#out + 1] = show(a, b, c) end
  return table.concat(out, " ; ")
end

-- find
try(string.find, "hello world", "o w")
try(string.find, "hello world", "o", 6)
try(string.find, "hello world", "o", -3)
try(string.find, "hello world", "o", 0)
try(string.find, "hello world", "o", 100)
try(string.find, "hello", "", 10)
try(string.find, "hello", "", 6)
try(string.find, "a.b.c", ".", 1, true)
try(string.find, "a.b.c", "%.", 3)
try(string.find, "hello", "l+")
try(string.find, "hello", "(l)(l)")
try(string.find, "hello", "()ll()")
try(string.find, "hello", "^h")
try(string.find, "hello", "^e")
try(string.find, "hello", "o$")
try(string.find, "he$llo", "e$l")
try(string.find, "", "")
try(string.find, "x\0y", "\0")
try(string.find, "x\0y", "%z")
-- match: classes, sets, quantifiers
try(string.match, "key = value  ", "^(%w+)%s*=%s*(.-)%s*$")
try(string.match, "  trim me  ", "^%s*(.-)%s*$")
try(string.match, "2026-11-26", "(%d+)-(%d+)-(%d+)")
try(string.match, "Hello, World!", "%u%l+")
try(string.match, "abc123def", "%a+%d+")
try(string.match, "abc123def", "%D+")
try(string.match, "tab\there", "%c")
try(string.match, "x = 0x1F;", "0x(%x+)")
try(string.match, "a,b;c", "%p")
try(string.match, " \t\nword", "%S+")
try(string.match, "under_score9", "[%w_]+")
try(string.match, "]]x", "[]]+")
try(string.match, "a]b", "[^]]+")
try(string.match, "a-b", "[a-]+")
try(string.match, "m", "[a-z]")
try(string.match, "M", "[^a-z]")
try(string.match, "color colour", "colou?r")
try(string.match, "aaa", "a-")
try(string.match, "aaab", "a-b")
try(string.match, "<<a>>", "<(.-)>")
try(string.match, "<<a>>", "<(.*)>")
try(string.match, "f(a(b)c)d", "%b()")
try(string.match, "THE (quick) fox", "%f[%a]%a+")
try(string.match, "hello hello", "(h%w+) %1")
try(string.match, "abab", "((a)(b))%1")
try(string.match, "hello", "()")
try(string.match, "hello", "(h)(e)(l)(l)(o)")
try(string.match, "x", ".-$")
try(string.match, "hello", "l", -2)
-- gmatch
emit(all("one two  three", "%a+"))
emit(all("k1=v1, k2=v2", "(%w+)=(%w+)"))
emit(all("abc", "x*"))
emit(all("abc", "()"))
emit(all("hello world", "o", 6))
emit(all("^a^a", "^a"))
emit(all("abc", ".", 10))
-- gsub
try(string.gsub, "hello world", "o", "0")
try(string.gsub, "hello world", "(o)", "[%1%1]")
try(string.gsub, "hello world", "%w+", "<%0>")
try(string.gsub, "hello", "", "-")
try(string.gsub, "hello", "l", "L", 1)
try(string.gsub, "hello", "^h", "H")
try(string.gsub, "hello", "x", "y")
try(string.gsub, "abc", "%w", "%%")
try(string.gsub, "abc", "()", "%1")
try(string.gsub, "$name is $age", "%$(%w+)", { name = "Ann", age = 7 })
try(string.gsub, "$name is $x", "%$(%w+)", { name = "Ann" })
try(string.gsub, "a b c", "%a", function(c) return c:upper() end)
try(string.gsub, "a b c", "%a", function(c) if c == "b" then return false end return 1 end)
try(string.gsub, "abc", "b", 5)
-- frontiers, balances, nested and position captures, NULs
try(string.gsub, "THE (quick) fox", "%f[%a]%a+", "W")
try(string.find, "end", "%f[%z]")
try(string.find, "hello", "%f[%W]")
try(string.match, 'say "hi" now', '%b""')
try(string.match, "[[x]]", "%b[]")
try(string.match, "xaby", "(()a(b)())")
try(string.match, "a\0b", "a%zb")
try(string.match, "a\0b", "[%z]")
try(string.find, "abc", "b", 4)
try(string.find, "abc", "[b]", 5)
try(string.gsub, "abc", ".", { a = 1, b = true })
try(string.gsub, "a.b", "%.", "%%.")
try(string.match, "x=1, y=2", "y=(%d)")
try(string.match, "aaa", "^(a*)$")
try(string.match, "ab", "a*?")
emit(all("The quick brown fox", "%f[%a](%a)(%a*)"))
-- errors
try(string.find, "abc", "%")
try(string.find, "abc", "[a")
try(string.find, "abc", "[a%")
try(string.find, "abc", "%b")
try(string.find, "abc", "%ba")
try(string.find, "abc", "%f")
try(string.find, "abc", "(()")
try(string.find, "abc", "a)")
try(string.find, "abc", "%1")
try(string.find, "abc", "(a)%2")
try(string.match, "abc", "(a%1)")
try(string.gsub, "abc", "(a", "x")
try(string.gsub, "abc", "b", "%2")
try(string.gsub, "abc", "b", "%x")
try(string.gsub, "abc", "b", {b = {}})
try(string.gsub, "abc", "b", true)
try(string.find, string.rep("a", 40), string.rep("(a)", 33))
try(string.match, string.rep("a", 300), string.rep("a?", 300))
try(string.find, {}, "a")
try(string.gsub, "abc", "b")
)LUA";

/// Runs the cases against Lua's own string library in a plain state.
Lines reference_lines() {
    lua_State* L = luaL_newstate();
    luaL_openlibs(L);
    // As in the sandbox: no module table, so argument errors name functions alike.
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_newtable(L);
    lua_setglobal(L, "emitted");
    luaL_dostring(L, "emit = function(line) emitted[#emitted + 1] = line end");
    const int status = luaL_dostring(L, kCases);
    Lines out;
    if (status != LUA_OK) {
        out.push_back(std::string("reference failed: ") + lua_tostring(L, -1));
    } else {
        lua_getglobal(L, "emitted");
        const auto n = static_cast<lua_Integer>(lua_rawlen(L, -1));
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, -1, i);
            out.emplace_back(lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_close(L);
    return out;
}

}  // namespace

TEST_CASE("budgeted patterns give what Lua's string library gives", "[lua][patterns]") {
    const Lines want = reference_lines();
    REQUIRE(want.size() > 80);
    const Lines got = lines_of(std::string("local emit = print\n") + kCases);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("case " << i + 1);
        CHECK(got[i] == want[i]);
    }
}

TEST_CASE("a pattern that backtracks without end fails its task at the script's line",
          "[lua][patterns]") {
    spindle::lua::Budgets budgets;
    budgets.instructions_per_poll = 1'000'000;
    const LuaRun run = run_lua(R"(local s = ("a"):rep(3000)
spawn("matcher", function()
  return s:find(".-.-.-.-.-.-.-.-b")
end)
print("main goes on")
)",
                               budgets);
    CHECK(run.result.outcome == spindle::RunOutcome::failed);
    REQUIRE(run.result.errors.size() == 1);
    const std::string& msg = run.result.errors.front();
    INFO(msg);
    CHECK(msg.rfind("test.lua:3: instruction budget exceeded in a string pattern", 0) == 0);
    CHECK(run.lines == Lines{"main goes on"});
}

TEST_CASE("plain searches and back-references count against the budget too", "[lua][patterns]") {
    spindle::lua::Budgets budgets;
    budgets.instructions_per_poll = 1'000'000;
    const char* scripts[] = {
        // plain: every position matches the first byte, then fails at the end
        "local s, p = ('a'):rep(1e6), ('a'):rep(5e5) .. 'b'\nreturn s:find(p, 1, true)\n",
        "local s, p = ('a'):rep(1e6), ('a'):rep(5e5) .. 'b'\nreturn s:find(p)\n",
        "local s = ('a'):rep(2e4)\nreturn s:find('(a*)%1x')\n",
    };
    for (const char* script : scripts) {
        INFO(script);
        const LuaRun run = run_lua(script, budgets);
        REQUIRE(run.result.errors.size() == 1);
        CHECK(run.result.errors.front().rfind(
                  "test.lua:2: instruction budget exceeded in a string pattern", 0) == 0);
    }
}
