#include "table.h"

namespace raa {
void registerZSetCommands() {}
}  // namespace raa
