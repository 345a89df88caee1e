#include "wr-openai-provider.h"
