/* A scripted HTTP/1.1 server on loopback for the vi/ unit tests: it answers
 * each request with the next canned response and records what it received,
 * so tests can check headers and bodies byte for byte. */
#pragma once

#include <glib.h>

typedef struct fake_server fake_server;

typedef struct {
    char *head; /* request line and headers */
    char *body;
} fake_request;

/* Starts the server; RESPONSES are queued with fake_server_push(). */
fake_server *fake_server_new(void);
/* A stand-in for a broken TLS server: each connection gets the LEN bytes of
 * REPLY (none: just closed) once the client has sent something (its TLS
 * ClientHello), then is closed. Its URL is "https://127.0.0.1:PORT/sdk". */
fake_server *fake_server_new_raw(const void *reply, gsize len);
/* Queues a response: STATUS, extra header lines (each ending in \r\n, or NULL), BODY. */
void fake_server_push(fake_server *s, int status, const char *headers, const char *body);
/* Writes a streamed body to FD with fake_stream_send() until it is done or
 * the client has gone; the server closes the connection after it. Runs in
 * the server's thread. */
typedef void (*fake_stream_func)(fake_server *s, int fd, gpointer data);
/* Queues a 200 response whose body STREAM writes (no Content-Length: it
 * ends when the connection closes), after the extra HEADERS (each ending in
 * \r\n, or NULL). Nothing is held in memory but what STREAM holds. */
void fake_server_push_stream(fake_server *s, const char *headers, fake_stream_func stream, gpointer data);
/* Sends LEN bytes of BUF to FD; FALSE once the client has closed the
 * connection or the server is being freed (stop writing then). */
gboolean fake_stream_send(fake_server *s, int fd, const void *buf, gsize len);
/* A fake_stream_func that sends DATA (a string, borrowed) a byte a second,
 * over and over, until the client goes (or ten minutes have passed). */
void fake_stream_drip(fake_server *s, int fd, gpointer data);
/* "http://127.0.0.1:PORT/sdk" ("https://..." for a raw server) */
const char *fake_server_url(fake_server *s);
/* Requests received so far (fake_request *), in order. */
GPtrArray *fake_server_requests(fake_server *s);
/* Frees the requests recorded so far (long tests that measure memory). */
void fake_server_forget_requests(fake_server *s);
void fake_server_free(fake_server *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(fake_server, fake_server_free)
