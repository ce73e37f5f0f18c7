/* SPDX-License-Identifier: Apache-2.0 */
/* Network syscalls over loopback: TCP, UDP and unix sockets, with exact socket tuples (docs/upstream-facts.md §1.5). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "driver_test.h"

static uint32_t lo4(void)
{
	return htonl(INADDR_LOOPBACK);
}

static struct sockaddr_in sin_lo(uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return s;
}

static uint16_t local_port(int fd)
{
	struct sockaddr_in s;
	socklen_t l = sizeof(s);
	getsockname(fd, (struct sockaddr *)&s, &l);
	return ntohs(s.sin_port);
}

static int t_tcp(void)
{
	int sc[] = { SCAP_SC_SOCKET,   SCAP_SC_BIND,	 SCAP_SC_LISTEN,
		     SCAP_SC_CONNECT,  SCAP_SC_ACCEPT4,	 SCAP_SC_SENDTO,
		     SCAP_SC_RECVFROM, SCAP_SC_SHUTDOWN, -1 };
	pid_t tid = gettid_();
	struct sockaddr_in any = sin_lo(0), srv;
	uint8_t exp[64];
	uint32_t n;
	char buf[16];
	struct ev e;
	int s, c, a;
	uint16_t sport, cport;

	if (cap_open(sc, NULL))
		return 1;
	s = syscall(SYS_socket, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK_SYS(s >= 0);
	FIND(SCAP_EVT_SOCKET_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, s);
	P_U32(&e, 1, AF_INET);
	P_U32(&e, 2, SOCK_STREAM | SOCK_CLOEXEC);
	P_U32(&e, 3, 0);
	P_U32(&e, 4, SCAP_OPEN_FLAGS_O_CLOEXEC);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_bind, s, &any, sizeof(any)) == 0);
	FIND(SCAP_EVT_BIND_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, 0);
	n = enc_inet(exp, lo4(), 0);
	P_BYTES(&e, 1, exp, n);
	P_I64(&e, 2, s);
	ev_free(&e);
	sport = local_port(s);
	srv = sin_lo(sport);
	CHECK_SYS(syscall(SYS_listen, s, 7) == 0);
	FIND(SCAP_EVT_LISTEN_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, s);
	P_U32(&e, 2, 7);
	ev_free(&e);
	c = socket(AF_INET, SOCK_STREAM, 0);
	cap_drain();
	CHECK_SYS(syscall(SYS_connect, c, &srv, sizeof(srv)) == 0);
	cport = local_port(c);
	FIND(SCAP_EVT_CONNECT_E, tid, &e);
	P_N(&e, 2);
	P_I64(&e, 0, c);
	n = enc_inet(exp, lo4(), sport);
	P_BYTES(&e, 1, exp, n);
	ev_free(&e);
	FIND(SCAP_EVT_CONNECT_X, tid, &e);
	P_N(&e, 4);
	P_I64(&e, 0, 0);
	n = enc_tuple4(exp, lo4(), cport, lo4(), sport);
	P_BYTES(&e, 1, exp, n);
	P_I64(&e, 2, c);
	n = enc_inet(exp, lo4(), sport);
	P_BYTES(&e, 3, exp, n);
	ev_free(&e);
	a = syscall(SYS_accept4, s, NULL, NULL, SOCK_NONBLOCK);
	CHECK_SYS(a >= 0);
	FIND(SCAP_EVT_ACCEPT4_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, a);
	n = enc_tuple4(exp, lo4(), cport, lo4(), sport); /* inbound: src = remote */
	P_BYTES(&e, 1, exp, n);
	P_U8(&e, 2, 0);
	P_U32(&e, 3, 0);
	P_U32(&e, 4, 7);
	P_U32(&e, 5, SOCK_NONBLOCK);
	ev_free(&e);
	CHECK(syscall(SYS_sendto, c, "ping!", 5, 0, NULL, 0) == 5);
	FIND(SCAP_EVT_SENDTO_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, 5);
	P_BYTES(&e, 1, "ping!", 5);
	P_I64(&e, 2, c);
	P_U32(&e, 3, 5);
	n = enc_tuple4(exp, lo4(), cport, lo4(), sport);
	P_BYTES(&e, 4, exp, n);
	ev_free(&e);
	wait_readable(a); /* a is non-blocking */
	CHECK(syscall(SYS_recvfrom, a, buf, sizeof(buf), 0, NULL, NULL) == 5);
	FIND(SCAP_EVT_RECVFROM_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, 5);
	P_BYTES(&e, 1, "ping!", 5);
	n = enc_tuple4(exp, lo4(), cport, lo4(), sport);
	P_BYTES(&e, 2, exp, n);
	P_I64(&e, 3, a);
	P_U32(&e, 4, sizeof(buf));
	ev_free(&e);
	CHECK_SYS(syscall(SYS_shutdown, c, SHUT_WR) == 0);
	FIND(SCAP_EVT_SHUTDOWN_X, tid, &e);
	P_N(&e, 3);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, c);
	P_U8(&e, 2, SCAP_SHUTDOWN_HOW_SHUT_WR);
	ev_free(&e);
	/* failures */
	wait_readable(a);
	CHECK(syscall(SYS_recvfrom, a, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) == 0); /* EOF after SHUT_WR */
	FIND(SCAP_EVT_RECVFROM_X, tid, &e);
	P_I64(&e, 0, 0);
	P_EMPTY(&e, 1);
	ev_free(&e);
	CHECK(syscall(SYS_accept4, c, NULL, NULL, 0) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_ACCEPT4_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	P_EMPTY(&e, 1);
	P_U8(&e, 2, 0);
	P_U32(&e, 3, 0);
	P_U32(&e, 4, 0);
	P_U32(&e, 5, 0);
	ev_free(&e);
	CHECK(syscall(SYS_bind, c, &any, sizeof(any)) == -1 && errno == EINVAL);
	FIND(SCAP_EVT_BIND_X, tid, &e);
	P_I64(&e, 0, -EINVAL);
	ev_free(&e);
	close(s);
	{
		int d = socket(AF_INET, SOCK_STREAM, 0);
		cap_drain();
		CHECK(syscall(SYS_connect, d, &srv, sizeof(srv)) == -1 && errno == ECONNREFUSED);
		FIND(SCAP_EVT_CONNECT_X, tid, &e);
		P_I64(&e, 0, -ECONNREFUSED);
		P_EMPTY(&e, 1);
		P_I64(&e, 2, d);
		n = enc_inet(exp, lo4(), sport);
		P_BYTES(&e, 3, exp, n);
		ev_free(&e);
		close(d);
	}
	CHECK(syscall(SYS_socket, 12345, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	FIND(SCAP_EVT_SOCKET_X, tid, &e);
	P_I64(&e, 0, -EAFNOSUPPORT);
	P_U32(&e, 1, 12345);
	ev_free(&e);
	close(a);
	close(c);
	return 0;
}

static int t_udp_msg(void)
{
	int sc[] = { SCAP_SC_SENDTO, SCAP_SC_RECVFROM, SCAP_SC_SENDMSG, SCAP_SC_RECVMSG, -1 };
	pid_t tid = gettid_();
	int u1 = socket(AF_INET, SOCK_DGRAM, 0), u2 = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a1 = sin_lo(0), a2 = sin_lo(0), from;
	socklen_t fl = sizeof(from);
	uint16_t p1, p2;
	uint8_t exp[64];
	uint32_t n;
	char buf[32];
	struct ev e;

	CHECK_SYS(bind(u1, (void *)&a1, sizeof(a1)) == 0 && bind(u2, (void *)&a2, sizeof(a2)) == 0);
	p1 = local_port(u1);
	p2 = local_port(u2);
	a2 = sin_lo(p2);
	if (cap_open(sc, NULL))
		return 1;
	/* unconnected UDP: the remote end comes from the caller's sockaddr */
	CHECK(syscall(SYS_sendto, u1, "dgram", 5, 0, &a2, sizeof(a2)) == 5);
	FIND(SCAP_EVT_SENDTO_X, tid, &e);
	P_I64(&e, 0, 5);
	P_BYTES(&e, 1, "dgram", 5);
	P_I64(&e, 2, u1);
	P_U32(&e, 3, 5);
	n = enc_tuple4(exp, lo4(), p1, lo4(), p2);
	P_BYTES(&e, 4, exp, n);
	ev_free(&e);
	CHECK(syscall(SYS_recvfrom, u2, buf, sizeof(buf), 0, &from, &fl) == 5);
	FIND(SCAP_EVT_RECVFROM_X, tid, &e);
	P_I64(&e, 0, 5);
	P_BYTES(&e, 1, "dgram", 5);
	n = enc_tuple4(exp, lo4(), p1, lo4(), p2); /* inbound: src = the sender */
	P_BYTES(&e, 2, exp, n);
	P_I64(&e, 3, u2);
	P_U32(&e, 4, sizeof(buf));
	ev_free(&e);
	{
		struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
		struct msghdr m = { .msg_name = &a2, .msg_namelen = sizeof(a2), .msg_iov = iov, .msg_iovlen = 2 };
		CHECK(syscall(SYS_sendmsg, u1, &m, 0) == 5);
		FIND(SCAP_EVT_SENDMSG_X, tid, &e);
		P_N(&e, 5);
		P_I64(&e, 0, 5);
		P_BYTES(&e, 1, "abcde", 5);
		P_I64(&e, 2, u1);
		P_U32(&e, 3, 5);
		n = enc_tuple4(exp, lo4(), p1, lo4(), p2);
		P_BYTES(&e, 4, exp, n);
		ev_free(&e);
	}
	{
		char r1[3], r2[8];
		struct iovec iov[2] = { { r1, sizeof(r1) }, { r2, sizeof(r2) } };
		struct sockaddr_in src;
		struct msghdr m = { .msg_name = &src, .msg_namelen = sizeof(src), .msg_iov = iov, .msg_iovlen = 2 };
		CHECK(syscall(SYS_recvmsg, u2, &m, 0) == 5);
		FIND(SCAP_EVT_RECVMSG_X, tid, &e);
		P_N(&e, 6);
		P_I64(&e, 0, 5);
		P_U32(&e, 1, 11);
		P_BYTES(&e, 2, "abcde", 5);
		n = enc_tuple4(exp, lo4(), p1, lo4(), p2);
		P_BYTES(&e, 3, exp, n);
		P_EMPTY(&e, 4);
		P_I64(&e, 5, u2);
		ev_free(&e);
		CHECK(syscall(SYS_recvmsg, u2, &m, MSG_DONTWAIT) == -1 && errno == EAGAIN);
		FIND(SCAP_EVT_RECVMSG_X, tid, &e);
		P_I64(&e, 0, -EAGAIN);
		P_U32(&e, 1, 11);
		P_EMPTY(&e, 2);
		P_EMPTY(&e, 3);
		P_EMPTY(&e, 4);
		P_I64(&e, 5, u2);
		ev_free(&e);
	}
	CHECK(syscall(SYS_sendto, 999, "x", 1, 0, &a2, sizeof(a2)) == -1 && errno == EBADF);
	FIND(SCAP_EVT_SENDTO_X, tid, &e);
	P_I64(&e, 0, -EBADF);
	P_BYTES(&e, 1, "x", 1);
	P_I64(&e, 2, 999);
	P_U32(&e, 3, 1);
	P_EMPTY(&e, 4);
	ev_free(&e);
	close(u1);
	close(u2);
	return 0;
}

static int t_unix(void)
{
	int sc[] = { SCAP_SC_SOCKETPAIR, SCAP_SC_CONNECT, SCAP_SC_ACCEPT, SCAP_SC_SENDTO, SCAP_SC_BIND, -1 };
	pid_t tid = gettid_();
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	uint64_t src, peer, ca, cb;
	int sv[2], s, c, a;
	struct ev e;
	uint8_t exp[200];

	snprintf(sun.sun_path, sizeof(sun.sun_path), "/tmp/drvtest.%d.sock", getpid());
	unlink(sun.sun_path);
	if (cap_open(sc, NULL))
		return 1;
	CHECK_SYS(syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	FIND(SCAP_EVT_SOCKETPAIR_X, tid, &e);
	P_N(&e, 8);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, sv[0]);
	P_I64(&e, 2, sv[1]);
	memcpy(&src, e.p[3].data, 8);
	memcpy(&peer, e.p[4].data, 8);
	CHECK(e.p[3].len == 8 && e.p[4].len == 8 && src && peer && src != peer);
	P_U32(&e, 5, AF_UNIX);
	P_U32(&e, 6, SOCK_STREAM);
	P_U32(&e, 7, 0);
	ev_free(&e);
	/* the pointers are the ones a send on sv[0] reports: outbound A = peer, B = local */
	CHECK(syscall(SYS_sendto, sv[0], "u", 1, 0, NULL, 0) == 1);
	FIND(SCAP_EVT_SENDTO_X, tid, &e);
	exp[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
	memcpy(exp + 1, &peer, 8);
	memcpy(exp + 9, &src, 8);
	exp[17] = 0;
	P_BYTES(&e, 4, exp, 18);
	ev_free(&e);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK_SYS(syscall(SYS_bind, s, &sun, sizeof(sun)) == 0);
	FIND(SCAP_EVT_BIND_X, tid, &e);
	exp[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
	strcpy((char *)exp + 1, sun.sun_path);
	P_BYTES(&e, 1, exp, 2 + strlen(sun.sun_path));
	ev_free(&e);
	listen(s, 1);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	cap_drain();
	CHECK_SYS(syscall(SYS_connect, c, &sun, sizeof(sun)) == 0);
	FIND(SCAP_EVT_CONNECT_E, tid, &e);
	P_I64(&e, 0, c);
	P_BYTES(&e, 1, exp, 2 + strlen(sun.sun_path));
	ev_free(&e);
	FIND(SCAP_EVT_CONNECT_X, tid, &e);
	CHECK(e.p[1].len == 17 + strlen(sun.sun_path) + 1);
	CHECK(((const uint8_t *)e.p[1].data)[0] == SCAP_SOCKET_FAMILIES_AF_UNIX);
	memcpy(&ca, (const uint8_t *)e.p[1].data + 1, 8);
	memcpy(&cb, (const uint8_t *)e.p[1].data + 9, 8);
	CHECK(ca && cb && ca != cb);
	CHECK(!strcmp((const char *)e.p[1].data + 17, sun.sun_path));
	P_I64(&e, 2, c);
	P_BYTES(&e, 3, exp, 2 + strlen(sun.sun_path));
	ev_free(&e);
	a = syscall(SYS_accept, s, NULL, NULL);
	CHECK_SYS(a >= 0);
	FIND(SCAP_EVT_ACCEPT_3_X, tid, &e);
	P_N(&e, 5);
	P_I64(&e, 0, a);
	/* inbound on the server side: A = local (the connect's peer), B = peer (the client) */
	exp[0] = SCAP_SOCKET_FAMILIES_AF_UNIX;
	memcpy(exp + 1, &ca, 8);
	memcpy(exp + 9, &cb, 8);
	strcpy((char *)exp + 17, sun.sun_path);
	P_BYTES(&e, 1, exp, 18 + strlen(sun.sun_path));
	P_U8(&e, 2, 0);
	P_U32(&e, 3, 0);
	P_U32(&e, 4, 1);
	ev_free(&e);
	CHECK(syscall(SYS_socketpair, AF_INET, SOCK_STREAM, 0, sv) == -1 && errno == EOPNOTSUPP);
	FIND(SCAP_EVT_SOCKETPAIR_X, tid, &e);
	P_I64(&e, 0, -EOPNOTSUPP);
	P_I64(&e, 1, -1);
	P_I64(&e, 2, -1);
	P_U64(&e, 3, 0);
	P_U64(&e, 4, 0);
	P_U32(&e, 5, AF_INET);
	ev_free(&e);
	close(a);
	close(c);
	close(s);
	unlink(sun.sun_path);
	return 0;
}

static int t_sockopt(void)
{
	int sc[] = { SCAP_SC_SETSOCKOPT, SCAP_SC_GETSOCKOPT, -1 };
	pid_t tid = gettid_();
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1, v = 0;
	socklen_t l = sizeof(v);
	struct timeval tv = { .tv_sec = 2, .tv_usec = 500 };
	uint8_t exp[16];
	struct ev e;

	if (cap_open(sc, NULL))
		return 1;
	CHECK_SYS(syscall(SYS_setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	FIND(SCAP_EVT_SETSOCKOPT_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, s);
	P_U8(&e, 2, SCAP_SOCKOPT_LEVELS_SOL_SOCKET);
	P_U8(&e, 3, SCAP_SOCKOPT_OPTIONS_SO_REUSEADDR);
	exp[0] = 2;
	memcpy(exp + 1, &one, 4);
	P_BYTES(&e, 4, exp, 5);
	P_U32(&e, 5, 4);
	ev_free(&e);
	CHECK_SYS(syscall(SYS_setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	FIND(SCAP_EVT_SETSOCKOPT_X, tid, &e);
	exp[0] = 4;
	{
		uint64_t ns = 2000000000ull + 500000;
		memcpy(exp + 1, &ns, 8);
	}
	P_U8(&e, 3, SCAP_SOCKOPT_OPTIONS_SO_RCVTIMEO);
	P_BYTES(&e, 4, exp, 9);
	P_U32(&e, 5, sizeof(tv));
	ev_free(&e);
	CHECK_SYS(syscall(SYS_getsockopt, s, SOL_SOCKET, SO_RCVBUF, &v, &l) == 0);
	FIND(SCAP_EVT_GETSOCKOPT_X, tid, &e);
	P_N(&e, 6);
	P_I64(&e, 0, 0);
	P_I64(&e, 1, s);
	P_U8(&e, 2, SCAP_SOCKOPT_LEVELS_SOL_SOCKET);
	P_U8(&e, 3, SCAP_SOCKOPT_OPTIONS_SO_RCVBUF);
	exp[0] = 2;
	memcpy(exp + 1, &v, 4);
	P_BYTES(&e, 4, exp, 5);
	P_U32(&e, 5, 4);
	ev_free(&e);
	CHECK(syscall(SYS_setsockopt, 0, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 && errno == ENOTSOCK);
	FIND(SCAP_EVT_SETSOCKOPT_X, tid, &e);
	P_I64(&e, 0, -ENOTSOCK);
	P_I64(&e, 1, 0);
	ev_free(&e);
	close(s);
	return 0;
}

const struct test_case net_cases[] = {
	{ "tcp_socket_bind_listen_connect_accept4_sendto_recvfrom_shutdown", t_tcp },
	{ "udp_sendto_recvfrom_sendmsg_recvmsg", t_udp_msg },
	{ "unix_socketpair_bind_connect_accept", t_unix },
	{ "setsockopt_getsockopt", t_sockopt },
	{ NULL, NULL },
};
