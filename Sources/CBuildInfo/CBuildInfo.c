#include "CBuildInfo.h"

#ifndef IMAPLOG_VERSION
#define IMAPLOG_VERSION "dev"
#endif

const char *imaplog_build_version(void) { return IMAPLOG_VERSION; }
