// The public header compiles as C++ and its version agrees with the library.
#include "scarscore.h"

#include <cstring>

int main()
{
    if (scar_version_number() != SCAR_VERSION_NUMBER)
        return 1;
    return std::strcmp(scar_version(), SCAR_VERSION_STRING) == 0 ? 0 : 1;
}
