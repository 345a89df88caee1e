#include "wr-session.h"
