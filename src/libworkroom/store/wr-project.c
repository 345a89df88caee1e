#include "wr-project.h"
