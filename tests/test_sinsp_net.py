"""Socket state: socket, bind, listen, accept/accept4, connect (connected, pending, failed; IPv4,
IPv6, unix), UDP send/recv tuples, socketpair, shutdown; the socket fields."""

import pytest
from test_sinsp_lib import (
    FD_IPV4_SERVSOCK,
    FD_IPV4_SOCK,
    FD_IPV6_SOCK,
    FD_UNIX_SOCK,
    L4_TCP,
    Inspector,
    encode,
    libs,
    sockaddr_in,
    sockaddr_un,
    tuple_in,
    tuple_un,
)

SRV, CLI = 10, 20
CONNECTED, PENDING, FAILED, CLIENT, SERVER = 8192, 32768, 65536, 4, 8


@pytest.fixture(autouse=True)
def _lib(build_dir):
    libs()


def insp(*events):
    i = Inspector(b"".join(events))
    i.add_thread(1, comm="init")
    i.add_thread(SRV, ptid=1, comm="server")
    i.add_thread(CLI, ptid=1, comm="client")
    return i


def socket_x(ts, tid, fd, domain=2, type_=1, proto=6):
    return encode(ts, tid, "SOCKET_X", fd, domain, type_, proto, 0)


def test_tcp_ipv4_server_and_client():
    i = insp(
        socket_x(1, SRV, 3),
        encode(2, SRV, "BIND_X", 0, sockaddr_in("0.0.0.0", 8080), 3),
        encode(3, SRV, "LISTEN_X", 0, 3, 128),
        socket_x(4, CLI, 5),
        encode(5, CLI, "CONNECT_E", 5, sockaddr_in("10.0.0.1", 8080)),
        encode(6, CLI, "CONNECT_X", 0, tuple_in("10.0.0.2", 40000, "10.0.0.1", 8080), 5, sockaddr_in("10.0.0.1", 8080)),
        encode(7, SRV, "ACCEPT4_X", 4, tuple_in("10.0.0.2", 40000, "10.0.0.1", 8080), 0, 1, 128, 0),
        encode(8, CLI, "SENDTO_X", 5, b"hello", 5, 5, None),
        encode(9, SRV, "SHUTDOWN_X", 0, 4, 2),
    )
    i.next()
    f = i.thread(SRV).fd(3)
    assert (f.type, f.typestr, f.name, f.l4proto) == (FD_IPV4_SOCK, "ipv4", "", L4_TCP)
    assert i.fmt("%evt.args") == "fd=3(<4>) domain=2(AF_INET) type=1 proto=6 flags=0(O_NONE) "
    i.next()
    f = i.thread(SRV).fd(3)
    assert (f.type, f.name) == (FD_IPV4_SERVSOCK, "0.0.0.0:8080")
    assert i.fmt("%fd.sip %fd.sport %fd.is_server %fd.l4proto %fd.typechar") == "0.0.0.0 8080 true tcp 4"
    i.next()
    assert i.thread(SRV).fd(3).flags & SERVER
    assert i.fmt("%evt.args") == "res=0 fd=3(<4t>0.0.0.0:8080) backlog=128 "
    i.next()
    i.next()
    assert i.thread(CLI).fd(5).name == ""
    i.next()
    c = i.thread(CLI).fd(5)
    assert (c.name, c.flags & (CONNECTED | CLIENT | PENDING | FAILED)) == (
        "10.0.0.2:40000->10.0.0.1:8080",
        CONNECTED | CLIENT,
    )
    assert (
        i.fmt("%fd.cip:%fd.cport %fd.sip:%fd.sport %fd.lip:%fd.lport %fd.rip:%fd.rport %fd.is_server %fd.connected")
        == "10.0.0.2:40000 10.0.0.1:8080 10.0.0.2:40000 10.0.0.1:8080 false true"
    )
    i.next()
    a = i.thread(SRV).fd(4)
    assert (a.name, a.type, a.l4proto, a.flags & (SERVER | CONNECTED)) == (
        "10.0.0.2:40000->10.0.0.1:8080",
        FD_IPV4_SOCK,
        L4_TCP,
        SERVER | CONNECTED,
    )
    assert i.fmt("%fd.lip:%fd.lport %fd.rip:%fd.rport %fd.is_server") == "10.0.0.1:8080 10.0.0.2:40000 true"
    assert (
        i.fmt("%evt.arg.fd %evt.arg[1] %evt.rawarg.queuemax")
        == "4(<4t>10.0.0.2:40000->10.0.0.1:8080) 10.0.0.2:40000->10.0.0.1:8080 128"
    )
    i.next()
    assert (
        i.fmt("%fd.name %evt.buflen %evt.is_io_write %evt.io_dir %evt.category")
        == "10.0.0.2:40000->10.0.0.1:8080 5 true w net"
    )
    i.next()
    assert not i.thread(SRV).fd(4).flags & CONNECTED


