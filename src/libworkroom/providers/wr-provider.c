#include "wr-provider.h"
