#include "wr-chat-service.h"