def test_connect_pending_failed_and_from_the_enter_address():
    i = insp(
        socket_x(1, CLI, 3, domain=10),
        encode(
            2,
            CLI,
            "CONNECT_X",
            -115,
            tuple_in("2001:db8::4", 5000, "2001:db8::3", 1234),
            3,
            sockaddr_in("2001:db8::3", 1234),
        ),
        socket_x(3, CLI, 4),
        encode(4, CLI, "CONNECT_E", 4, sockaddr_in("192.168.1.1", 443)),
        encode(5, CLI, "CONNECT_X", -111, None, 4, None),
        socket_x(6, CLI, 6, domain=1, type_=1, proto=0),
        encode(
            7,
            CLI,
            "CONNECT_X",
            -2,
            tuple_un(0, 0xFFFF94DC817B9400, "/var/run/nscd/socket"),
            6,
            sockaddr_un("/var/run/nscd/socket"),
        ),
    )
    i.next()
    i.next()
    f = i.thread(CLI).fd(3)
    assert (f.type, f.name, f.flags & (PENDING | CONNECTED | FAILED)) == (
        FD_IPV6_SOCK,
        "2001:db8::4:5000->2001:db8::3:1234",
        PENDING,
    )
    assert i.fmt("%evt.res %fd.cip %fd.sip") == "EINPROGRESS 2001:db8::4 2001:db8::3"
    i.next()
    i.next()
    i.next()
    # failed: the socket keeps its state (flagged failed); the event shows the address it tried
    f = i.thread(CLI).fd(4)
    assert (f.name, f.flags & FAILED) == ("", FAILED)
    assert i.fmt("%fd.name %fd.sip %fd.sport %evt.res") == "0.0.0.0:0->192.168.1.1:443 192.168.1.1 443 ECONNREFUSED"
    i.next()
    i.next()
    f = i.thread(CLI).fd(6)
    assert (f.type, f.name) == (FD_UNIX_SOCK, "")
    assert i.fmt("%fd.name %fd.sockfamily") == "0->ffff94dc817b9400 /var/run/nscd/socket unix"


def test_udp_tuples_follow_the_data_path_and_keep_the_client_first():
    i = insp(
        socket_x(1, CLI, 3, type_=2, proto=17),
        encode(2, CLI, "SENDTO_X", 10, b"q", 3, 10, tuple_in("10.0.0.2", 5353, "8.8.8.8", 53)),
        encode(3, CLI, "RECVFROM_X", 40, b"r", tuple_in("8.8.8.8", 53, "10.0.0.2", 5353), 3, 512),
        socket_x(4, SRV, 7, type_=2, proto=17),
        encode(5, SRV, "RECVFROM_X", 3, b"abc", tuple_in("10.0.0.9", 999, "10.0.0.1", 53), 7, 512),
    )
    i.next()
    i.next()
    assert i.thread(CLI).fd(3).name == "10.0.0.2:5353->8.8.8.8:53"
    assert i.fmt("%fd.l4proto %fd.lip %fd.rip") == "udp 10.0.0.2 8.8.8.8"
    i.next()
    assert i.thread(CLI).fd(3).name == "10.0.0.2:5353->8.8.8.8:53"
    i.next()
    i.next()
    assert i.thread(SRV).fd(7).name == "10.0.0.9:999->10.0.0.1:53"
    assert i.fmt("%fd.is_server %fd.lip %fd.rip %evt.buffer %evt.is_io_read") == "true 10.0.0.1 10.0.0.9 abc true"


