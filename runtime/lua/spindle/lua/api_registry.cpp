#include "spindle/lua/api.h"

namespace spindle::lua {

void open_scenario_api(lua_State* L) {
    open_core_api(L);
    open_mpsc_api(L);
}

}  // namespace spindle::lua
