/*
 * netshim: gives the processes of one sandbox Pod their own loopback address (POD_IP, in
 * 127.0.0.0/8) although every Pod shares the machine's network namespace. Loaded with
 * LD_PRELOAD; does nothing unless POD_IP holds an IPv4 address in 127.0.0.0/8.
 *
 *  - bind() to 0.0.0.0 or 127.0.0.1 binds POD_IP instead: servers told to listen on `*` or
 *    `localhost` listen on the Pod's address only, so Pods can share a port number.
 *  - bind() to :: or ::1 on a dual-stack IPv6 socket binds ::ffff:POD_IP; on an IPV6_V6ONLY
 *    socket it fails with EADDRNOTAVAIL (a Pod has no IPv6 address; grabbing [::]:port would
 *    collide with every other Pod). PostgreSQL logs a warning for that socket and carries on.
 *  - listen() on an unbound socket binds POD_IP:0 first (the kernel would pick 0.0.0.0).
 *  - connect(), sendto(), sendmsg() on an unbound TCP/UDP socket bind the source to POD_IP
 *    first: for 127.x destinations Linux would otherwise pick 127.0.0.1 as the source.
 *  - connect() to 127.0.0.1:p or ::1:p goes to POD_IP:p when this Pod listens on POD_IP:p, so
 *    `psql -h localhost` inside a Pod reaches the Pod's own server, as in a real Pod network
 *    namespace; otherwise (the apiserver on 127.0.0.1:6443) the destination is kept.
 *  - any destination outside loopback fails with ENETUNREACH (sandbox network safety).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);
typedef int (*listen_fn)(int, int);
typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);

static bind_fn real_bind;
static connect_fn real_connect;
static listen_fn real_listen;
static sendto_fn real_sendto;
static sendmsg_fn real_sendmsg;

/* 0: not read yet, 1: active, -1: inactive (no or invalid POD_IP). */
static int shim_state;
static struct in_addr pod_ip;

/* Resolved lazily: another library's constructor may open sockets before ours runs. */
static void resolve(void) {
  if (real_bind != NULL) return;
  real_connect = (connect_fn)dlsym(RTLD_NEXT, "connect");
  real_listen = (listen_fn)dlsym(RTLD_NEXT, "listen");
  real_sendto = (sendto_fn)dlsym(RTLD_NEXT, "sendto");
  real_sendmsg = (sendmsg_fn)dlsym(RTLD_NEXT, "sendmsg");
  real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
}

static int active(void) {
  resolve();
  if (shim_state != 0) return shim_state > 0;
  const char *value = getenv("POD_IP");
  struct in_addr parsed;
  if (value != NULL && inet_pton(AF_INET, value, &parsed) == 1 && (ntohl(parsed.s_addr) >> 24) == 127) {
    pod_ip = parsed;
    shim_state = 1;
  } else {
    if (value != NULL && value[0] != '\0') fprintf(stderr, "netshim: ignoring POD_IP=%s (not an address in 127.0.0.0/8)\n", value);
    shim_state = -1;
  }
  return shim_state > 0;
}

static int is_inet_stream_or_dgram(int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0) return 0;
  return type == SOCK_STREAM || type == SOCK_DGRAM;
}

static int is_v6only(int fd) {
  int on = 0;
  socklen_t len = sizeof on;
  return getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, &len) == 0 && on;
}

static int is_mapped_v4(const struct in6_addr *a) { return IN6_IS_ADDR_V4MAPPED(a); }

static uint32_t mapped_v4(const struct in6_addr *a) {
  uint32_t v;
  memcpy(&v, &a->s6_addr[12], sizeof v);
  return v;
}

static void set_mapped(struct in6_addr *a, uint32_t v4) {
  memset(a, 0, sizeof *a);
  a->s6_addr[10] = 0xff;
  a->s6_addr[11] = 0xff;
  memcpy(&a->s6_addr[12], &v4, sizeof v4);
}

static int is_loopback_v4(uint32_t net_order) { return (ntohl(net_order) >> 24) == 127; }

