#include "table.h"

namespace raa {
void registerListCommands() {}
}  // namespace raa
