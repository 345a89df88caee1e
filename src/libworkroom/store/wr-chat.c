#include "wr-chat.h"
