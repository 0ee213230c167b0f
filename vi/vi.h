/* vi/: the vSphere (VI) API client.
 *
 * Layers, each in its own header:
 *   vi-error.h      the VI_ERROR domain and fault accessors
 *   vi-value.h      generic VI data trees (parse results, request arguments)
 *   vi-types.h      the declared VI types and methods, typed structs
 *   vi-conn.h       connection, session, generic method calls
 *   vi-collector.h  bulk property retrieval (paging)
 *   vi-task.h       tasks, progress, cancel, VM questions
 *
 * Typical use:
 *   vi_conn_options o = VI_CONN_OPTIONS_INIT;
 *   o.url = "https://esx.example.com/sdk";
 *   g_autoptr(vi_conn) c = vi_conn_new(&o, &err);
 *   vi_session_login(c, "root", password, &err);
 *   vi_conn_service_content(c)->about->fullName ...
 *
 * Logging: set vi_conn_options.log to receive one debug line per SOAP call
 * (method, endpoint, status, size, time) and, with log_bodies, the bodies
 * with passwords and session keys masked. The session cookie is never
 * logged. */
#pragma once

#include "vi/vi-error.h"
#include "vi/vi-value.h"
#include "vi/vi-types.h"
#include "vi/vi-conn.h"
#include "vi/vi-collector.h"
#include "vi/vi-task.h"
