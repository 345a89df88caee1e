#include "wr-sse-parser.h"
