#ifndef IMAPLOG_CZLIB_SHIM_H
#define IMAPLOG_CZLIB_SHIM_H
#include <zlib.h>
#endif
