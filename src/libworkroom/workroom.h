/* workroom.h — the public API of libworkroom (no widgets). */
#pragma once

#include "wr-util.h"
#include "store/wr-store.h"
#include "store/wr-project.h"
#include "store/wr-chat.h"
#include "store/wr-message.h"
#include "store/wr-profile.h"
#include "store/wr-provider-record.h"
#include "secrets/wr-secrets.h"
#include "providers/wr-sse-parser.h"
#include "providers/wr-provider.h"
#include "providers/wr-openai-provider.h"
#include "providers/wr-provider-registry.h"
#include "chat/wr-chat-service.h"
#include "wr-session.h"
