#include "wr-message.h"