/* An unbound socket reports port 0 and the wildcard address. */
static int is_unbound(int fd) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return 0;
  if (ss.ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
    return in->sin_port == 0 && in->sin_addr.s_addr == htonl(INADDR_ANY);
  }
  if (ss.ss_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
    return in6->sin6_port == 0 && IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr);
  }
  return 0;
}

/* Binds POD_IP:0 (or ::ffff:POD_IP:0); the port is left to connect() so no ephemeral port is
 * reserved per socket (IP_BIND_ADDRESS_NO_PORT). */
static int bind_source(int fd, int family) {
  int on = 1;
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
  if (family == AF_INET) {
    struct sockaddr_in src = {.sin_family = AF_INET, .sin_port = 0, .sin_addr = pod_ip};
    return real_bind(fd, (const struct sockaddr *)&src, sizeof src);
  }
  struct sockaddr_in6 src6 = {.sin6_family = AF_INET6, .sin6_port = 0};
  set_mapped(&src6.sin6_addr, pod_ip.s_addr);
  return real_bind(fd, (const struct sockaddr *)&src6, sizeof src6);
}

/* True when a TCP socket of this machine listens on POD_IP:port (IPv4 or v4-mapped IPv6).
 * /proc/net/tcp prints each address as the raw 32-bit words in host order, so the expected
 * text is built from the same raw words. */
static int pod_listens_on(uint16_t port_host) {
  char want4[32], want6[64], line[512];
  struct in6_addr m;
  uint32_t w[4];
  set_mapped(&m, pod_ip.s_addr);
  memcpy(w, &m, sizeof w);
  snprintf(want4, sizeof want4, "%08X:%04X", pod_ip.s_addr, port_host);
  snprintf(want6, sizeof want6, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], port_host);
  const char *files[2] = {"/proc/net/tcp", "/proc/net/tcp6"};
  const char *wants[2] = {want4, want6};
  for (int i = 0; i < 2; i++) {
    FILE *f = fopen(files[i], "re");
    if (f == NULL) continue;
    int found = 0;
    while (!found && fgets(line, sizeof line, f) != NULL) {
      char local[64], state[8];
      if (sscanf(line, " %*[^:]: %63s %*s %7s", local, state) == 2) found = strcmp(local, wants[i]) == 0 && strcmp(state, "0A") == 0;
    }
    fclose(f);
    if (found) return 1;
  }
  return 0;
}

/* Decides a destination: -1 with errno set to refuse, 1 when the caller must bind the source
 * to the Pod's address, 0 when the socket keeps the kernel's choice. May rewrite *dst. */
static int plan_destination(int fd, struct sockaddr_storage *dst, int rewrite_localhost) {
  if (dst->ss_family == AF_INET) {
    struct sockaddr_in *in = (struct sockaddr_in *)dst;
    if (!is_loopback_v4(in->sin_addr.s_addr)) return errno = ENETUNREACH, -1;
    if (rewrite_localhost && in->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && pod_listens_on(ntohs(in->sin_port))) in->sin_addr = pod_ip;
    return 1;
  }
  if (dst->ss_family != AF_INET6) return 0;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)dst;
  if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
    if (!rewrite_localhost || is_v6only(fd) || !pod_listens_on(ntohs(in6->sin6_port))) return 0;
    set_mapped(&in6->sin6_addr, pod_ip.s_addr);
    return 1;
  }
  if (is_mapped_v4(&in6->sin6_addr) && is_loopback_v4(mapped_v4(&in6->sin6_addr))) {
    if (rewrite_localhost && mapped_v4(&in6->sin6_addr) == htonl(INADDR_LOOPBACK) && pod_listens_on(ntohs(in6->sin6_port)))
      set_mapped(&in6->sin6_addr, pod_ip.s_addr);
    return 1;
  }
  return errno = ENETUNREACH, -1;
}