def test_socketpair_and_unix_bind():
    i = insp(
        encode(1, SRV, "SOCKETPAIR_X", 0, 3, 4, 0xAAAA, 0xBBBB, 1, 1, 0),
        socket_x(2, SRV, 5, domain=1, type_=1, proto=0),
        encode(3, SRV, "BIND_X", 0, sockaddr_un("/run/app.sock"), 5),
    )
    i.next()
    a, b = i.thread(SRV).fd(3), i.thread(SRV).fd(4)
    assert (a.name, b.name, a.unix_src, a.unix_dst, b.unix_src, b.unix_dst) == (
        "aaaa->bbbb",
        "bbbb->aaaa",
        0xAAAA,
        0xBBBB,
        0xBBBB,
        0xAAAA,
    )
    i.next()
    i.next()
    assert i.thread(SRV).fd(5).name == "/run/app.sock"


def test_poll_fdlist_fields():
    fds = (3).to_bytes(2, "little")
    for fd, fl in ((3, 1), (4, 4), (9, 1)):
        fds += fd.to_bytes(8, "little", signed=True) + fl.to_bytes(2, "little")
    i = insp(
        socket_x(1, CLI, 3),
        encode(2, CLI, "CONNECT_X", 0, tuple_in("10.0.0.2", 40000, "10.0.0.1", 80), 3, None),
        encode(3, CLI, "OPENAT_X", 4, -100, "/tmp/f", 1, 0, 0, 0),
        encode(4, CLI, "POLL_X", 1, fds, 1000),
    )
    i.run()
    i2 = insp(
        socket_x(1, CLI, 3),
        encode(2, CLI, "CONNECT_X", 0, tuple_in("10.0.0.2", 40000, "10.0.0.1", 80), 3, None),
        encode(3, CLI, "OPENAT_X", 4, -100, "/tmp/f", 1, 0, 0, 0),
        encode(4, CLI, "POLL_X", 1, fds, 1000),
    )
    for _ in range(4):
        i2.next()
    assert (
        i2.fmt("%fdlist.nums|%fdlist.names|%fdlist.cips|%fdlist.sports|%evt.args")
        == "3,4,9|10.0.0.2:40000->10.0.0.1:80,/tmp/f,<NA>|10.0.0.2|80|res=1 fds=3:41 4:f4 9:1 timeout=1000 "
    )


def test_scm_rights_and_so_error():
    import struct

    cmsg = struct.pack("<QiiII", 24, 1, 1, 7, 8)  # SOL_SOCKET, SCM_RIGHTS, fds 7 and 8
    so_error = lambda v: bytes([1]) + struct.pack("<q", v)  # noqa: E731  (DYN selector 1: ERRNO)
    i = insp(
        encode(1, SRV, "RECVMSG_X", 1, 1, b"x", None, cmsg, 3),
        socket_x(2, CLI, 4),
        encode(3, CLI, "CONNECT_X", -115, tuple_in("10.0.0.2", 1000, "10.0.0.1", 80), 4, None),
        encode(4, CLI, "GETSOCKOPT_X", 0, 4, 1, 4, so_error(0), 4),
        socket_x(5, CLI, 5),
        encode(6, CLI, "CONNECT_X", -115, tuple_in("10.0.0.2", 1001, "10.0.0.1", 81), 5, None),
        encode(7, CLI, "GETSOCKOPT_X", 0, 5, 1, 4, so_error(-111), 4),
    )
    i.next()
    fds = i.thread(SRV).fds
    assert sorted(fds) == [7, 8] and fds[7].typestr == "<NA>"
    for _ in range(3):
        i.next()
    assert i.thread(CLI).fd(4).flags & (PENDING | CONNECTED | FAILED) == CONNECTED
    assert (
        i.fmt("%evt.args") == "res=0 fd=4(<4t>10.0.0.2:1000->10.0.0.1:80) level=1(SOL_SOCKET) optname=4(SO_ERROR) "
        "val=0 optlen=4 "
    )
    i.run()
    assert i.thread(CLI).fd(5).flags & (PENDING | CONNECTED | FAILED) == FAILED
