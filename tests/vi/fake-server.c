/* See fake-server.h. One thread, one connection at a time, keep-alive. */
#include "fake-server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct fake_server {
    int listen_fd;
    char *url;
    GThread *thread;
    GMutex lock;
    GQueue responses;    /* pending * */
    GPtrArray *requests; /* fake_request * */
    gboolean stop;
    GBytes *raw; /* raw mode: the bytes every connection gets */
};

/* A queued response: the whole of it, or a head and a function that streams
 * the body (then the connection is closed). */
typedef struct {
    char *head;
    fake_stream_func stream;
    gpointer data;
} pending;

static void
pending_free(gpointer p)
{
    pending *r = p;
    if (r) {
        g_free(r->head);
        g_free(r);
    }
}

static void
request_free(gpointer p)
{
    fake_request *r = p;
    g_free(r->head);
    g_free(r->body);
    g_free(r);
}

/* Reads one request from FD into a new fake_request; NULL on EOF. */
static fake_request *
read_request(int fd, GString *buf)
{
    for (;;) {
        char *end = strstr(buf->str, "\r\n\r\n");
        if (end) {
            gsize head_len = end - buf->str;
            g_autofree char *head = g_strndup(buf->str, head_len);
            gsize body_len = 0;
            g_autofree char *lower = g_ascii_strdown(head, -1);
            const char *cl = strstr(lower, "content-length:");
            if (cl)
                body_len = g_ascii_strtoull(cl + 15, NULL, 10);
            while (buf->len < head_len + 4 + body_len) {
                char tmp[65536];
                ssize_t n = read(fd, tmp, sizeof tmp);
                if (n <= 0)
                    return NULL;
                g_string_append_len(buf, tmp, n);
            }
            fake_request *r = g_new0(fake_request, 1);
            r->head = g_steal_pointer(&head);
            r->body = g_strndup(buf->str + head_len + 4, body_len);
            g_string_erase(buf, 0, head_len + 4 + body_len);
            return r;
        }
        char tmp[65536];
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n <= 0)
            return NULL;
        g_string_append_len(buf, tmp, n);
    }
}

static void
write_all(int fd, const char *buf, gsize len)
{
    gsize off = 0;
    while (off < len) {
        ssize_t n = write(fd, buf + off, len - off);
        if (n <= 0)
            break;
        off += n;
    }
}

/* Raw mode: read what the client sends first (a TLS ClientHello), answer
 * with the raw bytes, close. */
static void
serve_raw(fake_server *s, int fd)
{
    char tmp[65536];
    if (read(fd, tmp, sizeof tmp) > 0) {
        gsize len;
        const char *raw = g_bytes_get_data(s->raw, &len);
        write_all(fd, raw, len);
    }
    close(fd);
}

static gpointer
serve(gpointer data)
{
    fake_server *s = data;
    for (;;) {
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            return NULL;
        if (s->raw) {
            serve_raw(s, fd);
            continue;
        }
        g_autoptr(GString) buf = g_string_new(NULL);
        fake_request *r;
        while ((r = read_request(fd, buf)) != NULL) {
            g_mutex_lock(&s->lock);
            g_ptr_array_add(s->requests, r);
            pending *resp = g_queue_pop_head(&s->responses);
            gboolean stop = s->stop;
            g_mutex_unlock(&s->lock);
            if (stop || !resp) {
                pending_free(resp);
                break;
            }
            if (resp->stream) {
                /* the body runs to the end of the connection */
                if (fake_stream_send(s, fd, resp->head, strlen(resp->head)))
                    resp->stream(s, fd, resp->data);
                pending_free(resp);
                break;
            }
            write_all(fd, resp->head, strlen(resp->head));
            pending_free(resp);
        }
        close(fd);
        g_mutex_lock(&s->lock);
        gboolean stop = s->stop;
        g_mutex_unlock(&s->lock);
        if (stop)
            return NULL;
    }
}

static fake_server *
server_new(const char *scheme, GBytes *raw)
{
    fake_server *s = g_new0(fake_server, 1);
    s->raw = raw;
    g_mutex_init(&s->lock);
    g_queue_init(&s->responses);
    s->requests = g_ptr_array_new_with_free_func(request_free);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    g_assert_cmpint(s->listen_fd, >=, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    g_assert_cmpint(bind(s->listen_fd, (struct sockaddr *)&a, sizeof a), ==, 0);
    g_assert_cmpint(listen(s->listen_fd, 8), ==, 0);
    socklen_t alen = sizeof a;
    getsockname(s->listen_fd, (struct sockaddr *)&a, &alen);
    s->url = g_strdup_printf("%s://127.0.0.1:%d/sdk", scheme, ntohs(a.sin_port));
    s->thread = g_thread_new("fake-server", serve, s);
    return s;
}

fake_server *
fake_server_new(void)
{
    return server_new("http", NULL);
}

fake_server *
fake_server_new_raw(const void *reply, gsize len)
{
    return server_new("https", g_bytes_new(reply, len));
}

void
fake_server_push(fake_server *s, int status, const char *headers, const char *body)
{
    pending *resp = g_new0(pending, 1);
    resp->head = g_strdup_printf("HTTP/1.1 %d X\r\nContent-Type: text/xml; charset=utf-8\r\n"
                                 "Content-Length: %zu\r\n%s\r\n%s",
                                 status, strlen(body), headers ? headers : "", body);
    g_mutex_lock(&s->lock);
    g_queue_push_tail(&s->responses, resp);
    g_mutex_unlock(&s->lock);
}

void
fake_server_push_stream(fake_server *s, const char *headers, fake_stream_func stream, gpointer data)
{
    pending *resp = g_new0(pending, 1);
    resp->head = g_strdup_printf("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
                                 "Connection: close\r\n%s\r\n",
                                 headers ? headers : "");
    resp->stream = stream;
    resp->data = data;
    g_mutex_lock(&s->lock);
    g_queue_push_tail(&s->responses, resp);
    g_mutex_unlock(&s->lock);
}

gboolean
fake_stream_send(fake_server *s, int fd, const void *buf, gsize len)
{
    gsize off = 0;
    while (off < len) {
        g_mutex_lock(&s->lock);
        gboolean stop = s->stop;
        g_mutex_unlock(&s->lock);
        if (stop)
            return FALSE;
        ssize_t n = send(fd, (const char *)buf + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            return FALSE;
        off += n;
    }
    return TRUE;
}

void
fake_stream_drip(fake_server *s, int fd, gpointer data)
{
    const char *text = data;
    gsize len = strlen(text);
    for (gsize i = 0; i < 600 && fake_stream_send(s, fd, text + i % len, 1); i++)
        g_usleep(G_USEC_PER_SEC);
}

const char *
fake_server_url(fake_server *s)
{
    return s->url;
}

GPtrArray *
fake_server_requests(fake_server *s)
{
    return s->requests;
}

void
fake_server_forget_requests(fake_server *s)
{
    g_mutex_lock(&s->lock);
    g_ptr_array_set_size(s->requests, 0);
    g_mutex_unlock(&s->lock);
}

void
fake_server_free(fake_server *s)
{
    if (!s)
        return;
    g_mutex_lock(&s->lock);
    s->stop = TRUE;
    g_mutex_unlock(&s->lock);
    shutdown(s->listen_fd, SHUT_RDWR);
    close(s->listen_fd);
    g_thread_join(s->thread);
    g_queue_clear_full(&s->responses, pending_free);
    g_ptr_array_free(s->requests, TRUE);
    g_mutex_clear(&s->lock);
    if (s->raw)
        g_bytes_unref(s->raw);
    g_free(s->url);
    g_free(s);
}