/* Copies a caller's address so it can be rewritten; 0 when it is no INET address. */
static int copy_inet(struct sockaddr_storage *out, const struct sockaddr *addr, socklen_t len) {
  if (addr == NULL || len < sizeof(sa_family_t) || len > sizeof *out) return 0;
  if (addr->sa_family == AF_INET && len < sizeof(struct sockaddr_in)) return 0;
  if (addr->sa_family == AF_INET6 && len < sizeof(struct sockaddr_in6)) return 0;
  if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6) return 0;
  memset(out, 0, sizeof *out);
  memcpy(out, addr, len);
  return 1;
}

/* Shared by connect/sendto/sendmsg: refuses, rewrites and binds the source; 0 to go on. */
static int prepare_outbound(int fd, struct sockaddr_storage *dst, int rewrite_localhost) {
  if (!is_inet_stream_or_dgram(fd)) return 0;
  int plan = plan_destination(fd, dst, rewrite_localhost);
  if (plan <= 0) return plan;
  if (!is_unbound(fd)) return 0;
  int saved = errno;
  if (bind_source(fd, dst->ss_family) != 0) return -1;
  errno = saved;
  return 0;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  struct sockaddr_storage ss;
  if (!active() || !copy_inet(&ss, addr, len) || !is_inet_stream_or_dgram(fd)) return real_bind(fd, addr, len);
  if (ss.ss_family == AF_INET) {
    struct sockaddr_in *in = (struct sockaddr_in *)&ss;
    if (in->sin_addr.s_addr == htonl(INADDR_ANY) || in->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) in->sin_addr = pod_ip;
    return real_bind(fd, (const struct sockaddr *)&ss, len);
  }
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
  int wildcard = IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr) || IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
  int mapped_wildcard = is_mapped_v4(&in6->sin6_addr) &&
      (mapped_v4(&in6->sin6_addr) == htonl(INADDR_ANY) || mapped_v4(&in6->sin6_addr) == htonl(INADDR_LOOPBACK));
  if (!wildcard && !mapped_wildcard) return real_bind(fd, addr, len);
  if (is_v6only(fd)) return errno = EADDRNOTAVAIL, -1;
  set_mapped(&in6->sin6_addr, pod_ip.s_addr);
  return real_bind(fd, (const struct sockaddr *)&ss, len);
}

int listen(int fd, int backlog) {
  if (active() && is_inet_stream_or_dgram(fd) && is_unbound(fd)) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
      if (ss.ss_family == AF_INET6 && is_v6only(fd)) return errno = EADDRNOTAVAIL, -1;
      int on = 0;
      setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
      if (ss.ss_family == AF_INET) {
        struct sockaddr_in own = {.sin_family = AF_INET, .sin_addr = pod_ip};
        if (real_bind(fd, (const struct sockaddr *)&own, sizeof own) != 0) return -1;
      } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 own6 = {.sin6_family = AF_INET6};
        set_mapped(&own6.sin6_addr, pod_ip.s_addr);
        if (real_bind(fd, (const struct sockaddr *)&own6, sizeof own6) != 0) return -1;
      }
    }
  }
  return real_listen(fd, backlog);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  struct sockaddr_storage ss;
  if (!active() || !copy_inet(&ss, addr, len)) return real_connect(fd, addr, len);
  if (prepare_outbound(fd, &ss, 1) != 0) return -1;
  return real_connect(fd, (const struct sockaddr *)&ss, len);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len) {
  struct sockaddr_storage ss;
  if (!active() || !copy_inet(&ss, addr, len)) return real_sendto(fd, buf, n, flags, addr, len);
  if (prepare_outbound(fd, &ss, 0) != 0) return -1;
  return real_sendto(fd, buf, n, flags, (const struct sockaddr *)&ss, len);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  struct sockaddr_storage ss;
  if (!active() || msg == NULL || !copy_inet(&ss, (const struct sockaddr *)msg->msg_name, msg->msg_namelen)) return real_sendmsg(fd, msg, flags);
  if (prepare_outbound(fd, &ss, 0) != 0) return -1;
  struct msghdr copy = *msg;
  copy.msg_name = &ss;
  return real_sendmsg(fd, &copy, flags);
}
