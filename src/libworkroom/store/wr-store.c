#include "wr-store.h"
