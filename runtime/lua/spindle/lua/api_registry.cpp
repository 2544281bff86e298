// open_scenario_api: registers every area of the scenario API into a host's Lua state.
#include "spindle/lua/api.h"

namespace spindle::lua {

void open_scenario_api(lua_State* L) {
    open_core_api(L);
    open_mpsc_api(L);
    open_oneshot_api(L);
    open_broadcast_api(L);
    open_watch_api(L);
    open_sync_api(L);
}

}  // namespace spindle::lua
