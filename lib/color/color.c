/* color.c — placeholder until the colour module lands. */
#include "scarscore.h"
