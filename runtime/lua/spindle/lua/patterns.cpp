#include "spindle/lua/patterns.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstring>

#include "spindle/lua/binding.h"
#include "spindle/lua/host.h"

namespace spindle::lua {

namespace {

constexpr char kEsc = '%';
constexpr const char* kSpecials = "^$*+?.([%-";
constexpr int kMaxCaptures = 32;  // as LUA_MAXCAPTURES
constexpr int kMaxDepth = 200;    // nested items a match may recurse through
constexpr std::ptrdiff_t kUnfinished = -1;
constexpr std::ptrdiff_t kPosition = -2;  // "()"
constexpr unsigned kStepsPerCharge = 1024;
constexpr std::size_t kBytesPerStep = 64;  // bytes compared at once count as one step

int uchar(char c) {
    return static_cast<unsigned char>(c);
}

struct Capture {
    const char* init;
    std::ptrdiff_t len;  ///< length, kUnfinished or kPosition
};

/// One match attempt's state. Subject and pattern are Lua strings, so reading
/// the byte at their end is safe (a '\0'), as the matcher relies on.
struct Matcher {
    lua_State* L;
    const char* src;
    const char* src_end;
    const char* pat_end;
    int depth;
    int level;  ///< captures opened
    unsigned steps;
    Capture capture[kMaxCaptures];
};

void prepare(Matcher& m, lua_State* L, const char* s, std::size_t ls, const char* p,
             std::size_t lp) {
    m.L = L;
    m.src = s;
    m.src_end = s + ls;
    m.pat_end = p + lp;
    m.steps = 0;
}

void reset(Matcher& m) {
    m.level = 0;
    m.depth = kMaxDepth;
}

/// Counts `n` steps; every kStepsPerCharge steps, charges them to the task's
/// budget and raises at the script's line when it is spent.
void step(lua_State* L, unsigned& steps, unsigned n = 1) {
    steps += n;
    if (steps < kStepsPerCharge) return;
    const unsigned charged = steps;
    steps = 0;
    Host& host = Host::from(L);
    const Host::Stop stop = host.charge(charged);
    if (stop == Host::Stop::instructions)
        host.raise_stop(L,
                        "instruction budget exceeded in a string pattern (it backtracks too "
                        "much for this subject)");
    if (stop != Host::Stop::none) host.raise_stop(L);
}

void step(Matcher& m, unsigned n = 1) {
    step(m.L, m.steps, n);
}

/// Steps for comparing `bytes` bytes.
unsigned compare_steps(std::size_t bytes) {
    return static_cast<unsigned>(std::min<std::size_t>(bytes / kBytesPerStep, kStepsPerCharge)) + 1;
}

/// Where p (lp bytes) first occurs in s (ls bytes), or nullptr; charged as it goes.
const char* find_plain(lua_State* L, const char* s, std::size_t ls, const char* p, std::size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return nullptr;
    unsigned steps = 0;
    const char* last = s + (ls - lp);  // the last place it could start
    for (const char* at = s; at <= last; ++at) {
        at = static_cast<const char*>(std::memchr(at, *p, static_cast<std::size_t>(last - at) + 1));
        if (!at) return nullptr;
        step(L, steps, compare_steps(lp));
        if (std::memcmp(at + 1, p + 1, lp - 1) == 0) return at;
    }
    return nullptr;
}

bool class_matches(int c, int cl) {
    bool res = false;
    switch (std::tolower(cl)) {
        case 'a':
            res = std::isalpha(c);
            break;
        case 'c':
            res = std::iscntrl(c);
            break;
        case 'd':
            res = std::isdigit(c);
            break;
        case 'g':
            res = std::isgraph(c);
            break;
        case 'l':
            res = std::islower(c);
            break;
        case 'p':
            res = std::ispunct(c);
            break;
        case 's':
            res = std::isspace(c);
            break;
        case 'u':
            res = std::isupper(c);
            break;
        case 'w':
            res = std::isalnum(c);
            break;
        case 'x':
            res = std::isxdigit(c);
            break;
        case 'z':  // the NUL character (deprecated in the manual, still accepted)
            res = c == 0;
            break;
        default:
            return cl == c;  // an escaped character stands for itself
    }
    return std::isupper(cl) ? !res : res;
}

/// Whether c is in the set whose '[' is at p and ']' at close.
bool bracket_matches(int c, const char* p, const char* close) {
    bool member = true;
    if (*(p + 1) == '^') {
        member = false;
        ++p;
    }
    while (++p < close) {
        if (*p == kEsc) {
            ++p;
            if (class_matches(c, uchar(*p))) return member;
        } else if (*(p + 1) == '-' && p + 2 < close) {
            p += 2;
            if (uchar(*(p - 2)) <= c && c <= uchar(*p)) return member;
        } else if (uchar(*p) == c) {
            return member;
        }
    }
    return !member;
}

/// Where the single-character class starting at p ends.
const char* class_end(Matcher& m, const char* p) {
    switch (*p++) {
        case kEsc:
            if (p == m.pat_end) luaL_error(m.L, "malformed pattern (ends with '%%')");
            return p + 1;
        case '[':
            if (*p == '^') ++p;
            do {  // a ']' right after '[' or '[^' is a member, not the end
                if (p == m.pat_end) luaL_error(m.L, "malformed pattern (missing ']')");
                if (*(p++) == kEsc && p < m.pat_end) ++p;
            } while (*p != ']');
            return p + 1;
        default:
            return p;
    }
}

bool single_matches(const Matcher& m, const char* s, const char* p, const char* ep) {
    if (s >= m.src_end) return false;
    const int c = uchar(*s);
    switch (*p) {
        case '.':
            return true;
        case kEsc:
            return class_matches(c, uchar(*(p + 1)));
        case '[':
            return bracket_matches(c, p, ep - 1);
        default:
            return uchar(*p) == c;
    }
}

const char* match(Matcher& m, const char* s, const char* p);

const char* balance(Matcher& m, const char* s, const char* p) {
    if (p >= m.pat_end - 1) luaL_error(m.L, "malformed pattern (missing arguments to '%%b')");
    if (s >= m.src_end || *s != *p) return nullptr;
    const char open = *p, close = *(p + 1);
    int depth = 1;
    while (++s < m.src_end) {
        step(m);
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            ++depth;
        }
    }
    return nullptr;
}

/// Greedy: the longest run of the class first, then shorter ones.
const char* max_expand(Matcher& m, const char* s, const char* p, const char* ep) {
    std::ptrdiff_t i = 0;
    while (single_matches(m, s + i, p, ep)) {
        ++i;
        step(m);
    }
    for (; i >= 0; --i)
        if (const char* r = match(m, s + i, ep + 1)) return r;
    return nullptr;
}

/// Lazy: the shortest run first.
const char* min_expand(Matcher& m, const char* s, const char* p, const char* ep) {
    for (;;) {
        if (const char* r = match(m, s, ep + 1)) return r;
        if (!single_matches(m, s, p, ep)) return nullptr;
        ++s;
    }
}

const char* start_capture(Matcher& m, const char* s, const char* p, std::ptrdiff_t what) {
    if (m.level >= kMaxCaptures) luaL_error(m.L, "too many captures");
    m.capture[m.level] = Capture{s, what};
    ++m.level;
    const char* r = match(m, s, p);
    if (!r) --m.level;
    return r;
}

const char* end_capture(Matcher& m, const char* s, const char* p) {
    int l = m.level - 1;
    while (l >= 0 && m.capture[l].len != kUnfinished)
        --l;
    if (l < 0) luaL_error(m.L, "invalid pattern capture");
    m.capture[l].len = s - m.capture[l].init;
    const char* r = match(m, s, p);
    if (!r) m.capture[l].len = kUnfinished;
    return r;
}

int check_capture(Matcher& m, int digit) {
    const int l = digit - '1';
    if (l < 0 || l >= m.level || m.capture[l].len == kUnfinished)
        luaL_error(m.L, "invalid capture index %%%d", l + 1);
    return l;
}

const char* match_capture(Matcher& m, const char* s, int digit) {
    const int l = check_capture(m, digit);
    const auto len = static_cast<std::size_t>(m.capture[l].len);
    step(m, compare_steps(len));
    if (static_cast<std::size_t>(m.src_end - s) >= len &&
        std::memcmp(m.capture[l].init, s, len) == 0)
        return s + len;
    return nullptr;
}

/// Matches pattern p at s; returns the end of the match or nullptr. Each item
/// that has a single way forward loops; alternatives recurse.
const char* match(Matcher& m, const char* s, const char* p) {
    if (m.depth-- == 0) luaL_error(m.L, "pattern too complex");
    while (p != m.pat_end) {
        step(m);
        if (*p == '(') {
            s = *(p + 1) == ')' ? start_capture(m, s, p + 2, kPosition)
                                : start_capture(m, s, p + 1, kUnfinished);
            break;
        }
        if (*p == ')') {
            s = end_capture(m, s, p + 1);
            break;
        }
        if (*p == '$' && p + 1 == m.pat_end) {  // elsewhere '$' is a plain character
            if (s != m.src_end) s = nullptr;
            break;
        }
        if (*p == kEsc && *(p + 1) == 'b') {
            s = balance(m, s, p + 2);
            if (!s) break;
            p += 4;
            continue;
        }
        if (*p == kEsc && *(p + 1) == 'f') {
            p += 2;
            if (*p != '[') luaL_error(m.L, "missing '[' after '%%f' in pattern");
            const char* ep = class_end(m, p);
            const int before = s == m.src ? '\0' : uchar(*(s - 1));
            if (!bracket_matches(before, p, ep - 1) && bracket_matches(uchar(*s), p, ep - 1)) {
                p = ep;
                continue;
            }
            s = nullptr;
            break;
        }
        if (*p == kEsc && std::isdigit(uchar(*(p + 1)))) {
            s = match_capture(m, s, uchar(*(p + 1)));
            if (!s) break;
            p += 2;
            continue;
        }
        // A single-character class, perhaps with a quantifier after it.
        const char* ep = class_end(m, p);
        if (!single_matches(m, s, p, ep)) {
            if (*ep == '*' || *ep == '?' || *ep == '-') {  // zero of it will do
                p = ep + 1;
                continue;
            }
            s = nullptr;
            break;
        }
        if (*ep == '?') {
            if (const char* r = match(m, s + 1, ep + 1)) {
                s = r;
                break;
            }
            p = ep + 1;
            continue;
        }
        if (*ep == '+') {
            s = max_expand(m, s + 1, p, ep);
            break;
        }
        if (*ep == '*') {
            s = max_expand(m, s, p, ep);
            break;
        }
        if (*ep == '-') {
            s = min_expand(m, s, p, ep);
            break;
        }
        ++s;
        p = ep;
    }
    ++m.depth;
    return s;
}

/// Pushes capture i; with no captures, i 0 is the whole match s..e.
void push_capture(Matcher& m, int i, const char* s, const char* e) {
    if (i >= m.level) {
        if (i != 0) luaL_error(m.L, "invalid capture index %%%d", i + 1);
        lua_pushlstring(m.L, s, static_cast<std::size_t>(e - s));
        return;
    }
    const Capture& c = m.capture[i];
    if (c.len == kUnfinished) luaL_error(m.L, "unfinished capture");
    if (c.len == kPosition)
        lua_pushinteger(m.L, (c.init - m.src) + 1);
    else
        lua_pushlstring(m.L, c.init, static_cast<std::size_t>(c.len));
}

/// Pushes every capture (the whole match when there are none and s is given).
int push_captures(Matcher& m, const char* s, const char* e) {
    const int n = (m.level == 0 && s) ? 1 : m.level;
    luaL_checkstack(m.L, n, "too many captures");
    for (int i = 0; i < n; ++i)
        push_capture(m, i, s, e);
    return n;
}

/// A 1-based start position (negative: from the end) as Lua's string functions read it.
std::size_t start_index(lua_Integer pos, std::size_t len) {
    if (pos > 0) return static_cast<std::size_t>(pos);
    if (pos == 0) return 1;
    if (pos < -static_cast<lua_Integer>(len)) return 1;
    return len + static_cast<std::size_t>(pos) + 1;
}

bool no_specials(const char* p, std::size_t lp) {
    for (std::size_t i = 0; i < lp; ++i)
        if (p[i] != '\0' && std::strchr(kSpecials, p[i])) return false;
    return true;
}

int find_or_match(lua_State* L, bool find) {
    std::size_t ls = 0, lp = 0;
    const char* s = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    const std::size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {
        luaL_pushfail(L);
        return 1;
    }
    if (find && (lua_toboolean(L, 4) || no_specials(p, lp))) {
        if (const char* at = find_plain(L, s + init, ls - init, p, lp)) {
            lua_pushinteger(L, (at - s) + 1);
            lua_pushinteger(L, (at - s) + static_cast<lua_Integer>(lp));
            return 2;
        }
    } else {
        Matcher m;
        const char* s1 = s + init;
        const bool anchor = *p == '^';
        if (anchor) {
            ++p;
            --lp;
        }
        prepare(m, L, s, ls, p, lp);
        do {
            reset(m);
            if (const char* e = match(m, s1, p)) {
                if (!find) return push_captures(m, s1, e);
                lua_pushinteger(L, (s1 - s) + 1);
                lua_pushinteger(L, e - s);
                return push_captures(m, nullptr, nullptr) + 2;
            }
        } while (s1++ < m.src_end && !anchor);
    }
    luaL_pushfail(L);
    return 1;
}

int l_find(lua_State* L) {
    return find_or_match(L, true);
}

int l_match(lua_State* L) {
    return find_or_match(L, false);
}

/// gmatch's iterator state; the subject and pattern stay alive as upvalues.
struct GMatch {
    Matcher m;
    const char* src;  ///< where the next search starts
    const char* p;
    const char* last;  ///< end of the last match (an empty match there is skipped)
};

int gmatch_next(lua_State* L) {
    GMatch& g = *test_object<GMatch>(L, lua_upvalueindex(3));
    g.m.L = L;  // the iterator may run on another coroutine than the one that made it
    for (const char* src = g.src; src <= g.m.src_end; ++src) {
        reset(g.m);
        const char* e = match(g.m, src, g.p);
        if (e && e != g.last) {
            g.src = g.last = e;
            return push_captures(g.m, src, e);
        }
    }
    return 0;
}

int l_gmatch(lua_State* L) {
    std::size_t ls = 0, lp = 0;
    const char* s = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    std::size_t init = start_index(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) init = ls + 1;  // past the end: no match
    lua_settop(L, 2);
    GMatch* g = emplace_object<GMatch>(new_object_block<GMatch>(L));
    prepare(g->m, L, s, ls, p, lp);
    g->src = s + init;
    g->p = p;
    g->last = nullptr;
    lua_pushcclosure(L, &gmatch_next, 3);
    return 1;
}

/// Appends the replacement string (argument 3) with its %0-%9 and %% expanded.
void add_replacement(Matcher& m, luaL_Buffer* b, const char* s, const char* e) {
    lua_State* L = m.L;
    std::size_t l = 0;
    const char* text = lua_tolstring(L, 3, &l);
    const char* p = nullptr;
    while ((p = static_cast<const char*>(std::memchr(text, kEsc, l))) != nullptr) {
        luaL_addlstring(b, text, static_cast<std::size_t>(p - text));
        ++p;
        if (*p == kEsc) {
            luaL_addchar(b, *p);
        } else if (*p == '0') {
            luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
        } else if (std::isdigit(uchar(*p))) {
            push_capture(m, *p - '1', s, e);
            luaL_tolstring(L, -1, nullptr);  // a position capture is a number
            lua_remove(L, -2);
            luaL_addvalue(b);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", kEsc);
        }
        l -= static_cast<std::size_t>(p + 1 - text);
        text = p + 1;
    }
    luaL_addlstring(b, text, l);
}

/// Appends the replacement of the match s..e; false if the match stays as it was.
bool add_value(Matcher& m, luaL_Buffer* b, const char* s, const char* e, int repl_type) {
    lua_State* L = m.L;
    switch (repl_type) {
        case LUA_TFUNCTION: {
            lua_pushvalue(L, 3);
            const int n = push_captures(m, s, e);
            lua_call(L, n, 1);
            break;
        }
        case LUA_TTABLE:
            push_capture(m, 0, s, e);
            lua_gettable(L, 3);
            break;
        default:
            add_replacement(m, b, s, e);
            return true;
    }
    if (!lua_toboolean(L, -1)) {  // nil or false: keep the original text
        lua_pop(L, 1);
        luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
        return false;
    }
    if (!lua_isstring(L, -1))
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return true;
}

int l_gsub(lua_State* L) {
    std::size_t srcl = 0, lp = 0;
    const char* src = luaL_checklstring(L, 1, &srcl);
    const char* p = luaL_checklstring(L, 2, &lp);
    const char* last = nullptr;
    const int repl_type = lua_type(L, 3);
    const lua_Integer max_n = luaL_optinteger(L, 4, static_cast<lua_Integer>(srcl) + 1);
    const bool anchor = *p == '^';
    lua_Integer n = 0;
    bool changed = false;
    luaL_argexpected(L,
                     repl_type == LUA_TNUMBER || repl_type == LUA_TSTRING ||
                         repl_type == LUA_TFUNCTION || repl_type == LUA_TTABLE,
                     3, "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (anchor) {
        ++p;
        --lp;
    }
    Matcher m;
    prepare(m, L, src, srcl, p, lp);
    while (n < max_n) {
        reset(m);
        const char* e = match(m, src, p);
        if (e && e != last) {
            ++n;
            changed = add_value(m, &b, src, e, repl_type) || changed;
            src = last = e;
        } else if (src < m.src_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchor) break;
    }
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, static_cast<std::size_t>(m.src_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, n);
    return 2;
}

}  // namespace

void open_budgeted_patterns(lua_State* L) {
    static const luaL_Reg fns[] = {{"find", &l_find},
                                   {"match", &l_match},
                                   {"gmatch", &l_gmatch},
                                   {"gsub", &l_gsub},
                                   {nullptr, nullptr}};
    lua_getglobal(L, "string");
    luaL_setfuncs(L, fns, 0);
    lua_pop(L, 1);
}

}  // namespace spindle::lua
