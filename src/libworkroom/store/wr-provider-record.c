#include "wr-provider-record.h"
