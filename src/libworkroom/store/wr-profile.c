#include "wr-profile.h"
