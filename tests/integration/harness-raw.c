/*
 * harness-raw.c — WebSocket below the client library, on raw sockets:
 * handshakes with headers of the test's choosing (a proxy's
 * X-Forwarded-For), frames the library would never send (unmasked,
 * empty pongs), and reading the server's frames one by one (pings, close
 * codes). Blocking; every read is bounded by a poll (see harness.h).
 */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "xmalloc.h"

/* A frame from the server: 2 + 8 bytes of header at most, no mask. */
#define FRAME_HDR_MAX 10
#define RAW_TIMEOUT_MS 10000

int
h_raw_connect_from(const struct hserver *s, const char *from)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	if (from != NULL) {
		assert_int_equal(inet_pton(AF_INET, from, &sa.sin_addr), 1);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa),
		    0);
	}
	sa.sin_port = htons((uint16_t)s->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

int
h_raw_connect(const struct hserver *s)
{
	return h_raw_connect_from(s, NULL);
}

/* Read exactly len bytes, waiting at most timeout_ms for each piece: 0,
 * -1 on EOF or an error, H_RAW_TIMEOUT when nothing came in time. */
static int
read_full(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t off = 0;

	while (off < len) {
		ssize_t n;

		if (poll(&p, 1, timeout_ms) != 1)
			return H_RAW_TIMEOUT;
		n = read(fd, (char *)buf + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int
h_raw_read(int fd, void *buf, size_t len, int timeout_ms)
{
	return read_full(fd, buf, len, timeout_ms);
}

int
h_raw_upgrade(int fd, const char *headers)
{
	return h_raw_upgrade_host(fd, "127.0.0.1", headers);
}

int
h_raw_upgrade_host(int fd, const char *host, const char *headers)
{
	char req[2048], buf[2048];
	size_t off = 0;
	int status = -1;

	snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: %s\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Protocol: mockint.v1\r\n%s\r\n", host,
	    headers != NULL ? headers : "");
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		return -1;
	/* Up to the blank line and nothing more: frames may follow. */
	while (off < sizeof buf - 1) {
		if (read_full(fd, buf + off, 1, RAW_TIMEOUT_MS) != 0)
			return -1;
		off++;
		if (off >= 4 && memcmp(buf + off - 4, "\r\n\r\n", 4) == 0)
			break;
	}
	buf[off] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	return status;
}

int
h_raw_ws(const struct hserver *s)
{
	int fd = h_raw_connect(s);

	assert_int_equal(h_raw_upgrade(fd, NULL), 101);
	return fd;
}

void
h_raw_send_frame(int fd, int opcode, const void *payload, size_t len,
    int masked)
{
	static const unsigned char mask[4] = { 0x12, 0x34, 0x56, 0x78 };
	unsigned char *f = xmalloc(len + 14);
	unsigned char bit = masked ? 0x80 : 0;
	size_t off = 0;

	f[off++] = (unsigned char)(0x80 | opcode);	/* FIN */
	if (len < 126)
		f[off++] = (unsigned char)(bit | len);
	else if (len < 65536) {
		f[off++] = bit | 126;
		f[off++] = (unsigned char)(len >> 8);
		f[off++] = (unsigned char)len;
	} else {
		f[off++] = bit | 127;
		for (int i = 7; i >= 0; i--)
			f[off++] = (unsigned char)((uint64_t)len >> (8 * i));
	}
	if (masked) {
		memcpy(f + off, mask, 4);
		off += 4;
	}
	for (size_t i = 0; i < len; i++)
		f[off + i] = ((const unsigned char *)payload)[i] ^
		    (masked ? mask[i % 4] : 0);
	off += len;
	assert_int_equal(write(fd, f, off), (ssize_t)off);
	free(f);
}

void
h_raw_send_text(int fd, const char *text)
{
	h_raw_send_frame(fd, H_OP_TEXT, text, strlen(text), 1);
}

int
h_raw_read_frame(int fd, int timeout_ms, char **payload, size_t *len)
{
	unsigned char h[FRAME_HDR_MAX];
	uint64_t n;
	char *buf;
	int rc;

	*payload = NULL;
	*len = 0;
	if ((rc = read_full(fd, h, 2, timeout_ms)) != 0)
		return rc;
	/* The server never masks: a mask bit would be a bug of its own. */
	assert_int_equal(h[1] & 0x80, 0);
	n = h[1] & 0x7f;
	if (n == 126) {
		if (read_full(fd, h + 2, 2, timeout_ms) != 0)
			return -1;
		n = (uint64_t)h[2] << 8 | h[3];
	} else if (n == 127) {
		if (read_full(fd, h + 2, 8, timeout_ms) != 0)
			return -1;
		n = 0;
		for (int i = 2; i < 10; i++)
			n = n << 8 | h[i];
	}
	assert_true(n < 64 * 1024 * 1024);
	buf = xmalloc((size_t)n + 1);
	if (read_full(fd, buf, (size_t)n, timeout_ms) != 0) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*payload = buf;
	*len = (size_t)n;
	return h[0] & 0x0f;
}

json_t *
h_raw_request(int fd, const char *text)
{
	size_t len;
	char *p;
	int op;
	json_t *j;

	h_raw_send_text(fd, text);
	/* Pings and pongs may come first: the next text frame is it. */
	while ((op = h_raw_read_frame(fd, RAW_TIMEOUT_MS, &p, &len)) !=
	    H_OP_TEXT) {
		free(p);
		if (op < 0 || op == H_OP_CLOSE)
			return NULL;
	}
	j = json_loadb(p, len, 0, NULL);
	free(p);
	return j;
}

int
h_raw_wait_close(int fd, int timeout_ms)
{
	long end = h_mono_ms() + timeout_ms;
	int op, code = -1;
	size_t len;
	char *p;

	do {
		long left = end - h_mono_ms();

		if (left <= 0)
			return -1;
		op = h_raw_read_frame(fd, (int)left, &p, &len);
		if (op == H_OP_CLOSE && len >= 2)
			code = (unsigned char)p[0] << 8 | (unsigned char)p[1];
		free(p);
	} while (op >= 0 && op != H_OP_CLOSE);
	return code;
}
