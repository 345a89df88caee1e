#include "wr-provider-registry.h"
