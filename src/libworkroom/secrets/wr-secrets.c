#include "wr-secrets.h"
